"""Attack every command as a hostile user would and print what each case did (issue 8's table).

Each case runs the real command line in its own process (the fake embedder from tests/fakes.py in place of the
model, so no case waits for it; the git cases run the installed statediff script, whose hostile inputs fail
before any model is needed) inside a throwaway folder, and is judged on what a user would notice:

- ended: exit code 0, 1, 2 or 130 as documented; never a traceback;
- an error is one line ``statediff: error: ...``;
- no hang (120 s), bounded memory (peak RSS of the process);
- nothing outside the folders the command owns changed (a canary folder beside the project), and no statement lost.

    .venv/bin/python benchmarks/hostile.py            # prints one line per case, then the table per command
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKE = ROOT / "tests" / "fake_statediff.py"
STATEDIFF = str(Path(sys.executable).with_name("statediff"))

GOOD_A = """---
title: FOMC statement (May 3, 2023)
date: 2023-05-03
source: https://www.federalreserve.gov/a.htm
issuers:
- FOMC
language: en
---

Economic activity expanded at a modest pace. Job gains have been robust. Inflation remains elevated.
"""
GOOD_B = GOOD_A.replace("May 3", "June 14").replace("2023-05-03", "2023-06-14").replace("modest", "moderate")
BOMB = GOOD_A.replace("language: en\n", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\nnotes: *h\n")


def deep(n: int) -> str:
    return f"<html><body>{'<div>' * n}<p>Text.</p>{'</div>' * n}</body></html>"


#: Hostile statement files: name -> bytes (a callable for ones made on disk specially).
FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.txt": b" \n\t\n",
    "nul.txt": b"Inflation\x00remains.",
    "utf16-nobom.txt": "Inflation remains elevated.".encode("utf-16-le"),
    "utf16.txt": "Inflation remains elevated.".encode("utf-16"),
    "utf32.txt": "Inflation remains elevated.".encode("utf-32"),
    "bad-bom.txt": b"\xff\xfeA",
    "latin1.txt": "Pr\xe9sident said.".encode("latin-1"),
    "bom-only.txt": b"\xef\xbb\xbf",
    "fm-unclosed.md": b"---\ntitle: x\ndate: 2023-01-01\n\nText.",
    "fm-list.md": b"---\n- a\n- b\n---\n\nText.",
    "fm-scalar.md": b"---\njust text\n---\n\nText.",
    "fm-alias-bomb.md": BOMB.encode(),
    "fm-deep.md": b"---\ntitle: " + b"[" * 200 + b"]" * 200 + b"\n---\n\nText.",
    "fm-python-tag.md": b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\n\nText.",
    "fm-bad-date.md": b"---\ntitle: T\ndate: 2023-02-30\n---\n\nText.",
    "fm-huge-int.md": b"---\ntitle: T\ndate: " + b"9" * 5000 + b"\n---\n\nText.",
    "fm-title-dict.md": b"---\ntitle: {a: 1}\ndate: 2023-01-01\n---\n\nText.",
    "fm-date-list.md": b"---\ntitle: T\ndate: [2023-01-01]\n---\n\nText.",
    "fm-100k-title.md": b"---\ntitle: '" + b"x" * 100_000 + b"'\ndate: 2023-01-01\n---\n\nText.",
    "fm-no-body.md": b"---\ntitle: T\ndate: 2023-01-01\n---\n",
    "html-deep.html": deep(1000).encode(),
    "html-deeper.html": deep(50_000).encode(),
    "html-unclosed.html": (b"<html><body><p>Text.</p>" + b"<a b=c" * 100_000),
    "html-cdata.html": b"<html><head><title>T<![CDAT" + b"{a: " * 500,
    "html-no-text.html": b"<html><body><nav>menu</nav></body></html>",
    "html-script-only.html": b"<html><body><script>alert(1)</script></body></html>",
    "html-entities.html": b"<html><body><p>&#0; &#x110000; &#xD800; &nosuch; Text.</p></body></html>",
    "html-comment-bomb.html": b"<html><body><p>Text.</p>" + b"<!--" * 100_000,
    "header-title-only.txt": b"title: T\n\nText.",
    "one-line-no-stops.txt": b" ".join([b"inflation growth"] * 60_000),
    "many-sentences.txt": b"A b. " * 150_000,
    "many-lines.txt": b"Inflation.\n" * 80_000,
    "cjk.txt": ("経済活動は拡大した" * 20_000).encode(),
    "bidi-escapes.txt": "Rates \u202eheld\u202c \x1b[2J\x1b]8;;http://x\x07link \u2066x\u2069. Done.".encode(),
    "crlf-mixed.txt": b"Line one.\r\nLine two.\rLine three.\n\n\r\n",
    "long-word.txt": b"x" * 900_000,
    "over-limit.txt": b"Inflation remains elevated. " * 40_000,
    "markup-in-text.txt": b"<script>alert(1)</script> {{ 7*7 }} @octocat #12 | a | ``` [x](javascript:y).",
    "control-chars.txt": bytes(range(1, 32)) + b" Text.",
}


@dataclass
class Outcome:
    command: str
    case: str
    code: int | None
    seconds: float
    peak_mb: float
    verdict: str


def run(args: list[str], cwd: Path, *, script: str | None = None, timeout: float = 120,
        env: dict[str, str] | None = None) -> tuple[int | None, str, str, float, float]:
    """(exit code or None on a hang, stdout, stderr, seconds, peak MB)."""
    command = [script] if script else [sys.executable, str(FAKE)]
    environ = {k: v for k, v in os.environ.items() if k != "STATEDIFF_DEBUG"}
    environ.update(env or {})
    started = time.monotonic()
    child = subprocess.Popen([*command, *args], cwd=cwd, env=environ, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = child.communicate(timeout=timeout)
        code: int | None = child.returncode
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, err = child.communicate()
        code = None
    seconds = time.monotonic() - started
    peak = _peak_mb()
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds, peak


_LAST_PEAK = [0.0]


def _peak_mb() -> float:
    import resource

    # RUSAGE_CHILDREN keeps the largest peak of any child so far: report it when it grows.
    now = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    grown = now if now > _LAST_PEAK[0] else 0.0
    _LAST_PEAK[0] = max(_LAST_PEAK[0], now)
    return grown


def judge(code: int | None, err: str, allowed: set[int]) -> str:
    if code is None:
        return "HANG"
    if "Traceback" in err:
        return "TRACEBACK"
    if code not in allowed:
        return f"exit {code} (wanted {sorted(allowed)})"
    errors = [line for line in err.splitlines() if line.startswith("statediff: error")]
    other = [line for line in err.splitlines() if line.strip() and not line.startswith("statediff: ")]
    if code == 2 and not errors and err.lstrip().startswith("Usage:"):
        return "ok"  # `statediff` alone shows the help
    if code == 2 and len(errors) != 1:
        return f"{len(errors)} error lines"
    if other:
        return f"stray stderr: {other[0][:60]}"
    return "ok"


class Sandbox:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.canary = base / "canary"
        self.canary.mkdir()
        (self.canary / "victim.html").write_text("precious", encoding="utf-8")
        self.project = base / "project"
        self.inbox = base / "inbox"
        self.inbox.mkdir()
        for name, data in FILES.items():
            (self.inbox / name).write_bytes(data)
        os.mkfifo(self.inbox / "fifo.txt")
        (self.inbox / "dev-zero-link.txt").symlink_to("/dev/zero")
        (self.inbox / "sparse-5g.txt").touch()
        os.truncate(self.inbox / "sparse-5g.txt", 5 * 1024**3)
        self.reset()

    def reset(self) -> None:
        if self.project.exists():
            shutil.rmtree(self.project)
        folder = self.project / "statements" / "fomc"
        folder.mkdir(parents=True)
        (folder / "2023-05-03-fomc-statement.md").write_text(GOOD_A, encoding="utf-8")
        (folder / "2023-06-14-fomc-statement.md").write_text(GOOD_B, encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        return {str(p): p.read_bytes() for p in sorted(self.canary.rglob("*")) if p.is_file()}


def main() -> None:
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmp:
        box = Sandbox(Path(tmp))
        before = box.snapshot()
        env = {"STATEDIFF_CACHE_DIR": str(Path(tmp) / "cache")}

        def case(command: str, name: str, args: list[str], allowed: set[int], *, cwd: Path | None = None,
                 setup: Callable[[], None] | None = None, script: str | None = None, keep: bool = False,
                 extra_env: dict[str, str] | None = None) -> None:
            if not keep:
                box.reset()
            if setup:
                setup()
            code, _, err, seconds, peak = run(args, cwd or box.project, script=script, env={**env, **(extra_env or {})})
            verdict = judge(code, err, allowed)
            if box.snapshot() != before:
                verdict = "WROTE OUTSIDE"
            statements = box.project / "statements" / "fomc"
            first = statements / "2023-05-03-fomc-statement.md"
            kept = first.is_file() and first.read_text(encoding="utf-8") == GOOD_A
            if not kept and name != "statements is a file" and cwd is None:
                verdict = "LOST STATEMENT"
            outcomes.append(Outcome(command, name, code, seconds, peak, verdict))
            print(f"{verdict:14} {command:12} {name:32} exit {code} {seconds:5.1f} s"
                  + (f" peak {peak:.0f} MB" if peak else ""), flush=True)

        good = str(box.inbox / "good.md")
        Path(good).write_text(GOOD_B, encoding="utf-8")
        hostile = [*FILES, "fifo.txt", "dev-zero-link.txt", "sparse-5g.txt"]
        for name in hostile:
            case("compare", name, ["compare", good, str(box.inbox / name)], {0, 1, 2})
        for name in hostile:
            case("add", name, ["add", str(box.inbox / name), "--series", "fomc", "--issuer", "X", "--title", "T",
                               "--date", "2023-07-26", "--no-report"], {0, 2})

        def planted(name: str) -> Callable[[], None]:
            def put() -> None:
                target = box.project / "statements" / "fomc" / "2023-07-26-planted.md"
                source = box.inbox / name
                if source.is_fifo() or source.is_symlink():
                    os.symlink(os.readlink(source) if source.is_symlink() else source, target)
                else:
                    shutil.copyfile(source, target)
            return put

        for name in ["fm-alias-bomb.md", "fm-deep.md", "fm-python-tag.md", "nul.txt", "latin1.txt", "fm-100k-title.md",
                     "over-limit.txt", "fifo.txt", "dev-zero-link.txt", "html-deep.html", "bidi-escapes.txt"]:
            for command in ("check", "list", "report"):
                case(command, f"statement {name}", [command], {0, 1, 2}, setup=planted(name))

        def link(target: str, at: str) -> Callable[[], None]:
            return lambda: os.symlink(target, box.project / "statements" / at)

        folder_cases: list[tuple[str, Callable[[], None]]] = [
            ("series link to fomc", link("fomc", "alias")),
            ("series link outside", link(str(box.canary), "evil")),
            ("statement link outside", link(str(box.canary / "victim.html"), "fomc/2023-07-26-x.md")),
            ("series named con", lambda: (box.project / "statements" / "con").mkdir()),
            ("series 300 chars", lambda: (box.project / "statements" / ("a" * 250)).mkdir()),
            ("pyproject not utf-8", lambda: (box.project / "pyproject.toml").write_bytes(b"[tool.statediff]\nx = '\xe9'\n")),
            ("statediff.toml bad", lambda: (box.project / "statediff.toml").write_text("statements = [1]\n")),
            ("statediff.toml /dev/zero", lambda: os.symlink("/dev/zero", box.project / "statediff.toml")),
            ("statements is a file", lambda: (shutil.rmtree(box.project / "statements"),
                                              (box.project / "statements").write_text("x"))),
        ]
        for name, setup in folder_cases:
            for command in ("check", "list", "report"):
                case(command, name, [command], {0, 1, 2}, setup=setup)

        def manifest(entries: str) -> Callable[[], None]:
            def put() -> None:
                run(["report"], box.project, env=env)
                path = box.project / "reports" / ".statediff-manifest.json"
                import json

                data = json.loads(path.read_text(encoding="utf-8"))
                data["reports"].update(json.loads(entries))
                path.write_text(json.dumps(data), encoding="utf-8")
            return put

        victim = str(box.canary / "victim.html")
        def reports_link(name: str) -> Callable[[], None]:
            def put() -> None:
                (box.project / "reports" / "fomc").mkdir(parents=True, exist_ok=True)
                os.symlink(box.canary / "victim.html", box.project / "reports" / name)
            return put

        for name in ("index.html", ".statediff-manifest.json", ".statediff-lock",
                     "fomc/2023-05-03-fomc-statement__2023-06-14-fomc-statement.html"):
            case("report", f"reports/{name} a link out", ["report"], {0}, setup=reports_link(name))

        for name, entries in [
            ("key ../../canary", '{"../../canary/victim.html": {}}'),
            ("key absolute", f'{{"{victim}": {{"key": "x", "old": "a", "new": "b", "counts": {{}}, "model": "m"}}}}'),
            ("key into statements", '{"../statements/fomc/2023-05-03-fomc-statement.md": {}}'),
            ("counts lots", '{"fomc/2023-05-03-fomc-statement__2023-06-14-fomc-statement.html": '
                            '{"key": "x", "old": "a", "new": "b", "counts": {"added": "lots"}, "model": "m"}}'),
            ("entry a list", '{"fomc/x.html": [1, 2]}'),
        ]:
            case("report", f"manifest {name}", ["report"], {0}, setup=manifest(entries))

        def raw_manifest(text: bytes) -> Callable[[], None]:
            def put() -> None:
                (box.project / "reports").mkdir(exist_ok=True)
                (box.project / "reports" / ".statediff-manifest.json").write_bytes(text)
            return put

        for name, text in [("not json", b"{nope"), ("not utf-8", b"\xff\xfe"), ("deep json", b"[" * 100_000),
                           ("schema only", b'{"schema": "statediff/manifest/1", "reports": 5}')]:
            case("report", f"manifest {name}", ["report"], {0}, setup=raw_manifest(text))

        for name, args in [
            ("dash file name", ["compare", good, "-dash.txt"]),
            ("missing NEW", ["compare", good]),
            ("unknown format", ["compare", good, good, "--format", "pdf"]),
            ("-o a folder", ["compare", good, good, "-o", str(box.inbox)]),
            ("-o onto OLD", ["compare", good, str(box.inbox / "cjk.txt"), "-o", good]),
            ("-o report.pdf", ["compare", good, good, "-o", "report.pdf"]),
            ("-o in missing folder", ["compare", good, good, "-o", "no/such/x.html"]),
            ("path 5000 chars", ["compare", good, "x" * 5000]),
            ("path with newline", ["compare", good, "a\nb.txt"]),
            ("model missing folder", ["compare", good, good, "--model", "./no-model"]),
            ("template-dir bad", ["compare", good, good, "-o", "x.html", "--template-dir", str(box.inbox)]),
            ("unknown command", ["frobnicate"]),
            ("no arguments", []),
        ]:
            case("compare/cli", name, args, {0, 1, 2})
        for name, args in [
            ("series ../x", ["add", good, "--series", "../x"]),
            ("series 300 chars", ["add", good, "--series", "a" * 300]),
            ("slug nul", ["add", good, "--series", "fomc", "--slug", "nul"]),
            ("source javascript:", ["add", good, "--series", "fomc", "--source", "javascript:alert(1)"]),
            ("date 2023-02-30", ["add", good, "--series", "fomc", "--date", "2023-02-30"]),
            ("date year 99999", ["add", good, "--series", "fomc", "--date", "99999-01-01"]),
            ("title of control chars", ["add", good, "--series", "fomc", "--title", "\x1b[2J\u202e"]),
            ("since not a date", ["report", "--since", "soon"]),
            ("series unknown", ["report", "--series", "nope"]),
            ("list json bidi", ["list", "--format", "json"]),
        ]:
            case(args[0], name, args, {0, 1, 2})

        for name, args in [
            ("series ../x", ["history", "--series", "../x", "--query", "rates"]),
            ("series nul", ["history", "--series", "nul", "--query", "rates"]),
            ("query 100 KB", ["history", "--series", "fomc", "--query", "rates " * 20_000]),
            ("query of control chars", ["history", "--series", "fomc", "--query", "\x1b[2J\u202e"]),
            ("anchor garbage", ["history", "--series", "fomc", "--sentence", "s-../../x"]),
            ("anchor javascript:", ["history", "--series", "fomc", "--sentence", "javascript:alert(1)#s-x"]),
            ("both query and anchor", ["history", "--series", "fomc", "--query", "a", "--sentence", "s-x"]),
            ("limit 0", ["history", "--series", "fomc", "--query", "a", "--limit", "0"]),
            ("-o onto a statement", ["history", "--series", "fomc", "--query", "a", "-o",
                                     "statements/fomc/2023-05-03-fomc-statement.md"]),
        ]:
            case("history", name, args, {0, 1, 2})
        case("history", "store a link to /dev/zero", ["history", "--series", "fomc", "--query", "rates"], {0, 1, 2},
             setup=lambda: ((box.project / "reports").mkdir(exist_ok=True),
                            os.symlink("/dev/zero", box.project / "reports" / ".statediff-history.json")))

        case("report", "STATEDIFF_MAX_INPUT=lots", ["report"], {2}, extra_env={"STATEDIFF_MAX_INPUT": "lots"})
        case("compare", "cache dir is a file", ["compare", good, good], {0},
             extra_env={"STATEDIFF_CACHE_DIR": str(box.inbox / "cjk.txt")})

        # git: the installed driver and review, on hostile files committed in a pull request.
        repo = Path(tmp) / "repo"

        def git(*args: str) -> None:
            subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

        repo.mkdir()
        git("init", "-q", "-b", "main")
        git("config", "user.email", "a@b.c")
        git("config", "user.name", "A")
        (repo / "statements" / "fomc").mkdir(parents=True)
        (repo / "statements" / "fomc" / "2023-05-03-fomc-statement.md").write_text(GOOD_A, encoding="utf-8")
        (repo / "README.md").write_text("readme\n", encoding="utf-8")
        subprocess.run([STATEDIFF, "install-git"], cwd=repo, check=True, capture_output=True)
        git("add", "-A")
        git("commit", "-qm", "base")
        git("checkout", "-qb", "pr")
        git_files = ["fm-alias-bomb.md", "html-deep.html", "html-unclosed.html", "nul.txt", "latin1.txt", "over-limit.txt",
                     "fm-python-tag.md", "bidi-escapes.txt", "html-cdata.html", "empty.txt"]
        for k, name in enumerate(git_files):
            (repo / "statements" / "fomc" / f"2023-07-{k + 10:02d}-hostile.md").write_bytes((box.inbox / name).read_bytes())
        (repo / "README.md").write_text("readme changed\n", encoding="utf-8")
        git("add", "-A")
        for name, args in [("git diff --cached", ["diff", "--cached"]), ("git diff main", ["diff", "main"])]:
            code, out, err, seconds, peak = run(args, repo, script="git")
            ok = code == 0 and "external diff died" not in err and "readme changed" in out
            verdict = "ok" if ok else f"git failed: {err[:60]}"
            outcomes.append(Outcome("git diff", name, code, seconds, peak, verdict))
            print(f"{verdict:14} {'git diff':12} {name:32} exit {code} {seconds:5.1f} s", flush=True)
        git("commit", "-qm", "hostile")
        for name, args in [("git show", ["show", "HEAD"]), ("git log -p", ["log", "-p", "-1"]),
                           ("git show --ext-diff", ["show", "--ext-diff", "HEAD"])]:
            code, out, err, seconds, peak = run(args, repo, script="git")
            ok = code == 0 and "unable to read" not in err and "died" not in err and "readme changed" in out
            verdict = "ok" if ok else f"git failed: {err[:60]}"
            outcomes.append(Outcome("git log/show", name, code, seconds, peak, verdict))
            print(f"{verdict:14} {'git log/show':12} {name:32} exit {code} {seconds:5.1f} s", flush=True)
        for fmt in ("md", "json", "text"):
            case("review", f"hostile files --format {fmt}", ["review", "--base", "main", "--format", fmt], {1}, cwd=repo,
                 keep=True)
        case("review", "--out through a link", ["review", "--base", "main", "--out", "out"], {1, 2}, cwd=repo, keep=True,
             setup=lambda: ((repo / "out").mkdir(exist_ok=True), (repo / "out" / "fomc").is_symlink()
                            or os.symlink(box.canary, repo / "out" / "fomc")))
        for name, args in [("base is an option", ["review", "--base", "--output=/tmp/x"]),
                           ("base unknown", ["review", "--base", "nope"]),
                           ("link-base javascript:", ["review", "--base", "main", "--link-base", "javascript:x"])]:
            case("review", name, args, {2}, cwd=repo, keep=True)
        for name, args in [("missing files", ["git-diff", "p", "/no/a", "0", "100644", "/no/b", "0", "100644"]),
                           ("a folder", ["git-diff", "p", tmp, "0", "100644", tmp, "0", "100644"]),
                           ("3 arguments", ["git-diff", "a", "b", "c"]),
                           ("textconv fifo", ["git-textconv", str(box.inbox / "fifo.txt")]),
                           ("textconv /dev/zero", ["git-textconv", "/dev/zero"]),
                           ("textconv missing", ["git-textconv", "/no/such"])]:
            case("git-diff", name, args, {2}, cwd=repo, keep=True)

        if box.snapshot() != before:
            print("the canary folder changed")

    by_command: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        by_command[outcome.command][outcome.verdict] += 1
    print("\n| command | cases | ok | failures |")
    print("|---|---|---|---|")
    for command, verdicts in by_command.items():
        bad = ", ".join(f"{n} {v}" for v, n in verdicts.items() if v != "ok") or "none"
        print(f"| {command} | {sum(verdicts.values())} | {verdicts['ok']} | {bad} |")
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(f"\n{len(outcomes)} cases; {sum(o.verdict == 'ok' for o in outcomes)} ok; slowest {slowest.command} "
          f"{slowest.case} {slowest.seconds:.1f} s; peak memory of any child {_LAST_PEAK[0]:.0f} MB")


if __name__ == "__main__":
    main()

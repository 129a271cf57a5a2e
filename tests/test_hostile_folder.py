"""Issue 8, the statements and reports folders attacked as a pull request from a stranger would: each test is one
of the listed failures (numbered as in the issue), written as the case it is."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_statediff import run_cli
from fakes import FakeEmbedder
from folder_support import FOMC_A, FOMC_B, FOMC_C, Project, write

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model

A, B, C = (  # the names `add` gives: the date written in the title is not repeated in the slug
    "2023-05-03-fomc-statement",
    "2023-06-14-fomc-statement",
    "2023-07-26-fomc-statement",
)


def fill(project: Project, *texts: str, series: str = "fomc") -> None:
    for n, text in enumerate(texts):
        result = project.add(f"{series}{n}.txt", text, "--series", series, "--issuer", "FOMC", "--no-report")
        assert result.exit_code == 0, result.output


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("statediff: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def manifest(project: Project) -> dict:
    return json.loads((project.reports / ".statediff-manifest.json").read_text(encoding="utf-8"))


def plant(project: Project, *keys: str) -> None:
    data = manifest(project)
    for key in keys:
        data["reports"][key] = {"key": "x", "old": "a.md", "new": "b.md", "counts": {"added": 1}, "model": "m"}
    (project.reports / ".statediff-manifest.json").write_text(json.dumps(data), encoding="utf-8")


# 1 (critical) ----------------------------------------------------------------------------------------------------

def test_1_report_never_deletes_a_file_a_planted_manifest_key_names(project: Project, fake_model: FakeEmbedder,
                                                                     tmp_path: Path) -> None:
    fill(project, FOMC_A, FOMC_B)
    assert project.run("report").exit_code == 0
    victim = project.root.parent / f"victim-{project.root.name}.html"
    victim.write_text("precious", encoding="utf-8")
    victim.with_suffix(".json").write_text("{}", encoding="utf-8")
    notes = write(project.statements / "fomc" / "notes.html", "<p>notes</p>")
    absolute = tmp_path / "absolute.html"
    absolute.write_text("mine", encoding="utf-8")
    # A file in the report layout that statediff did not write (no generator mark) stays too.
    foreign = write(project.reports / "fomc" / f"{A}__{C}.html", "<p>someone's page</p>")
    plant(project, f"../../{victim.name}", f"../{victim.name}", str(absolute), "../statements/fomc/notes.html",
          f"fomc/{A}__{C}.html", "fomc/../../x.html", "")
    result = project.run("report")
    assert result.exit_code == 0, result.output
    for path in (victim, victim.with_suffix(".json"), notes, absolute, foreign):
        assert path.exists(), f"{path} was deleted"
    assert "0 removed" not in result.stdout and "removed" not in result.stdout.splitlines()[-1]
    assert "not a report statediff wrote" in result.stderr
    # The planted keys are gone from the manifest: the next run says nothing more.
    assert set(manifest(project)["reports"]) == {f"fomc/{A}__{B}.html"}


def test_1_report_still_removes_its_own_outdated_report(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_C)
    assert project.run("report").exit_code == 0
    old = project.reports / "fomc" / f"{A}__{C}.html"
    assert old.is_file()
    fill(project, FOMC_B)  # now A-B and B-C: the A-C report is outdated and goes
    result = project.run("report")
    assert result.exit_code == 0, result.output
    assert not old.exists() and not old.with_suffix(".json").exists()
    assert "1 removed" in result.stdout


def test_1_a_linked_report_series_folder_is_never_written_through(project: Project, fake_model: FakeEmbedder,
                                                                  tmp_path: Path) -> None:
    fill(project, FOMC_A, FOMC_B)
    outside = tmp_path.parent / f"outside-{tmp_path.name}"
    outside.mkdir()
    project.reports.mkdir()
    (project.reports / "fomc").symlink_to(outside)
    result = run_cli("report", cwd=project.root)
    assert result.returncode == 2
    assert "is a link" in one_error_line(result.stderr)
    assert list(outside.iterdir()) == []


# 8, 9 --------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["--series", "--slug"])
def test_8_a_300_character_series_or_slug_is_one_line(project: Project, flag: str) -> None:
    source = project.file("a.txt", FOMC_A)
    args = ["add", str(source), "--issuer", "FOMC", "--no-report", flag, "a" * 300]
    if flag == "--slug":
        args += ["--series", "fomc"]
    result = run_cli(*args, cwd=project.root)
    assert result.returncode == 2
    assert "300 characters long; use at most 80" in one_error_line(result.stderr)
    assert list(project.statements.rglob("*")) == []


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_9_windows_reserved_names_are_refused_as_series_and_slug(project: Project, name: str) -> None:
    source = project.file("a.txt", FOMC_A)
    for args in (["--series", name], ["--series", "fomc", "--slug", name]):
        result = run_cli("add", str(source), "--issuer", "FOMC", "--no-report", *args, cwd=project.root)
        assert result.returncode == 2
        assert "reserved device name on Windows" in one_error_line(result.stderr)
    assert list(project.statements.rglob("*.md")) == []


def test_9_check_flags_reserved_names_already_in_the_folder(project: Project) -> None:
    fill(project, FOMC_A)
    good = next((project.statements / "fomc").iterdir())
    (project.statements / "con").mkdir()
    (project.statements / "nul").mkdir()
    (good.parent / "2023-05-03-aux.md").write_bytes(good.read_bytes().replace(b"May 3", b"May 4"))
    result = project.run("check")
    assert result.exit_code == 1
    assert "statements/con: series folder name is a reserved device name on Windows" in result.stdout
    assert "statements/nul: series folder name is a reserved device name on Windows" in result.stdout
    assert "2023-05-03-aux.md: slug is a reserved device name on Windows" in result.stdout


def test_9_a_title_that_slugs_to_a_reserved_name_gets_a_safe_file_name(project: Project) -> None:
    result = project.add("a.txt", FOMC_A.replace("FOMC statement (May 3, 2023)", "Con"), "--series", "fomc",
                         "--issuer", "FOMC", "--no-report")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (project.statements / "fomc").iterdir()] == ["2023-05-03-con-statement.md"]


# 10, 11 ------------------------------------------------------------------------------------------------------------

def test_10_a_statement_linked_outside_is_refused_by_report_add_and_list(project: Project, fake_model: FakeEmbedder,
                                                                         tmp_path: Path) -> None:
    fill(project, FOMC_A)
    secret = tmp_path.parent / f"secret-{tmp_path.name}.md"
    secret.write_text((project.statements / "fomc" / f"{A}.md").read_text(encoding="utf-8")
                      .replace("2023-05-03", "2023-06-14").replace("Inflation remains elevated.", "SECRET TOKEN abc123."),
                      encoding="utf-8")
    link = project.statements / "fomc" / f"{B}.md"
    link.symlink_to(secret)
    for args in (["report"], ["list"], ["add", str(project.file("c.txt", FOMC_C)), "--series", "fomc", "--no-report"]):
        result = run_cli(*args, cwd=project.root)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert f"statements/fomc/{B}.md: is a link leading outside statements" in result.stderr
        assert str(secret) not in result.stderr + result.stdout  # the message names the link, not its target
        assert "SECRET" not in result.stdout
    assert not project.reports.exists() or "SECRET" not in "".join(
        p.read_text(encoding="utf-8") for p in project.reports.rglob("*.html"))
    check = project.run("check")
    assert check.exit_code == 1 and "is a link pointing outside the statements folder" in check.stdout


def test_11_a_series_folder_linked_to_another_series_is_refused(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    (project.statements / "alias").symlink_to("fomc")
    check = project.run("check")
    assert check.exit_code == 1
    assert "statements/alias: is a link to another folder" in check.stdout
    result = run_cli("report", cwd=project.root)
    assert result.returncode == 2
    assert "statements/alias: is a link, not a series folder" in one_error_line(result.stderr)
    assert not (project.reports / "alias").exists()


# 12, 13 ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["list"], ["check"], ["report"], ["add", "x.txt", "--series", "fomc"]])
def test_12_a_pyproject_that_is_not_utf8_is_one_line(project: Project, command: list[str]) -> None:
    (project.root / "pyproject.toml").write_bytes(b"[tool.statediff]\nstatements = \"st\xe9tements\"\n")
    project.file("x.txt", FOMC_A)
    result = run_cli(*[c if c != "x.txt" else str(project.inbox / c) for c in command], cwd=project.root)
    assert result.returncode == 2
    assert "pyproject.toml: is not UTF-8 text (byte 0xe9" in one_error_line(result.stderr)


@pytest.mark.parametrize("bad", [{"added": "lots"}, {"added": -1}, {"added": True}, "counts", None, {"added": 1e400}])
def test_13_a_damaged_manifest_entry_is_stale_and_rebuilt(project: Project, fake_model: FakeEmbedder,
                                                          bad: object) -> None:
    fill(project, FOMC_A, FOMC_B)
    assert project.run("report").exit_code == 0
    data = manifest(project)
    entry = data["reports"][f"fomc/{A}__{B}.html"]
    entry["counts"] = bad
    (project.reports / ".statediff-manifest.json").write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("report", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 built, 0 up to date")
    assert isinstance(manifest(project)["reports"][f"fomc/{A}__{B}.html"]["counts"]["added"], int)


# 14 ----------------------------------------------------------------------------------------------------------------

def test_14_bidi_controls_in_a_title_never_reach_the_terminal_through_list(project: Project) -> None:
    fill(project, FOMC_A.replace("FOMC statement (May 3, 2023)", "Rates \u202eserif\u202c held \u2066x\u2069 \x1b[31mred"))
    result = project.run("list")
    assert result.exit_code == 0
    for ch in ("\u202e", "\u202c", "\u2066", "\u2069", "\x1b"):
        assert ch not in result.stdout
    assert "Rates \ufffdserif\ufffd held" in result.stdout


def test_14_bidi_controls_never_reorder_the_html_pages(project: Project, fake_model: FakeEmbedder) -> None:
    # A browser obeys U+202E: "held \u202eton" would show as "held not". Report, index and history pages all show
    # a replacement character instead.
    evil = "Rates \u202eton\u202c held \u2066x\u2069."
    fill(project, FOMC_A.replace("FOMC statement (May 3, 2023)", evil),
         FOMC_B.replace("The Committee decided", "Rates are \u202eton\u202c lower. The Committee decided"))
    assert project.run("report").exit_code == 0
    pages = [p for p in project.reports.rglob("*.html")]
    assert len(pages) >= 3  # the report, the history page and the index
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for ch in ("\u202e", "\u202c", "\u2066", "\u2069"):
            assert ch not in text, (page.name, ch)
    assert any("\ufffdton\ufffd" in p.read_text(encoding="utf-8") for p in pages)


# 15, 17, 20 --------------------------------------------------------------------------------------------------------

def test_15_temporaries_of_a_killed_report_are_cleaned_by_the_next_run(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    (project.reports / "fomc").mkdir(parents=True)
    # What kill -9 during write_atomic leaves: mkstemp's names, in reports/ and a series folder.
    left = [project.reports / ".index.html.k2j4h5g6.tmp", project.reports / "fomc" / f".{A}__{B}.json.abcd_123.tmp",
            project.reports / ".statediff-manifest.json.zzzzzzzz.tmp"]
    for path in left:
        path.write_text("half", encoding="utf-8")
    keep = project.reports / "fomc" / "my-notes.tmp"  # not a name statediff makes
    keep.write_text("mine", encoding="utf-8")
    assert project.run("report").exit_code == 0
    assert [p for p in left if p.exists()] == []
    assert keep.exists()


def test_15_kill_9_during_report_force_leaves_no_temporary_after_the_next_run(project: Project) -> None:
    texts = [FOMC_A.replace("2023-05-03", f"2023-05-{d:02d}").replace("modest", f"modest {d}") for d in range(1, 29)]
    fill(project, *texts)
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fake_statediff.py")), "report", "--force"],
                             cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    child.stdout.readline()  # the first report is written: the run is in the middle of writing
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    for path in project.reports.rglob("*"):
        if path.is_file() and path.name.endswith(".html"):
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"{path} is half-written"
    result = run_cli("report", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in project.reports.rglob("*.tmp")] == []


def test_17_two_report_runs_at_once_on_different_series_keep_both(project: Project) -> None:
    for series in ("fomc", "ecb"):
        texts = [FOMC_A.replace("2023-05-03", f"2023-05-{d:02d}").replace("modest", f"{series} {d}") for d in range(1, 9)]
        fill(project, *texts, series=series)
    script = str(Path(__file__).with_name("fake_statediff.py"))
    env = {k: v for k, v in os.environ.items() if k != "STATEDIFF_DEBUG"}
    children = [subprocess.Popen([sys.executable, script, "report", "--series", s], cwd=project.root, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for s in ("fomc", "ecb")]
    outs = [child.communicate(timeout=180) for child in children]
    assert [child.returncode for child in children] == [0, 0], outs
    entries = manifest(project)["reports"]
    assert len(entries) == 14, sorted(entries)
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    assert sum(index.count(f'href="{key}"') for key in entries) == 14


def test_20_a_full_reports_folder_leaves_no_json_without_its_html(project: Project, fake_model: FakeEmbedder,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import statediff.output

    fill(project, FOMC_A, FOMC_B)
    real_fdopen = os.fdopen

    def full_for_html(fd: int, *args: object, **kwargs: object) -> object:
        handle = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]
        name = os.readlink(f"/proc/self/fd/{fd}")
        if ".html." in name and "/fomc/" in name:
            def write(_: str) -> int:
                raise OSError(28, "No space left on device")
            handle.write = write
        return handle

    monkeypatch.setattr(statediff.output.os, "fdopen", full_for_html)
    result = project.run("report")
    assert result.exit_code == 2
    assert f"reports/fomc/{A}__{B}.html: not written (No space left on device); nothing was changed" in result.stderr
    assert "manifest" not in result.stderr
    assert list((project.reports / "fomc").iterdir()) == []  # neither half of the report, no temporary


def test_lock_waits_for_a_run_that_holds_it(project: Project, fake_model: FakeEmbedder) -> None:
    import fcntl

    fill(project, FOMC_A, FOMC_B)
    project.reports.mkdir()
    fd = os.open(project.reports / ".statediff-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fake_statediff.py")), "report"],
                             cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    assert child.poll() is None  # waiting
    assert not (project.reports / "index.html").exists()
    os.close(fd)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert f"another statediff run (process {os.getpid()}) is writing" in err  # the holder, as the kernel knows it
    assert (project.reports / "index.html").is_file()


def test_lock_held_by_a_stuck_run_ends_the_wait_with_one_line(project: Project, fake_model: FakeEmbedder) -> None:
    import fcntl

    fill(project, FOMC_A, FOMC_B)
    project.reports.mkdir()
    fd = os.open(project.reports / ".statediff-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        env = {**os.environ, "STATEDIFF_LOCK_WAIT": "1"}
        done = subprocess.run([sys.executable, str(Path(__file__).with_name("fake_statediff.py")), "report"],
                              cwd=project.root, capture_output=True, text=True, timeout=120, env=env)
        bad = subprocess.run([sys.executable, str(Path(__file__).with_name("fake_statediff.py")), "report"],
                             cwd=project.root, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "STATEDIFF_LOCK_WAIT": "soon"})
    finally:
        os.close(fd)
    assert done.returncode == 2, done.stderr
    assert one_error_line(done.stderr.split("finish\n", 1)[1]).endswith(
        f"another statediff run (process {os.getpid()}) has held this lock for over 1 s; if it is stuck, stop it and run again "
        "(or wait longer: STATEDIFF_LOCK_WAIT=SECONDS)")
    assert not (project.reports / "index.html").exists()
    assert bad.returncode == 2 and "STATEDIFF_LOCK_WAIT='soon' is not a number of seconds" in bad.stderr


@pytest.mark.parametrize("name", ["index.html", ".statediff-manifest.json", ".statediff-lock"])
def test_a_reports_file_committed_as_a_link_is_never_written_through(project: Project, tmp_path: Path, name: str) -> None:
    fill(project, FOMC_A, FOMC_B)
    victim = tmp_path.parent / f"victim-{tmp_path.name}-{name}"
    victim.write_text("precious", encoding="utf-8")
    project.reports.mkdir()
    (project.reports / name).symlink_to(victim)
    result = run_cli("report", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_manifest_nested_a_hundred_thousand_deep_is_only_unreadable(project: Project, fake_model: FakeEmbedder) -> None:
    fill(project, FOMC_A, FOMC_B)
    project.reports.mkdir()
    (project.reports / ".statediff-manifest.json").write_text("[" * 100_000, encoding="utf-8")
    result = project.run("report")
    assert result.exit_code == 0, result.output
    assert "is unreadable; rebuilding every report" in result.stderr


def test_the_history_store_committed_as_a_link_to_dev_zero_is_not_read(project: Project) -> None:
    fill(project, FOMC_A, FOMC_B)
    project.reports.mkdir()
    (project.reports / ".statediff-history.json").symlink_to("/dev/zero")
    result = run_cli("report", cwd=project.root, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_history_o_never_replaces_a_statement(project: Project) -> None:
    fill(project, FOMC_A, FOMC_B)
    target = project.statements / "fomc" / f"{A}.md"
    before = target.read_bytes()
    result = run_cli("history", "--series", "fomc", "--query", "inflation", "-o", f"statements/fomc/{A}.md",
                     cwd=project.root)
    assert result.returncode == 2
    assert "is inside the statements folder; -o would overwrite or add a statement" in one_error_line(result.stderr)
    assert target.read_bytes() == before
    # Nor through a link of the user's: -o follows it (as a shell's > does), so it is refused the same way.
    (project.root / "history.txt").symlink_to(f"statements/fomc/{A}.md")
    linked = run_cli("history", "--series", "fomc", "--query", "inflation", "-o", "history.txt", cwd=project.root)
    assert "history.txt: is inside the statements folder" in one_error_line(linked.stderr)
    assert target.read_bytes() == before and (project.root / "history.txt").is_symlink()
    # A link to a file elsewhere is written through, the link kept.
    (project.root / "history.txt").unlink()
    (project.root / "out").mkdir()
    (project.root / "history.txt").symlink_to("out/inflation.txt")
    written = run_cli("history", "--series", "fomc", "--query", "inflation", "-o", "history.txt", cwd=project.root)
    assert written.returncode == 0, written.stderr
    assert (project.root / "history.txt").is_symlink()
    assert "inflation" in (project.root / "out" / "inflation.txt").read_text(encoding="utf-8")

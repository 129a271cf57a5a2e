"""Benchmark of the statements folder: add the whole shared corpus, then time `statediff report`.

Copies every statement of ../shared/corpus (5 series, about 300 statements) into a temporary statements
folder with `statediff add`, holding back the last few statements of one series (us-japan-rok-trilateral),
then times `statediff report`:

- cold: empty vector cache (STATEDIFF_CACHE_DIR is a fresh folder), every report built; the one-time ONNX
  export (`statediff model prepare`) is done and timed before, as on a machine that has used statediff once;
- nothing changed: nothing rebuilt, the model stack never imported (median of several runs);
- one statement added: each held-back statement added in turn, then `statediff report` (median; these
  include importing and loading the model, since a new statement brings new sentences);
- one statement added, its vectors cached: the same report rebuilt with no model work (median).

Every command runs as a separate process, as a user would run it. Usage:

    .venv/bin/python benchmarks/series.py [--hold-back 3] [--repeat 5] [--jobs N]

With STATEDIFF_RUNTIME=torch in the environment it measures the torch runtime (statediff before issue 12).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from userenv import as_a_user_runs

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
ISSUERS = {
    "fomc": "Federal Open Market Committee",
    "fomc-2000-2026-novote": "Federal Open Market Committee",
    "g7-leaders": "G7 Leaders",
    "quad-leaders": "Quad Leaders",
    "us-japan-rok-trilateral": "United States, Japan and Republic of Korea",
}
# Its statements share few sentences with the others, so adding one brings new sentences to embed.
HELD_BACK_SERIES = "us-japan-rok-trilateral"


CPU: dict[str, float] = {}
"""CPU seconds (user + system) of the last run of each command: unlike wall time, hardly moved by a busy machine."""


def statediff(*args: str, cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    """Run `statediff ARGS` in ``cwd``; the wall time and standard output (fails loudly on an error)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "statediff", *args], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[args[0]] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if run.returncode != 0:
        sys.exit(f"statediff {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()}")
    return elapsed, run.stdout


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    as_a_user_runs()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--hold-back", type=int, default=3, help=f"statements of {HELD_BACK_SERIES} added one at a time after the cold build"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of the nothing-changed build")
    parser.add_argument("--jobs", type=int, default=None, help="report --jobs for the cold build [default: the CPUs]")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"no corpus at {CORPUS}")

    with tempfile.TemporaryDirectory(prefix="statediff-series-") as tmp:
        work = Path(tmp)
        (work / "statements").mkdir()
        cache = work / "vector-cache"
        env = {**os.environ, "STATEDIFF_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}

        series = sorted(p for p in CORPUS.iterdir() if p.is_dir())
        held_back: list[Path] = []
        add_times: list[float] = []
        for folder in series:
            files = sorted(folder.glob("*.txt"))
            if folder.name == HELD_BACK_SERIES:
                files, held_back = files[: -args.hold_back], files[-args.hold_back :]
            for path in files:
                elapsed, _ = statediff(
                    "add",
                    str(path),
                    "--series",
                    folder.name,
                    "--issuer",
                    ISSUERS.get(folder.name, folder.name),
                    "--no-report",
                    cwd=work,
                    env=env,
                )
                add_times.append(elapsed)
        added = len(add_times)
        # The machine may be shared: the load says how much the wall times are inflated.
        print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        total = added + len(held_back)
        print(f"corpus: {total} statements in {len(series)} series; {len(held_back)} of {HELD_BACK_SERIES} held back")
        median_add = statistics.median(add_times)
        print(f"add (--no-report): {added} statements, median {median_add:.3f} s each, total {sum(add_times):.1f} s")
        check_time, _ = statediff("check", cwd=work, env=env)
        list_time, _ = statediff("list", cwd=work, env=env)
        print(f"check: {check_time:.2f} s; list: {list_time:.2f} s")

        prepare, _ = statediff("model", "prepare", cwd=work, env=env)
        print(f"model prepare (the one-time ONNX export; not needed with STATEDIFF_RUNTIME=torch): {prepare:.1f} s")
        jobs = ("--jobs", str(args.jobs)) if args.jobs else ()
        cold, out = statediff("report", *jobs, cwd=work, env=env)
        with sqlite3.connect(cache / "vectors.sqlite3") as conn:
            vectors = conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
        reports, size = tree_size(work / "reports")
        print(f"report, cold (empty cache): {cold:.1f} s (cpu {CPU['report']:.1f} s) -> {out.strip().splitlines()[-1]}")
        print(f"  distinct sentences embedded: {vectors}; reports folder: {reports} files, {size / 1e6:.1f} MB")

        still, still_cpu = [], []
        for _ in range(args.repeat):
            still.append(statediff("report", cwd=work, env=env)[0])
            still_cpu.append(CPU["report"])
        spread = f"min {min(still):.3f}, max {max(still):.3f}, {len(still)} runs"
        median_cpu = statistics.median(still_cpu)
        print(f"report, nothing changed: median {statistics.median(still):.3f} s, cpu {median_cpu:.3f} s ({spread})")

        # Everything but the model: every report rebuilt with all vectors already cached.
        forced, out = statediff("report", "--force", cwd=work, env=env)
        print(f"report --force, vectors cached (segment, align, word diff, render, write; no model): {forced:.1f} s "
              f"(cpu {CPU['report']:.1f} s)")
        print(f"  so embedding (with loading the model) took about {cold - forced:.0f} s of the cold build's {cold:.0f} s")

        fresh: list[float] = []
        for path in held_back:
            statediff("add", str(path), "--series", HELD_BACK_SERIES, "--no-report", cwd=work, env=env)
            elapsed, out = statediff("report", cwd=work, env=env)
            fresh.append(elapsed)
            last_line = out.strip().splitlines()[-1]
            print(f"report after adding {path.name}: {elapsed:.2f} s (cpu {CPU['report']:.2f} s) -> {last_line}")
        if fresh:
            print(f"report, one statement added (new sentences: loads the model): median {statistics.median(fresh):.2f} s")

        # The same added statement again, its vectors cached: the incremental cost without any model work.
        last = sorted((work / "statements" / HELD_BACK_SERIES).glob("*.md"))[-1]
        kept = last.read_bytes()
        warm: list[float] = []
        for _ in range(args.repeat):
            last.unlink()
            statediff("report", cwd=work, env=env)
            last.write_bytes(kept)
            warm.append(statediff("report", cwd=work, env=env)[0])
        print(f"report, one statement added, vectors cached: median {statistics.median(warm):.3f} s ({len(warm)} runs)")

        print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", "from statediff.engine.embed import model_embedder as m; m().encode(['x'])"],
            env=env,
            check=True,
        )
        runtime = os.environ.get("STATEDIFF_RUNTIME", "onnx")
        print(f"for reference, importing and loading the model alone ({runtime}): {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

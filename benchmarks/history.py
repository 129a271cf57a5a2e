"""Benchmark of the series history: the lineages of all statements of one series, then one statement added.

Copies the statements of ../shared/corpus/fomc-2000-2026-novote (210) into a temporary statements folder,
holding back the last one, then times, each command as a separate process (as a user runs it), with its
peak memory (maximum resident set size):

- warm-up: one `statediff report`, so every sentence's vector is in the cache (the shared cache by default:
  $STATEDIFF_CACHE_DIR or ~/.cache/statediff; a cold cache makes this run load the model and embed);
- full build, vectors cached: the reports folder removed, `statediff report` builds every report and the
  lineages with them (each report's comparison extends the lineages), the history page and the index;
- lineages only: the reports kept, the lineage store removed: `statediff report` rebuilds the lineages
  (comparing each pair again; no report is rewritten) and the history page;
- one statement added: `statediff add` of the held-back statement (its report, the lineages extended by
  one statement, the history page and the index), then it is removed again for the next run.

Medians of ``--repeat`` runs. Also, in this process: the lineage table alone (``history.build.build_table``
over the 210 statements, vectors cached), its time and its peak Python memory (tracemalloc). Usage:

    .venv/bin/python benchmarks/history.py [--repeat 3] [--series fomc-2000-2026-novote]
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from userenv import as_a_user_runs

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def run(*args: str, cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    """Run `statediff ARGS`: wall time, peak memory (MB) of the process, standard output; fails loudly on an error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "statediff", *args], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"statediff {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: report it only when this child raised it.
    return elapsed, max(peak, before) / 1024, done.stdout


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f}, {five:.1f}, {fifteen:.1f} on {os.cpu_count()} cores"


def main() -> None:
    as_a_user_runs()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", default="fomc-2000-2026-novote", help="a folder of ../shared/corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step")
    args = parser.parse_args()
    source = CORPUS / args.series
    if not source.is_dir():
        sys.exit(f"no corpus at {source}")
    sys.path.insert(0, str(ROOT / "src"))
    from statediff.folder.statements import add_statement

    files = sorted(source.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="statediff-history-") as tmp:
        work = Path(tmp)
        statements, reports = work / "statements", work / "reports"
        statements.mkdir()
        for path in files[:-1]:
            add_statement(statements, path, series=args.series, issuers=["Federal Open Market Committee"])
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        print(f"{args.series}: {len(files)} statements, the last held back; {load()}")

        warm, peak, out = run("report", cwd=work, env=env)
        print(f"warm-up report (fills the vector cache if needed): {warm:.1f} s, peak {peak:.0f} MB -> {out.splitlines()[-1]}")

        full: list[float] = []
        for _ in range(args.repeat):
            shutil.rmtree(reports)
            elapsed, peak, out = run("report", cwd=work, env=env)
            full.append(elapsed)
        print(f"full build, vectors cached ({len(files) - 1} statements: every report, the lineages, history page, index): "
              f"median {statistics.median(full):.1f} s (min {min(full):.1f}, max {max(full):.1f}), peak {peak:.0f} MB")

        only: list[float] = []
        for _ in range(args.repeat):
            (reports / ".statediff-history.json").unlink()
            elapsed, peak, out = run("report", cwd=work, env=env)
            only.append(elapsed)
        print(f"lineages only (reports current, lineage store removed): median {statistics.median(only):.1f} s "
              f"(min {min(only):.1f}, max {max(only):.1f}) -> {out.splitlines()[-1]}")

        added: list[float] = []
        for _ in range(args.repeat):
            elapsed, peak, out = run("add", str(files[-1]), "--series", args.series, cwd=work, env=env)
            added.append(elapsed)
            lines = out.splitlines()
            (statements / args.series / Path(lines[0].split()[-1]).name).unlink()
            run("report", cwd=work, env=env)  # back to 209: the next run adds it again
        print(f"one statement added (statediff add: its report, lineages extended, history page, index): "
              f"median {statistics.median(added):.2f} s (min {min(added):.2f}, max {max(added):.2f}) -> {lines[-1]}")

        # In this process: the lineage table alone over every statement (the held-back one added back first).
        add_statement(statements, files[-1], series=args.series, issuers=["Federal Open Market Committee"])
        from statediff.engine.embed import default_embedder
        from statediff.folder.statements import list_series
        from statediff.history.build import build_table

        items = list_series(statements, args.series)[args.series]
        embedder = default_embedder()
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            table = build_table(args.series, items, embedder)
            times.append(time.perf_counter() - start)
        elapsed = statistics.median(times)
        tracemalloc.start()  # a separate run: tracing slows Python several times over
        build_table(args.series, items, embedder)
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        gaps = sum(1 for occ in table.occurrences.values() if any(b[0] - a[0] > 1 for a, b in itertools.pairwise(occ)))
        print(f"lineage table alone, in process ({len(items)} statements, {sum(len(e.lineages) for e in table.entries)} "
              f"sentences): median {elapsed:.1f} s, peak Python memory {traced / 1e6:.0f} MB; {len(table.occurrences)} lineages, "
              f"{gaps} with a gap; model loaded: {'sentence_transformers' in sys.modules}")
        page = reports / args.series / "history.html"
        print(f"history page: {page.stat().st_size / 1e6:.2f} MB; {load()}")


if __name__ == "__main__":
    main()

"""Speed of `statediff compare` as a user runs it: cold and warm wall time, peak memory, model throughput.

Every timing is a whole process (`statediff compare OLD NEW`), started the way a user starts it, so imports,
model loading and the vector cache all count. Beside it, difflib.HtmlDiff on the same pair, also in a process.

    .venv/bin/python benchmarks/speed.py [--runs 5] [--pair OLD NEW]

Wall time is what a user waits; CPU time (user + system of the process) is printed beside it because it
hardly moves when other work shares the machine, while wall time does.

cold = empty vector cache (a fresh $STATEDIFF_CACHE_DIR per run), so the model is imported and loaded;
warm = every sentence already cached, so the model stack is never imported.
Targets (issue 2): warm < 0.5 s, cold < 15 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PAIR = (
    CORPUS / "us-japan-rok-trilateral" / "2023-08-18-spirit-of-camp-david-joint-statement.txt",
    CORPUS / "us-japan-rok-trilateral" / "2024-11-15-lima-joint-leaders-statement.txt",
)
WARM_TARGET, COLD_TARGET = 0.5, 15.0
HTMLDIFF = (
    "import difflib, sys\n"
    "a = open(sys.argv[1], encoding='utf-8').read().splitlines()\n"
    "b = open(sys.argv[2], encoding='utf-8').read().splitlines()\n"
    "sys.stdout.write(difflib.HtmlDiff(wrapcolumn=80).make_file(a, b))\n"
)


def statediff_command() -> list[str]:
    script = Path(sys.executable).parent / "statediff"
    return [str(script)] if script.exists() else [sys.executable, "-m", "statediff"]


Run = tuple[float, float, int, int, float]


def measure(args: list[str], env: dict[str, str]) -> Run:
    """Wall s, peak resident MiB, exit code, output bytes and CPU s of one process (wait4 gives its own rusage)."""
    start = time.perf_counter()
    # Files, not pipes: wait4 reaps the child before anything reads, so a full pipe would block it forever.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, stdout=out, stderr=errors, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode(errors="replace")
        size = out.tell()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err.strip()}")
    return wall, usage.ru_maxrss / 1024, proc.returncode, size, usage.ru_utime + usage.ru_stime


def summarise(label: str, runs: list[Run], target: float | None = None) -> str:
    walls = [r[0] for r in runs]
    cpu = statistics.median(r[4] for r in runs)
    verdict = ""
    if target is not None:
        verdict = f"  target < {target:g} s: {'met' if statistics.median(walls) < target else 'MISSED'}"
    return (
        f"{label:34} median {statistics.median(walls):6.2f} s  (min {min(walls):.2f}, max {max(walls):.2f}, n={len(walls)})"
        f"  cpu {cpu:5.2f} s  peak {max(r[1] for r in runs):4.0f} MiB  output {runs[0][3] / 1024:3.0f} KiB{verdict}"
    )


def throughput(sentences: int) -> str:
    """Model load time and encoding speed in this process (no cache), on corpus sentences."""
    sys.path.insert(0, str(ROOT / "src"))
    from statediff.engine.embed import SentenceTransformerEmbedder
    from statediff.engine.segment import segment
    from statediff.read.ingest import read_document
    from statediff.textnorm import normalize

    texts: list[str] = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        texts += [normalize(s.text) for s in segment(read_document(path).body)]
        if len(texts) >= sentences:
            break
    texts = texts[:sentences]
    embedder = SentenceTransformerEmbedder()
    start = time.perf_counter()
    embedder.encode(texts[:1])  # import and load
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    embedder.encode(texts)
    took = time.perf_counter() - start
    return (
        f"{'model import + load (in process)':34} {loaded:6.2f} s\n"
        f"{'embedding throughput':34} {len(texts) / took:6.0f} sentences/s  ({len(texts)} corpus sentences in {took:.2f} s, "
        f"mean {sum(map(len, texts)) / len(texts):.0f} chars, CPU, batch {embedder.batch_size})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (the median is reported)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs (each loads the model)")
    parser.add_argument("--sentences", type=int, default=400, help="corpus sentences for the throughput figure")
    parser.add_argument("--pair", nargs=2, type=Path, default=PAIR, metavar=("OLD", "NEW"))
    opts = parser.parse_args()
    old, new = opts.pair
    for path in (old, new):
        if not path.is_file():
            raise SystemExit(f"{path}: not found (the corpus lives in ../shared/corpus)")
    compare = [*statediff_command(), "compare", str(old), str(new), "--format", "text"]
    print(f"pair: {old.name} ({old.stat().st_size / 1024:.1f} KiB) vs {new.name} ({new.stat().st_size / 1024:.1f} KiB)")
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.1f} at start")
    if load > (os.cpu_count() or 1) * 0.75:
        print("warning: the machine is busy; wall times will be inflated (rerun when it is idle)")
    print()

    with tempfile.TemporaryDirectory(prefix="statediff-speed-") as tmp:
        cold = []
        for k in range(opts.cold_runs):
            env = {**os.environ, "STATEDIFF_CACHE_DIR": str(Path(tmp) / f"cold-{k}")}
            cold.append(measure(compare, env))
        env = {**os.environ, "STATEDIFF_CACHE_DIR": str(Path(tmp) / "cold-0")}  # filled by the first cold run
        warm = [measure(compare, env) for _ in range(opts.runs)]
        help_runs = [measure([*statediff_command(), "--help"], env) for _ in range(opts.runs)]
        htmldiff = [measure([sys.executable, "-c", HTMLDIFF, str(old), str(new)], env) for _ in range(opts.runs)]

    print(summarise("statediff compare, cold cache", cold, COLD_TARGET))
    print(summarise("statediff compare, warm cache", warm, WARM_TARGET))
    print(summarise("statediff --help", help_runs))
    print(summarise("difflib.HtmlDiff (python process)", htmldiff))
    print(throughput(opts.sentences))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

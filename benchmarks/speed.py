"""Speed of `statediff compare` as a user runs it: cold and warm wall time, peak memory, model throughput, fidelity.

Every timing is a whole process (`statediff compare OLD NEW`), started the way a user starts it, so imports,
model loading and the vector cache all count. Beside it, difflib.HtmlDiff on the same pair, also in a process.

    .venv/bin/python benchmarks/speed.py [--runs 5] [--cold-runs 3] [--pair OLD NEW] [--int8] [--warm-only]
                                         [--instructions]

Wall time is what a user waits; CPU time (user + system of the process) is printed beside it because it
hardly moves when other work shares the machine, while wall time does.

cold = empty vector and sentence caches (a fresh $STATEDIFF_CACHE_DIR per run): the model is imported and
loaded. For the fast (ONNX) runtime the one-time export is prepared first and linked into each fresh folder,
so "cold" is a user's first comparison after `statediff model prepare`; the export itself is timed once.
The baseline is the torch runtime (STATEDIFF_RUNTIME=torch, sentence-transformers: statediff before issue 12),
measured in the same run, interleaved with the fast runs so a change of load hits both alike.
warm = every sentence already cached, so no model stack is imported.
Targets (issue 12): fast cold <= 3 s and <= half of torch cold; warm <= 0.3 s; fast cold peak <= 300 MB;
mean cosine of fast vs sentence-transformers vectors >= 0.995 on 1,000 corpus sentences.

The positions layer's share of a warm compare (issue 10: under 30%): the same command with the layer skipped
(``analyse`` and the lexicon check replaced by an empty digest, in the same process start-up), interleaved with the
normal runs; the difference is its analysis and its lines in the report. Its modules are imported in both runs (the
renderers import the digest's types), so their import time is measured apart (in a process that has already
imported everything else) and added to the layer's cost and taken from the rest. ``--instructions`` gives the same
share in instructions counted by valgrind: exact and untouched by other work on the machine, but not time (numpy's
C code does more per instruction than the interpreter), so it reads higher than the CPU-time share. The layer's
result is cached on disk like the vectors (positions.sqlite3): "stored" reads it back, as a repeated compare does;
"worked out" computes it again, as a pair's first compare does (its vectors, boundaries and word diffs cached).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from userenv import as_a_user_runs

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PAIR = (
    CORPUS / "us-japan-rok-trilateral" / "2023-08-18-spirit-of-camp-david-joint-statement.txt",
    CORPUS / "us-japan-rok-trilateral" / "2024-11-15-lima-joint-leaders-statement.txt",
)
WARM_TARGET, COLD_TARGET, PEAK_TARGET, COSINE_TARGET = 0.3, 3.0, 300.0, 0.995
HTMLDIFF = (
    "import difflib, sys\n"
    "a = open(sys.argv[1], encoding='utf-8').read().splitlines()\n"
    "b = open(sys.argv[2], encoding='utf-8').read().splitlines()\n"
    "sys.stdout.write(difflib.HtmlDiff(wrapcolumn=80).make_file(a, b))\n"
)


# The same `statediff compare`, with the positions layer skipped: no marks, topics or digest.
WITHOUT_POSITIONS = (
    "import sys\n"
    "from statediff.cli import main  # first, as in a user's run: it sets up the process before numpy is imported\n"
    "from statediff.positions import digest\n"
    "def empty(comparison, **_):\n"
    "    n = len(comparison.changes)\n"
    "    return digest.Positions((None,) * n, (), (0,) * n, ())\n"
    "digest.analyse = empty\n"
    "digest.PositionsFiles.check = lambda self: ()\n"
    "main(sys.argv[1:], prog_name='statediff')\n"
)
WITH_POSITIONS = "import sys\nfrom statediff.cli import main\nmain(sys.argv[1:], prog_name='statediff')\n"
# The same with the positions result worked out, not read from positions.sqlite3: a pair's first compare (its
# vectors cached), e.g. the git driver or `add` meeting a new pair of known sentences.
WITH_POSITIONS_COMPUTED = (
    "import sys\n"
    "from statediff.cli import main\n"
    "from statediff.positions import store\n"
    "store.load = lambda row: None\n"
    "main(sys.argv[1:], prog_name='statediff')\n"
)
# Everything else a compare imports, before the positions layer.
EVERYTHING_ELSE = (
    "import time, numpy, click, statediff.cli, statediff.engine.pipeline, statediff.engine.fastembed, statediff.render\n"
)
# CPU seconds to import the positions layer's own modules once everything else a compare needs is imported.
POSITIONS_IMPORT = (
    EVERYTHING_ELSE
    + "before = set(__import__('sys').modules)\n"
    "start = time.process_time()\n"
    "import statediff.positions.digest\n"
    "took = time.process_time() - start\n"
    "import sys\n"
    "print(took, len([m for m in set(sys.modules) - before if m.startswith('statediff.positions')]))\n"
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


def summarise(label: str, runs: list[Run], target: float | None = None, peak: float | None = None) -> str:
    walls = [r[0] for r in runs]
    cpu = statistics.median(r[4] for r in runs)
    top = max(r[1] for r in runs)
    verdict = ""
    if target is not None:
        verdict += f"  target <= {target:g} s: {'met' if statistics.median(walls) <= target else 'MISSED'}"
    if peak is not None:
        verdict += f"; peak <= {peak:g} MB: {'met' if top * 1.048576 <= peak else 'MISSED'}"
    return (
        f"{label:34} median {statistics.median(walls):6.2f} s  (min {min(walls):.2f}, max {max(walls):.2f}, n={len(walls)})"
        f"  cpu {cpu:5.2f} s  peak {top:4.0f} MiB  output {runs[0][3] / 1024:3.0f} KiB{verdict}"
    )


def corpus_sentences(count: int) -> list[str]:
    """The first ``count`` distinct normalised sentences of the corpus (series in name order, files by date)."""
    sys.path.insert(0, str(ROOT / "src"))
    from statediff.engine.segment import segment
    from statediff.read.ingest import read_document
    from statediff.textnorm import normalize

    texts: list[str] = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        texts = list(dict.fromkeys([*texts, *(normalize(s.text) for s in segment(read_document(path).body))]))
        if len(texts) >= count:
            break
    return texts[:count]


def throughput(texts: list[str], embedder: Any, label: str) -> str:
    """Load time and encoding speed of ``embedder`` in this process (no cache)."""
    start = time.perf_counter()
    embedder.encode(texts[:1])  # import and load
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    embedder.encode(texts)
    took = time.perf_counter() - start
    return (
        f"{label + ' import + load':34} {loaded:6.2f} s\n"
        f"{label + ' throughput':34} {len(texts) / took:6.0f} sentences/s  ({len(texts)} corpus sentences in {took:.2f} s, "
        f"mean {sum(map(len, texts)) / len(texts):.0f} chars, batch {embedder.batch_size})"
    )


def fidelity(texts: list[str], int8: bool) -> str:
    """Cosine of the fast runtime's vectors against sentence-transformers' own, and the throughput of each."""
    import numpy as np

    from statediff.engine.embed import SentenceTransformerEmbedder
    from statediff.engine.fastembed import OnnxEmbedder

    lines = []
    reference = SentenceTransformerEmbedder()
    ref = reference.encode(texts)
    lines.append(throughput(texts, reference, "torch (sentence-transformers)"))
    for precision in ("fp32", "int8") if int8 else ("fp32",):
        fast = OnnxEmbedder(precision=precision)  # type: ignore[arg-type]
        lines.append(throughput(texts, fast, f"onnx {precision}"))
        cos = np.sum(fast.encode(texts) * ref, axis=1)
        verdict = "met" if cos.mean() >= COSINE_TARGET else "MISSED"
        lines.append(f"{'onnx ' + precision + ' vs torch cosine':34} mean {cos.mean():.6f}  min {cos.min():.6f}  "
                     f"(n={len(texts)})  target mean >= {COSINE_TARGET}: {verdict}")
    return "\n".join(lines)


def warm_figures(compare: list[str], runs: int, env: dict[str, str]) -> None:
    """Warm compare as a user runs it, and the positions layer's share of it (with and without, interleaved)."""
    measure(compare, env)  # fills the cache if it is not yet
    arguments = compare[compare.index("compare"):]
    warm: list[Run] = []
    full: list[Run] = []
    computed: list[Run] = []
    bare: list[Run] = []
    for _ in range(runs):
        warm.append(measure(compare, env))
        full.append(measure([sys.executable, "-c", WITH_POSITIONS, *arguments], env))
        computed.append(measure([sys.executable, "-c", WITH_POSITIONS_COMPUTED, *arguments], env))
        bare.append(measure([sys.executable, "-c", WITHOUT_POSITIONS, *arguments], env))
    print(summarise("compare, warm cache", warm, WARM_TARGET))
    print(summarise("  same, python -c driver", full))
    print(summarise("  same, positions worked out", computed))
    print(summarise("  same, positions layer skipped", bare))
    imports = []
    for _ in range(runs):
        took, count = subprocess.run([sys.executable, "-c", POSITIONS_IMPORT], env=env, check=True, capture_output=True,
                                       text=True).stdout.split(" ", 1)
        imports.append(float(took))
    cost_import = statistics.median(imports)
    print(f"{'  positions modules import':34} median {cost_import * 1000:6.1f} ms cpu  ({count.strip()} modules)")
    # Medians, and minima: on a shared machine the fastest run is the one least disturbed by the others.
    for runs_with, cached in ((full, "stored"), (computed, "worked out")):
        for label, index, pick in (("cpu", 4, statistics.median), ("wall", 0, statistics.median),
                                   ("cpu, minima", 4, min), ("wall, minima", 0, min)):
            with_layer = pick(r[index] for r in runs_with)
            without = pick(r[index] for r in bare) - (min(imports) if pick is min else cost_import)
            share = (with_layer - without) / without
            print(f"{'  positions share (' + cached + '), ' + label:34} {with_layer:6.3f} s with, {without:.3f} s "
                  f"without: +{100 * share:.0f}%  target < 30%: {'met' if share < 0.3 else 'MISSED'}")


def instructions(args: list[str], env: dict[str, str]) -> int:
    """Instructions one process executes, counted by valgrind (callgrind): the same on every run, whatever the load."""
    with tempfile.TemporaryDirectory(prefix="statediff-callgrind-") as tmp:
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", *args],
                              # One BLAS thread, as the CLI sets it before numpy loads: idle BLAS threads spinning
                              # under valgrind made the import-only runs vary by ~20 M instructions.
                              env={**env, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}, capture_output=True,
                              text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind gave no count for {' '.join(args[:3])}: {done.stderr.strip()[-300:]}")
    return int(found.group(1))


def instruction_share(compare: list[str], env: dict[str, str]) -> None:
    """The positions layer's share of a warm compare in instructions (about 60x slower than a run, but exact)."""
    arguments = compare[compare.index("compare"):]
    measure(compare, env)  # fills the cache if it is not yet
    without = instructions([sys.executable, "-c", WITHOUT_POSITIONS, *arguments], env)
    imported = (instructions([sys.executable, "-c", EVERYTHING_ELSE + "import statediff.positions.digest\n"], env)
                - instructions([sys.executable, "-c", EVERYTHING_ELSE], env))
    rest = without - imported
    for code, cached in ((WITH_POSITIONS, "stored"), (WITH_POSITIONS_COMPUTED, "worked out")):
        with_layer = instructions([sys.executable, "-c", code, *arguments], env)
        share = (with_layer - rest) / rest
        print(f"{'  instructions (' + cached + ')':34} {with_layer / 1e6:.0f} M with, {rest / 1e6:.0f} M without the "
              f"layer (its import: {imported / 1e6:.0f} M): +{100 * share:.0f}%  target < 30%: "
              f"{'met' if share < 0.3 else 'MISSED'}")


def main() -> None:
    as_a_user_runs()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (the median is reported)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs (each loads the model)")
    parser.add_argument("--sentences", type=int, default=1000,
                        help="corpus sentences for the throughput and fidelity figures (0: skip them)")
    parser.add_argument("--int8", action="store_true", help="also measure the opt-in int8 runtime")
    parser.add_argument("--pair", nargs=2, type=Path, default=PAIR, metavar=("OLD", "NEW"))
    parser.add_argument("--instructions", action="store_true",
                        help="also count the positions layer's share in instructions with valgrind (deterministic; "
                             "about a minute)")
    parser.add_argument("--warm-only", action="store_true",
                        help="only the warm figures and the positions layer's share (the cache at $STATEDIFF_CACHE_DIR "
                             "is filled by one run first)")
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

    if opts.instructions and not shutil.which("valgrind"):
        raise SystemExit("--instructions needs valgrind (apt install valgrind)")
    if opts.warm_only:
        warm_figures(compare, opts.runs, {**os.environ})
        if opts.instructions:
            instruction_share(compare, {**os.environ})
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        return
    with tempfile.TemporaryDirectory(prefix="statediff-speed-") as tmp:
        models = Path(tmp) / "models"
        start = time.perf_counter()
        # The one-time export, as `statediff model prepare` does it on a fresh machine.
        subprocess.run([*statediff_command(), "model", "prepare"], env={**os.environ, "STATEDIFF_CACHE_DIR": str(models)},
                       check=True, capture_output=True)
        prepared = time.perf_counter() - start
        if opts.int8:
            subprocess.run([*statediff_command(), "model", "prepare", "--int8"],
                           env={**os.environ, "STATEDIFF_CACHE_DIR": str(models)}, check=True, capture_output=True)

        def fresh(name: str, runtime: str) -> dict[str, str]:
            folder = Path(tmp) / name
            folder.mkdir()
            (folder / "onnx").symlink_to(models / "onnx", target_is_directory=True)
            return {**os.environ, "STATEDIFF_CACHE_DIR": str(folder), "STATEDIFF_RUNTIME": runtime}

        cold: list[Run] = []
        baseline: list[Run] = []
        int8: list[Run] = []
        for k in range(opts.cold_runs):  # interleaved: a change of load hits both runtimes alike
            baseline.append(measure(compare, fresh(f"torch-{k}", "torch")))
            cold.append(measure(compare, fresh(f"cold-{k}", "onnx")))
            if opts.int8:
                int8.append(measure(compare, fresh(f"int8-{k}", "onnx-int8")))
        env = {**os.environ, "STATEDIFF_CACHE_DIR": str(Path(tmp) / "cold-0")}  # filled by the first cold run
        help_runs = [measure([*statediff_command(), "--help"], env) for _ in range(opts.runs)]
        htmldiff = [measure([sys.executable, "-c", HTMLDIFF, str(old), str(new)], env) for _ in range(opts.runs)]

        print(f"{'one-time ONNX export (model prepare)':34} {prepared:6.2f} s")
        print(summarise("compare, cold, torch (baseline)", baseline))
        print(summarise("compare, cold, onnx fp32 (default)", cold, COLD_TARGET, PEAK_TARGET))
        ratio = statistics.median(r[0] for r in cold) / statistics.median(r[0] for r in baseline)
        print(f"{'  cold onnx / cold torch':34} {ratio:6.2f}  target <= 0.5: {'met' if ratio <= 0.5 else 'MISSED'}")
        if int8:
            print(summarise("compare, cold, onnx int8 (opt-in)", int8))
        warm_figures(compare, opts.runs, env)
        if opts.instructions:
            instruction_share(compare, env)
        print(summarise("statediff --help", help_runs))
        print(summarise("difflib.HtmlDiff (python process)", htmldiff))
        if opts.sentences:
            with_models = {**os.environ, "STATEDIFF_CACHE_DIR": str(models)}
            os.environ.update(with_models)
            print(fidelity(corpus_sentences(opts.sentences), opts.int8))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()

"""Long statements: warm `statediff compare` of 1,000 / 2,000 / 5,000 sentences per side, wall time and peak memory.

Each side is made from corpus sentences (../shared/corpus, segmented by statediff; seeded, so every run builds
the same texts; past the corpus's ~4,500 distinct sentences, corpus sentences behind a lead-in such as
"Moreover, "): OLD is N distinct sentences in paragraphs of five; NEW drops a tenth, rewords a tenth (one word
changed), adds a tenth of sentences OLD lacks, and moves a tenth of the paragraphs elsewhere. A first untimed
run fills the vector cache; then each size is compared warm (every vector cached, the model never loaded), as a
whole process, `--runs` times: the median and the peak resident memory are printed.

    .venv/bin/python benchmarks/long.py [--sizes 1000 2000 5000] [--runs 3]

Besides wall and CPU time it prints, per size, how long the process waited for a CPU (others were using both)
and how long it was blocked (the rest: disk, locks).

Target (issue 12): 5,000 sentences per side warm in at most 10 s and 600 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
CORPUS = ROOT.parent / "shared" / "corpus"
TARGET = (10.0, 600.0)


def corpus_sentences() -> list[str]:
    from statediff.engine.segment import segment
    from statediff.read.ingest import read_document

    seen: dict[str, None] = {}
    for path in sorted(CORPUS.rglob("*.txt")):
        for s in segment(read_document(path).body):
            if len(s.text.split()) >= 6:
                seen.setdefault(s.text, None)
    return list(seen)


LEADS = ("", "Moreover, ", "In addition, ", "At the same time, ")
"""The corpus has about 4,500 distinct sentences: larger sides also use them behind a lead-in (distinct texts)."""


def make_pair(pool: list[str], n: int, seed: int = 7) -> tuple[str, str]:
    """OLD and NEW bodies of about ``n`` sentences each (see the module docstring)."""
    rng = random.Random(seed)
    need = int(n * 1.1) + 1
    variants = [lead + (s[0].lower() + s[1:] if lead else s) for lead in LEADS for s in pool]
    if len(variants) < need:
        sys.exit(f"long.py: the corpus gives {len(variants)} distinct sentences, fewer than {need}")
    picked = rng.sample(pool, need) if need <= len(pool) else pool + rng.sample(variants[len(pool) :], need - len(pool))
    rng.shuffle(picked)
    old, extra = picked[:n], picked[n:]
    new: list[str] = []
    for s in old:
        roll = rng.random()
        if roll < 0.1:
            continue  # dropped
        if roll < 0.2:
            words = s.split()
            k = rng.randrange(len(words))
            words[k] = "notably" if words[k] != "notably" else "clearly"
            s = " ".join(words)
        new.append(s)
        if rng.random() < 0.1 and extra:
            new.append(extra.pop())
    paras = [new[k : k + 5] for k in range(0, len(new), 5)]
    for _ in range(len(paras) // 10):
        para = paras.pop(rng.randrange(len(paras)))
        paras.insert(rng.randrange(len(paras) + 1), para)

    def body(paragraphs: list[list[str]]) -> str:
        return "\n\n".join(" ".join(p) for p in paragraphs) + "\n"

    return body([old[k : k + 5] for k in range(0, len(old), 5)]), body(paras)


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """Wall s, peak resident MiB, CPU s (user + system: it hardly moves when others share the machine) and the
    seconds its main thread spent ready to run but waiting for a CPU taken by other processes, of one process.

    Wall minus CPU minus that wait is time spent blocked (disk, locks, sleeping): the three tell a busy
    machine from a slow disk or a lock.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env)
        queued = _waited_for_cpu(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            sys.exit(f"long.py: {' '.join(args)} failed ({code}): {err.read().decode(errors='replace')[-500:]}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, queued


def _waited_for_cpu(pid: int) -> float:
    """Once ``pid`` has exited (not yet reaped): its main thread's run-queue wait, from /proc (0.0 where unknown)."""
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as handle:  # on-CPU ns, run-queue wait ns, slices
            return int(handle.read().split()[1]) / 1e9
    except (OSError, AttributeError, ValueError, IndexError):  # not Linux, or no scheduler statistics
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"long.py: corpus not found at {CORPUS}")
    pool = corpus_sentences()
    script = Path(sys.executable).parent / "statediff"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "statediff"]
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    print(f"{len(pool)} distinct corpus sentences; load average {os.getloadavg()}")
    print(f"{'sentences/side':>15} {'old':>6} {'new':>6} {'warm s (median)':>16} {'runs':>24} {'CPU s':>6} "
          f"{'queued s':>9} {'blocked s':>10} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            old_body, new_body = make_pair(pool, n)
            old, new = Path(tmp) / f"old-{n}.txt", Path(tmp) / f"new-{n}.txt"
            old.write_text(old_body, encoding="utf-8")
            new.write_text(new_body, encoding="utf-8")
            cmd = [*command, "compare", str(old), str(new), "--format", "json", "-o", str(Path(tmp) / f"out-{n}.json")]
            run(cmd, env)  # fills the vector cache (and the span cache)
            times, peaks, cpus, queued = [], [], [], []
            for _ in range(args.runs):
                wall, peak, cpu, waited = run(cmd, env)
                times.append(wall)
                peaks.append(peak)
                cpus.append(cpu)
                queued.append(waited)
            counts = (old_body.count(". ") + old_body.count(".\n"), new_body.count(". ") + new_body.count(".\n"))
            print(f"{n:>15} {counts[0]:>6} {counts[1]:>6} {statistics.median(times):>16.2f} "
                  f"{' '.join(f'{t:.2f}' for t in times):>24} {statistics.median(cpus):>6.2f} {statistics.median(queued):>9.2f} "
                  f"{statistics.median(w - c - q for w, c, q in zip(times, cpus, queued, strict=True)):>10.2f} "
                  f"{max(peaks):>9.0f}")
    print(f"target for 5,000 per side: <= {TARGET[0]:.0f} s, <= {TARGET[1]:.0f} MB; "
          f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()

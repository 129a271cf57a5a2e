"""A fuzz target over the readers (issue 8): front matter, saved HTML pages, the corpus header format, encodings.

Seeded inputs are mutated at random (bytes flipped, YAML and HTML tokens spliced in, chunks repeated, cut short)
and read as statement files. Every input must give a ``Document`` or one ``StatediffError`` -- never another
exception -- within a few CPU-seconds (hangs and quadratic blow-ups take minutes). CI runs it for
``STATEDIFF_FUZZ_SECONDS`` (default 20 s); for a longer hunt:
``python tests/test_fuzz_readers.py 600``. A failure prints the seed and the input, so it can be replayed.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

SEEDS: list[tuple[str, bytes]] = [
    (".md", b"---\ntitle: FOMC statement\ndate: 2023-05-03\nsource: https://example.org/a\nissuers:\n- FOMC\n"
            b"language: en\n---\n\nEconomic activity expanded. Inflation remains elevated.\n"),
    (".txt", b"title: G7 communique\ndate: 2023-05-20\nsource: https://example.org/g7\n\nWe, the Leaders, met.\n\n"
             b"- We support Ukraine.\n# Heading\n1. First item.\n"),
    (".html", b"<!doctype html><html><head><title>T</title><meta property='og:title' content='Statement'>"
              b"<link rel=canonical href='https://example.org/x'></head><body><nav>menu</nav><main><h1>Statement</h1>"
              b"<p>Growth <b>U</b>.S. slowed.<br><br>Jobs rose.</p><ul><li>One</li></ul><time datetime='2023-05-03'>"
              b"</time></main><footer>f</footer></body></html>"),
    (".md", b"\xef\xbb\xbf---\r\ntitle: 'A: b'\r\ndate: 2023-01-02\r\n...\r\n\r\nText \xe2\x80\x94 more.\r\n"),
    (".txt", "\ufeffPlain text only. 経済活動は拡大した。".encode("utf-16")),
]
TOKENS = [b"&a ", b"*a", b"&b [*a,*a,*a]", b"[", b"]", b"{", b"}", b"- ", b": ", b"---\n", b"...\n",
          b"!!python/object:os.system ",
          b"!!binary ", b"<<: *a\n", b"? ", b"|\n  ", b">\n  ", b"'", b'"', b"\\", b"%YAML 1.1\n", b"\t", b"\x00", b"\xff\xfe",
          b"\xef\xbb\xbf", b"<div>", b"</div>", b"<p>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<script>", b"<br>",
          b"<h1>", b"&#0;", b"&#x110000;", b"<main>", b"<table><tr><td>", b"<meta name=date content=", b"title: ",
          b"date: 9999-99-99\n", b"date: 2023-02-30\n", b"\r", b"\n\n", "\u202e".encode(), "経済".encode(), b"\x1b[2J",
          b"9" * 5000, b"0x" + b"f" * 400]


def mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        at = rng.randint(0, len(out))
        if choice < 0.35:
            out[at:at] = rng.choice(TOKENS)
        elif choice < 0.5 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif choice < 0.6:
            end = min(len(out), at + rng.randint(1, 200))
            out[at:end] = b""
        elif choice < 0.7:
            chunk = bytes(out[at : at + rng.randint(1, 60)])
            out[at:at] = chunk * rng.randint(1, 400)
        elif choice < 0.8:
            token = rng.choice([b"<div>", b"[", b"- ", b"{a: "])
            out[at:at] = token * rng.randint(10, 3000)
        else:
            del out[rng.randint(0, len(out)) :]
    return bytes(out[:3_000_000])


def fuzz(seconds: float, seed: int) -> int:
    """Run for ``seconds``; returns the number of inputs tried. Raises AssertionError with a replayable case."""
    from statediff.errors import StatediffError
    from statediff.read.ingest import read_document

    rng = random.Random(seed)
    tried = 0
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as folder:
        while time.monotonic() < deadline:
            suffix, data = rng.choice(SEEDS)
            case = mutate(rng, data)
            path = Path(folder) / f"case{suffix}"
            path.write_bytes(case)
            # CPU time, not wall time: a busy shared machine stretches the wall clock, never the work an input causes.
            started = time.process_time()
            try:
                read_document(path)
            except StatediffError as exc:
                assert "\n" not in str(exc), f"seed {seed}, case {tried}: a multi-line error {str(exc)!r}"
            except Exception as exc:  # any other exception is the bug this hunts
                raise AssertionError(f"seed {seed}, case {tried} ({suffix}): {type(exc).__name__}: {exc}\n"
                                     f"input: {case[:2000]!r}") from exc
            took = time.process_time() - started
            # A hang detector, not a benchmark: a real input reads in milliseconds; quadratic blow-ups take minutes.
            assert took < 5.0, f"seed {seed}, case {tried} ({suffix}): {took:.1f} CPU-s for {len(case)} bytes: {case[:500]!r}"
            tried += 1
    return tried


def test_the_readers_survive_a_bounded_fuzz_run() -> None:
    seconds = float(os.environ.get("STATEDIFF_FUZZ_SECONDS", "20"))
    seed = int(os.environ.get("STATEDIFF_FUZZ_SEED", "8"))
    tried = fuzz(seconds, seed)
    assert tried > 50, f"only {tried} inputs in {seconds} s"
    print(f"fuzzed the readers with {tried} inputs in {seconds:.0f} s (seed {seed})")


if __name__ == "__main__":
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 60
    start_seed = int(sys.argv[2]) if len(sys.argv) > 2 else random.randrange(1 << 30)
    print(f"{fuzz(budget, start_seed)} inputs, no failure (seed {start_seed})")

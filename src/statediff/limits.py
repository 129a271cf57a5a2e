"""Limits on untrusted input: how big a statement may be, how deep its HTML and front matter may nest.

Statements come from strangers (pull requests, saved web pages). Every reader checks these limits and refuses
with one clear line, so no input can take unbounded time or memory. The size limit is configurable with the
environment variable ``STATEDIFF_MAX_INPUT`` (bytes, or a number with K/M suffix: ``5M``); the same limit holds
for ``compare``, ``add``, ``report``, ``review`` and the git driver.
"""

from __future__ import annotations

import os
import re

from statediff.errors import StatediffError

MAX_INPUT_ENV = "STATEDIFF_MAX_INPUT"
#: The largest official statement we know is 136 KB; 1 MB leaves room seven times over and bounds the slowest
#: input of that size (one block without full stops) to about a minute.
DEFAULT_MAX_INPUT = 1_000_000
#: HTML elements nested deeper than this are no statement page (real pages nest ~30 deep); libxml2, which
#: trafilatura parses with, drops content past 255 levels, so a deeper page would read as empty.
MAX_HTML_DEPTH = 250
#: Characters html.parser may scan ahead for the ends of tags, summed over all tags (about 0.5 s of parsing);
#: a real page stays far below (each tag closes within a few hundred characters). See htmltext._unclosed_cost.
MAX_HTML_SCAN = 5_000_000
#: Front matter is a handful of fields: its YAML may not nest deeper, use any alias, or exceed this size.
MAX_FRONT_MATTER_BYTES = 64_000
MAX_YAML_DEPTH = 20
#: Sentences per side. Alignment scores nearest-neighbour candidates on long texts, so time grows near-linearly
#: (5,000 per side: about 6 s of CPU and 400 MB warm); the longest statement in the corpus (the 2024 G7 Apulia
#: communiqué) has 731. ``STATEDIFF_MAX_SENTENCES`` raises or lowers it.
MAX_SENTENCES_ENV = "STATEDIFF_MAX_SENTENCES"
DEFAULT_MAX_SENTENCES = 6000
#: A series' own Positions data: ``<statements>/<series>/positions/`` holding any of these files. Named here, at the
#: bottom layer, so a no-op ``report`` can hash them without importing the positions layer (and numpy), and in this
#: module rather than config.py so a compare, which imports this one anyway, does not import config.py (its Config
#: dataclass costs ~0.8 ms to create) for three names.
SERIES_POSITIONS = "positions"
POSITIONS_FILES = ("lexicon.txt", "actors.txt", "topics.txt")
POSITIONS_FILE_MAX = 1_000_000
"""Bytes a positions data file may hold (a lexicon is a few hundred lines; anything near this is not one)."""


def max_sentences() -> int:
    """Sentences per side a comparison takes: ``$STATEDIFF_MAX_SENTENCES``, else 6,000."""
    raw = os.environ.get(MAX_SENTENCES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_SENTENCES
    if not raw.isdigit() or int(raw) < 1:
        raise StatediffError(f"{MAX_SENTENCES_ENV}={raw!r} is not a count of sentences; give a whole number, e.g. 10000")
    return int(raw)

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*")
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def max_input_bytes() -> int:
    """The input-size limit in bytes: ``$STATEDIFF_MAX_INPUT``, else 1 MB."""
    raw = os.environ.get(MAX_INPUT_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_INPUT
    match = _SIZE.fullmatch(raw)
    if not match or float(match.group(1)) <= 0:
        raise StatediffError(f"{MAX_INPUT_ENV}={raw!r} is not a size; give bytes or a number with K or M, e.g. 5M")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def too_large(name: str, size: int) -> StatediffError:
    """The one message every reader gives for an input over the limit."""
    limit = max_input_bytes()
    return StatediffError(
        f"{name}: {_megabytes(size)}, over the input limit of {_megabytes(limit)} for a statement; "
        f"if it really is one, raise the limit: {MAX_INPUT_ENV}={_suggest(size)}"
    )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def _suggest(size: int) -> str:
    return f"{size // 1000 + 1}K" if size < 1_000_000 else f"{size // 1_000_000 + 1}M"

"""The data files of the positions layer: the stance/tilt lexicon and the actors list, shipped with the package and
extendable per series (same format, lines added to the shipped ones).

A malformed line is one ``StatediffError`` naming the file, the line and the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from statediff.errors import StatediffError

STANCE_FAMILIES = ("condemnation", "concern", "support", "commitment", "opposition", "certainty", "hedging", "urgency",
                   "intensity")
TILT_FAMILIES = ("hawkish", "dovish")
ACTOR_TYPES = ("country", "organisation", "person", "initiative", "self", "document")
_PHRASE = re.compile(r"^[a-z0-9'’.\-]+\*?(?: (?:[a-z0-9'’.\-]+\*?|\*))*$")
MAX_FILE = 1_000_000  # a lexicon is a few hundred lines; anything near this is not one


@dataclass(frozen=True)
class Entry:
    """One lexicon line."""

    family: str
    """A stance family (condemnation … intensity) or a tilt family (hawkish, dovish)."""
    weight: int
    """Stance: + strengthens, - softens. Tilt: how strongly it leans."""
    phrase: str
    """Lower-case words; ``*`` ends a word with any ending, or stands alone for any one word."""


@dataclass(frozen=True, eq=False)  # hashed by identity: find_in_context's cache keys on it
class Lexicon:
    """Every phrase, indexed by its first word so that a sentence is matched only against phrases that can occur."""

    entries: tuple[Entry, ...]
    exact: dict[str, tuple[Entry, ...]]
    """First word (no ``*``) -> its phrases."""
    prefixed: dict[str, tuple[tuple[str, Entry], ...]]
    """First three letters of a first word ending in ``*`` -> (the word's prefix, entry)."""

    def find(self, text: str, families: tuple[str, ...] | None = None) -> list[Entry]:
        """The entries whose phrase occurs in ``text``, once per occurrence, without overlaps (longest wins).

        ``families``: only phrases of these families compete for the words, so that a tilt phrase ("somewhat
        elevated") does not hide a stance word inside it ("somewhat") and the reverse.
        """
        return [entry for entry, _before in self.find_in_context(text, families)]

    def find_in_context(self, text: str, families: tuple[str, ...] | None = None) -> tuple[tuple[Entry, tuple[str, ...]], ...]:
        """As ``find``, each entry with the (up to) two words before it, lower-case, nearest last.

        Matched word by word on the text's tokens (no regular expression per phrase: compiling hundreds of them
        cost more than the whole rest of the positions layer). Cached: marks() reads each sentence several times.
        """
        return _find_in_context(self, text, families)


@lru_cache(maxsize=4096)
def _find_in_context(lexicon: Lexicon, text: str,
                     families: tuple[str, ...] | None) -> tuple[tuple[Entry, tuple[str, ...]], ...]:
    """Lexicon.find_in_context, cached (lexicons are few and live as long as the process)."""
    raw = _WORDS.findall(text)
    words = [w.lower().replace("’", "'") for w in raw]
    spans = []
    for i, w in enumerate(words):
        if raw[i] == "May" and i > 0:
            continue  # the month inside a sentence ("met in May"), not the modal verb
        candidates = list(lexicon.exact.get(w, ()))
        candidates += [e for prefix, e in lexicon.prefixed.get(w[:3], ()) if w.startswith(prefix)]
        for e in candidates:
            if families is not None and e.family not in families:
                continue
            n = _matches(e.phrase.split(" "), words, i)
            if n:
                spans.append((i, i + n, e))
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    taken: list[tuple[int, int]] = []
    found = []
    for start, end, entry in spans:
        if not any(start < e and s < end for s, e in taken):
            taken.append((start, end))
            found.append((start, entry))
    return tuple((entry, tuple(words[max(0, start - 2) : start])) for start, entry in sorted(found, key=lambda f: f[0]))


def _matches(pattern: list[str], words: list[str], at: int) -> int:
    """How many words the phrase covers starting at ``words[at]`` (0: no match)."""
    if at + len(pattern) > len(words):
        return 0
    for p, w in zip(pattern, words[at : at + len(pattern)], strict=True):
        p = p.replace("’", "'")
        if p == "*":
            continue
        if p.endswith("*"):
            if not w.startswith(p[:-1]):
                return 0
        elif p != w:
            return 0
    return len(pattern)


# Words as the lexicon sees them: hyphenated words stay whole ("well-functioning"), as the phrases were written.
_WORDS = re.compile(r"[\w’'-]+")


@dataclass(frozen=True)
class Actor:
    """One actor and every name it goes by."""

    type: str
    """country, organisation, person, initiative or self."""
    names: tuple[str, ...]
    """The names, the first one canonical."""


def _read_lines(path: Path | str, text: str | None = None) -> Iterable[tuple[int, str]]:
    if text is None:
        try:
            if Path(path).stat().st_size > MAX_FILE:
                raise StatediffError(f"{path}: is over {MAX_FILE // 1000} kB; a lexicon or list is a small text file")
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise StatediffError(f"{path}: cannot be read ({exc.strerror}); check the path") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad_line = raw[: exc.start].count(b"\n") + 1
            raise StatediffError(f"{path}: line {bad_line}: is not UTF-8 text; save it as UTF-8") from exc
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def parse_lexicon(path: Path | str, text: str | None = None) -> list[Entry]:
    """The entries of one lexicon file (``text`` given: parse that, naming ``path`` in errors)."""
    entries = []
    for number, line in _read_lines(path, text):
        where = f"{path}: line {number}"
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise StatediffError(f"{where}: expected '<family> <weight> <phrase>', got {line[:60]!r}")
        family, weight, phrase = parts[0].lower(), parts[1], " ".join(parts[2].lower().split())
        if family not in STANCE_FAMILIES + TILT_FAMILIES:
            known = ", ".join(STANCE_FAMILIES + TILT_FAMILIES)
            raise StatediffError(f"{where}: unknown family {parts[0][:40]!r}; use one of {known}")
        if not re.fullmatch(r"[+-]?\d", weight) or not -5 <= int(weight) <= 5:
            raise StatediffError(f"{where}: weight {weight[:20]!r} is not a whole number from -5 to 5")
        if not _PHRASE.match(phrase) or phrase.startswith("*"):
            raise StatediffError(f"{where}: phrase {phrase[:60]!r} must be lower-case words (a * ends a word or stands for "
                                 "one word after the first)")
        if re.match(r"^[^ ]{1,3}\*", phrase):
            raise StatediffError(f"{where}: phrase {phrase[:60]!r}: a word ending in * needs at least three letters before it")
        entries.append(Entry(family, int(weight), phrase))
    return entries


def build_lexicon(entries: Iterable[Entry]) -> Lexicon:
    """Later entries for the same phrase and family replace earlier ones (a series can reweigh a shipped phrase)."""
    chosen: dict[tuple[str, str], Entry] = {}
    for e in entries:
        chosen[(e.family, e.phrase)] = e
    ordered = sorted(chosen.values(), key=lambda e: (-len(e.phrase.split()), -len(e.phrase), e.phrase))
    exact: dict[str, list[Entry]] = {}
    prefixed: dict[str, list[tuple[str, Entry]]] = {}
    for e in ordered:
        first = e.phrase.split(" ")[0].replace("’", "'")
        if first.endswith("*"):
            # A prefix under three letters would be looked up under every word; the parser keeps them out.
            prefixed.setdefault(first[:3], []).append((first[:-1], e))
        else:
            exact.setdefault(first, []).append(e)
    return Lexicon(tuple(ordered), {k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in prefixed.items()})


def parse_actors(path: Path | str, text: str | None = None) -> list[Actor]:
    """The actors of one actors file."""
    actors = []
    for number, line in _read_lines(path, text):
        where = f"{path}: line {number}"
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not all(parts):
            raise StatediffError(f"{where}: expected '<type> | <name> | <other name> ...' with no empty name, got {line[:60]!r}")
        if parts[0].lower() not in ACTOR_TYPES:
            raise StatediffError(f"{where}: unknown actor type {parts[0][:40]!r}; use one of {', '.join(ACTOR_TYPES)}")
        if any(len(p) > 120 for p in parts[1:]):
            raise StatediffError(f"{where}: a name is over 120 characters; one actor name per field")
        actors.append(Actor(parts[0].lower(), tuple(parts[1:])))
    return actors


DATA = Path(__file__).resolve().parent / "data"
"""The shipped data files (a plain folder: importlib.resources would cost every compare ~5 ms of imports)."""


def shipped(name: str) -> str:
    """The text of the shipped data file ``name``."""
    return (DATA / name).read_text(encoding="utf-8")


@lru_cache(maxsize=8)
def lexicon_for(extra: tuple[str, ...] = ()) -> Lexicon:
    """The shipped lexicon plus the lines of each ``extra`` file, in order."""
    entries = parse_lexicon("lexicon.txt (shipped)", shipped("lexicon.txt"))
    for path in extra:
        entries.extend(parse_lexicon(path))
    return build_lexicon(entries)


@lru_cache(maxsize=8)
def actor_lines(extra: tuple[str, ...] = ()) -> tuple[Actor, ...]:
    """The shipped actors plus each ``extra`` file's."""
    actors = parse_actors("actors.txt (shipped)", shipped("actors.txt"))
    for path in extra:
        actors.extend(parse_actors(path))
    return tuple(actors)

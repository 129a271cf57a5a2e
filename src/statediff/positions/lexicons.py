"""The data files of the positions layer: the stance/tilt lexicon and the actors list, shipped with the package and
extendable per series (same format, lines added to the shipped ones).

A malformed line is one ``StatediffError`` naming the file, the line and the problem.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from statediff.errors import StatediffError
from statediff.limits import POSITIONS_FILE_MAX
from statediff.positions.patterns import regex

STANCE_FAMILIES = ("condemnation", "concern", "support", "commitment", "opposition", "certainty", "hedging", "urgency",
                   "intensity")
TILT_FAMILIES = ("hawkish", "dovish")
ACTOR_TYPES = ("country", "organisation", "person", "initiative", "self", "document")
# Matched with "’" read as "'" (the two are allowed alike): a class holding "’" costs 0.15 ms to compile.
_PHRASE = regex(r"^[a-z0-9'.\-]+\*?(?: (?:[a-z0-9'.\-]+\*?|\*))*$")
_WEIGHT = regex(r"[+-]?\d")
_SHORT_STAR = regex(r"^[^ ]{1,3}\*")  # compiled once: every line of every lexicon is checked
MAX_FILE = POSITIONS_FILE_MAX


# The records below are NamedTuples and plain classes, not dataclasses: every compare imports this module, and
# generating a frozen dataclass's methods costs ~0.5 ms of start-up each (a NamedTuple ~0.1 ms).
class Entry(NamedTuple):
    """One lexicon line."""

    family: str
    """A stance family (condemnation … intensity) or a tilt family (hawkish, dovish)."""
    weight: int
    """Stance: + strengthens, - softens. Tilt: how strongly it leans."""
    phrase: str
    """Lower-case words; ``*`` ends a word with any ending, or stands alone for any one word."""


class Lexicon:
    """Every phrase, indexed by its first word so that a sentence is matched only against phrases that can occur.
    Hashed by identity: find_in_context's cache keys on it."""

    __slots__ = ("entries", "exact", "prefixed", "starting")

    def __init__(self, entries: tuple[Entry, ...], exact: dict[str, tuple[Entry, ...]],
                 prefixed: dict[str, tuple[tuple[str, Entry], ...]]) -> None:
        self.entries = entries
        self.exact = exact
        """First word (no ``*``) -> its phrases."""
        self.prefixed = prefixed
        """First three letters of a first word ending in ``*`` -> (the word's prefix, entry)."""
        self.starting: dict[str, tuple[tuple[tuple[str, ...], Entry], ...]] = {}
        """Memo: word -> (pattern, entry) of each phrase that can start at it (``_starting``); most words none."""

    def __repr__(self) -> str:
        return f"Lexicon({len(self.entries)} entries)"

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


@lru_cache(maxsize=16384)  # a long pair asks about thousands of (text, families): 4,096 evicted before reuse
def _find_in_context(lexicon: Lexicon, text: str,
                     families: tuple[str, ...] | None) -> tuple[tuple[Entry, tuple[str, ...]], ...]:
    """Lexicon.find_in_context, cached (lexicons are few and live as long as the process)."""
    spans = [s for s in _all_spans(lexicon, text) if families is None or s[2].family in families]
    return _resolve(spans, _tokens(text)[1])


Span = tuple[int, int, Entry]


@lru_cache(maxsize=8192)
def _all_spans(lexicon: Lexicon, text: str) -> tuple[Span, ...]:
    """Every phrase of every family that matches in ``text``, overlaps included, by position: matched once per text,
    then each family set takes its own from it."""
    raw, words = _tokens(text)
    return tuple(_spans_at(lexicon, raw, words, range(len(words))))


def _spans_at(lexicon: Lexicon, raw: Sequence[str], words: Sequence[str], positions: Iterable[int]) -> list[Span]:
    spans = []
    starting = lexicon.starting
    for i in positions:
        w = words[i]
        # Most words start no phrase: one look-up in the memo, nothing built.
        candidates = starting.get(w)
        if candidates is None:
            candidates = _starting(lexicon, w)
        if not candidates or (raw[i] == "May" and i > 0):
            continue  # "May" inside a sentence is the month ("met in May"), not the modal verb
        for pattern, e in candidates:
            n = _matches(pattern, words, i)
            if n:
                spans.append((i, i + n, e))
    return spans


def _starting(lexicon: Lexicon, word: str) -> tuple[tuple[tuple[str, ...], Entry], ...]:
    """The phrases that can start at ``word`` (its first word equal, or a prefix of it), with their patterns,
    remembered in ``lexicon.starting`` (bounded: a long text's vocabulary must not grow it without end)."""
    candidates = lexicon.exact.get(word, ())
    prefixed = lexicon.prefixed.get(word[:3])
    if prefixed:
        candidates = (*candidates, *(e for prefix, e in prefixed if word.startswith(prefix)))
    if len(lexicon.starting) >= 20_000:
        lexicon.starting.clear()
    found = lexicon.starting[word] = tuple((_pattern(e.phrase), e) for e in candidates)
    return found


def _resolve(spans: list[Span], words: Sequence[str]) -> tuple[tuple[Entry, tuple[str, ...]], ...]:
    """The spans without overlaps (longest first, then leftmost), in text order, each with its two words before.
    A weight-0 phrase takes its words and is then left out: it is there only to keep a shorter phrase from being
    read inside it ("moderate pace" keeps "moderat*" out)."""
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    # The word positions taken so far: a span overlaps a taken one exactly when it holds one of them (spans are
    # whole words, never empty), checked in C rather than against every taken span.
    taken: set[int] = set()
    found = []
    for start, end, entry in spans:
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            found.append((start, entry))
    return tuple((entry, tuple(words[max(0, start - 2) : start])) for start, entry in sorted(found, key=lambda f: f[0])
                 if entry.weight)


@lru_cache(maxsize=8)
def _longest(lexicon: Lexicon) -> int:
    """Words in the lexicon's longest phrase: how far before the join a phrase across it can start."""
    return max((len(_pattern(e.phrase)) for e in lexicon.entries), default=1)


def find_joined(lexicon: Lexicon, old: str, new: str) -> list[Entry]:
    """``lexicon.find(f"{old} . {new}")``, from the two texts' own matches (already made for their stance) plus the
    phrases that run across the join: no sentence is matched twice."""
    raw_old, words_old = _tokens(old)
    raw_new, words_new = _tokens(new)
    k = len(words_old)
    raw, words = raw_old + raw_new, words_old + words_new  # " . " holds no word: the joined text's words
    spans = list(_all_spans(lexicon, old))
    spans += [s for s in _spans_at(lexicon, raw, words, range(max(0, k - _longest(lexicon) + 1), k)) if s[1] > k]
    # Joined, the new text's first word is no longer the first: a "May" there is the month (see _spans_at).
    spans += [(s + k, e + k, entry) for s, e, entry in _all_spans(lexicon, new)
              if not (s == 0 and k and raw_new[0] == "May")]
    return [entry for entry, _before in _resolve(spans, words)]


@lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words of ``text`` as written and as matched (lower-case, one apostrophe): the same sentence is read for
    several families and in several pairs."""
    raw = tuple(_WORDS.findall(text))
    words = tuple(map(str.lower, raw))
    return raw, tuple(w.replace("’", "'") for w in words) if "’" in text else words


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> tuple[str, ...]:
    """A phrase's words as matched (split and apostrophes unified once, not per sentence)."""
    return tuple(p.replace("’", "'") for p in phrase.split(" "))


def _matches(pattern: Sequence[str], words: Sequence[str], at: int) -> int:
    """How many words the phrase covers starting at ``words[at]`` (0: no match)."""
    if at + len(pattern) > len(words):
        return 0
    for p, w in zip(pattern, words[at : at + len(pattern)], strict=True):
        if p == "*":
            continue
        if p.endswith("*"):
            if not w.startswith(p[:-1]):
                return 0
        elif p != w:
            return 0
    return len(pattern)


# Words as the lexicon sees them: hyphenated words stay whole ("well-functioning"), as the phrases were written.
_WORDS = regex(r"[\w’'-]+")


class Actor(NamedTuple):
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
        stripped = _uncommented(line).strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def _uncommented(line: str) -> str:
    """``line`` without its comment: "#" starts one at the line's start or after a space ("TS  # set up at Lima"),
    not inside a word ("C#")."""
    at = line.find("#")
    while at > 0 and not line[at - 1].isspace():
        at = line.find("#", at + 1)
    return line[:at] if at > 0 else line


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
        if not _WEIGHT.fullmatch(weight) or not -5 <= int(weight) <= 5:
            raise StatediffError(f"{where}: weight {weight[:20]!r} is not a whole number from -5 to 5")
        if not _PHRASE.match(phrase.replace("’", "'")) or phrase.startswith("*"):
            raise StatediffError(f"{where}: phrase {phrase[:60]!r} must be lower-case words (a * ends a word or stands for "
                                 "one word after the first)")
        if _SHORT_STAR.match(phrase):
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


def file_stamps(paths: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Each file's absolute path, modification time and size: with the paths, the key of the parsed data, so a file
    edited while a process lives (a script, a test run), or the same relative path from another folder, is read again."""
    out = []
    for path in paths:
        try:
            st = os.stat(path)
            out.append((os.path.abspath(path), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((os.path.abspath(path), -1, -1))  # the parser says what is wrong
    return tuple(out)


def lexicon_for(extra: tuple[str, ...] = ()) -> Lexicon:
    """The shipped lexicon plus the lines of each ``extra`` file, in order."""
    return _lexicon_for(extra, file_stamps(extra))


@lru_cache(maxsize=8)
def _lexicon_for(extra: tuple[str, ...], _stamps: tuple[tuple[str, int, int], ...]) -> Lexicon:
    lines, built = _shipped_lexicon()
    if not extra:
        return built
    entries = list(lines)
    for path in extra:
        entries.extend(parse_lexicon(path))
    return build_lexicon(entries)


@lru_cache(maxsize=1)
def _shipped_lexicon() -> tuple[tuple[Entry, ...], Lexicon]:
    """The shipped lexicon's lines and the lexicon they make: from ``PREBUILT`` when it was built from this very
    file, else parsed and built (the same, ~1.5 ms)."""
    source = (DATA / "lexicon.txt").read_bytes()
    stored = prebuilt("lexicon", {"lexicon.txt": source})
    if stored is not None:
        try:
            lines, ordered, exact, prefixed = stored
            entries = tuple(Entry(*line) for line in lines)
            return entries, Lexicon(tuple(entries[k] for k in ordered),
                                    {w: tuple(entries[k] for k in ks) for w, ks in exact.items()},
                                    {w: tuple((p, entries[k]) for p, k in ks) for w, ks in prefixed.items()})
        except (TypeError, ValueError, IndexError, AttributeError):  # a damaged entry: build
            pass
    entries = tuple(parse_lexicon("lexicon.txt (shipped)", source.decode("utf-8")))
    return entries, build_lexicon(entries)


def lexicon_form(entries: tuple[Entry, ...], lexicon: Lexicon) -> tuple[Any, ...]:
    """``lexicon`` (built from ``entries``) as plain values, each entry by its index in ``entries``: what
    ``PREBUILT`` stores."""
    index = {id(e): k for k, e in enumerate(entries)}
    return (tuple(tuple(e) for e in entries), tuple(index[id(e)] for e in lexicon.entries),
            {w: tuple(index[id(e)] for e in es) for w, es in lexicon.exact.items()},
            {w: tuple((p, index[id(e)]) for p, e in pes) for w, pes in lexicon.prefixed.items()})


PREBUILT = DATA / "prebuilt.marshal"
"""The shipped lexicon and the actor registry of the shipped actors and pycountry's countries, as built, each with
the bytes of the files it was built from: reading it back takes ~0.3 ms where building takes ~5 ms, paid by every
compare whose positions are worked out. Used only when those files are byte for byte the ones it was built from (an
edited data file or another pycountry: built as usual). After changing how they are built, regenerate it (the tests
say when): ``python -c "from statediff.positions.actors import write_prebuilt; write_prebuilt()"``."""
_PREBUILT_FORMAT = 1


@lru_cache(maxsize=1)
def _prebuilt() -> dict[str, Any]:
    try:
        form, parts = marshal.loads(PREBUILT.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):  # missing or unreadable: build as usual
        return {}
    return parts if form == _PREBUILT_FORMAT and isinstance(parts, dict) else {}


def prebuilt(part: str, sources: dict[str, bytes | None]) -> Any:
    """The stored build of ``part`` if it was made from exactly ``sources`` (file name -> bytes), else None."""
    entry = _prebuilt().get(part)
    if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != sources:
        return None
    return entry[1]


def actor_lines(extra: tuple[str, ...] = ()) -> tuple[Actor, ...]:
    """The shipped actors plus each ``extra`` file's."""
    return _actor_lines(extra, file_stamps(extra))


@lru_cache(maxsize=8)
def _actor_lines(extra: tuple[str, ...], _stamps: tuple[tuple[str, int, int], ...]) -> tuple[Actor, ...]:
    actors = parse_actors("actors.txt (shipped)", shipped("actors.txt"))
    for path in extra:
        actors.extend(parse_actors(path))
    return tuple(actors)

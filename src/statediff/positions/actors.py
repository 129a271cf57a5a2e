"""Actors named in a sentence: countries (names from pycountry plus the variants in actors.txt), organisations,
named people and named initiatives; one actor under several names is one ("the DPRK" = "North Korea")."""

from __future__ import annotations

import marshal
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from statediff import cachedb
from statediff.positions.lexicons import (
    _PREBUILT_FORMAT,
    DATA,
    PREBUILT,
    Actor,
    actor_lines,
    build_lexicon,
    file_stamps,
    lexicon_form,
    parse_lexicon,
    prebuilt,
    shipped,
)
from statediff.positions.patterns import regex

_CAP = r"[A-Z][\w.&-]*(?![’'])"  # a possessive ("ROK’s") ends a name
_CONNECT = r"(?:of|for|from|on|and|the|in|to|de)"
_HEADS = (r"Initiative|Dialogue|Framework Convention|Framework|Partnership|Forum|Group|Facility|Mechanism|Secretariat"
          r"|Council|Commission"
          r"|Agency|Bank|Fund|Organi[sz]ation|Alliance|Programme|Program|Coalition|Network|Lanes|Corridor|Coast Guard"
          r"|Board|Center|Centre|Institute|Task Force|Union|League|Court|Association|Consortium")
_NAMED_BODY = regex(rf"(?<![\w’'-]){_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP})*\s+(?:{_HEADS})(?![\w-])"
                    r"(?:\s+\(([A-Z][A-Za-z0-9&-]{1,9})\))?")
_TITLES = (r"Vice President|President|Prime Minister|Deputy Prime Minister|Foreign Minister|Defen[cs]e Minister"
           r"|Minister|Secretary of State|Secretary of Defen[cs]e|Secretary-General|Secretary General|General Secretary"
           r"|Secretary|Director-General|Chancellor|Chairman|Chair|National Security Advisor|National Security Adviser"
           r"|Ambassador|King|Queen|Emperor|Premier|Governor|Chief Executive")
_NAME_WORD = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
# A middle initial inside the name ("President Joseph R. Biden"): the name went on past it, it was cut at "Joseph".
_PERSON = regex(rf"(?<![\w-])(?:{_TITLES})\s+({_NAME_WORD}(?:\s+(?:[A-Z]\.\s+)?(?!of\b|and\b){_NAME_WORD}){{0,2}})")
_HEAD = regex(rf"(?:{_HEADS})(?![\w-])")  # in every _NAMED_BODY
_TITLE = regex(rf"(?:{_TITLES})\s")  # in every _PERSON
_ACRONYM = regex(r"(?<![\w.-])([A-Z][A-Z0-9&-]{1,9})(?![\w-])")
_NOT_BODIES = frozenset({"Memorandum", "Permanent", "Member", "Members", "Statement", "Declaration", "Agreement", "Treaty",
                         "Charter", "Article", "Resolution", "Resolutions", "Outlook", "Vision", "Principles"})
_ARTICLE = regex(r"^(?:the|a|an)\s+", re.IGNORECASE)


class Mention(NamedTuple):  # internal working records: a NamedTuple is built at import ~5x faster than a dataclass
    """One actor named in a text."""

    key: str
    """What identifies the actor across its names."""
    name: str
    """The shortest name the text uses for it."""
    person_words: frozenset[str] = frozenset()
    """For a person found by title ("President Yoon Suk Yeol"): the words of the name, to match a shorter mention."""


class Registry:
    """Every known name, with the key of its actor and whether that actor is the statement's own self-name.

    A plain class, not a dataclass: hashed by identity (the memos below key on the registry itself), never
    compared or shown, and a dataclass costs ~0.5 ms of every compare's start-up to generate its methods."""

    __slots__ = ("by_first", "keys", "self_keys", "uncapitalised")

    def __init__(self, keys: dict[str, str], self_keys: frozenset[str], by_first: dict[str, tuple[str, ...]],
                 uncapitalised: tuple[str, ...]) -> None:
        self.keys = keys
        self.self_keys = self_keys
        self.by_first = by_first
        """First word -> the names starting with it, longest first (a scan by words is far faster than one huge
        regex)."""
        self.uncapitalised = uncapitalised
        """The names whose first letter is not A-Z ("the Quad", "Åland Islands"): ``_finditer`` looks for these
        whole, and for the others only at capitalised words."""

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every known name in ``text``, leftmost-longest, whole words only. Remembered:
        actors and topic spans scan the same sentences (do not modify the result)."""
        key = (self, text)
        found = _NAMES.get(key)
        if found is None:
            if len(_NAMES) > 20_000:
                _NAMES.clear()
            found = _NAMES[key] = self._finditer(text)
        return found

    def _finditer(self, text: str) -> list[tuple[int, int, str]]:
        out = []
        pos = 0
        for start, token in self._tokens(text):
            if start < pos:
                continue
            for name in self.by_first.get(_lookup_key(token), ()):
                end = start + len(name)
                if text.startswith(name, start) and not _continues(text, end):
                    out.append((start, end, name))
                    pos = end
                    break
        return out

    def _tokens(self, text: str) -> Iterable[tuple[int, str]]:
        """(start, token) of each word of ``text`` that can begin a known name, in order: most words of a sentence
        are lower-case and begin none, and skipping them inside the regex (which jumps from one capital letter to
        the next) rather than in Python is most of the scan. Names starting otherwise are looked for whole."""
        capitalised = ((m.start(), m.group(0)) for m in _CAPITALISED.finditer(text))
        if not any(name in text for name in self.uncapitalised):
            return capitalised
        others = []
        for name in self.uncapitalised:
            at = text.find(name)
            while at >= 0:
                if (m := _TOKEN.match(text, at)) is not None:  # a word starts there (the look-behind sees before it)
                    others.append((at, m.group(0)))
                at = text.find(name, at + 1)
        return sorted({*capitalised, *others})


_TOKEN = regex(r"(?<![\w.’'-])[\w.’'-]+")
# _TOKEN's words that begin with A-Z: the letter first and the look-behind after it, so the engine can skip ahead.
# "’" is kept out of the classes ([\w.’'-]* unrolled): a class holding it and \w takes 0.15 ms to compile.
_CAPITALISED = regex(r"[A-Z](?<![\w.'-][A-Z])(?<!’[A-Z])[\w.'-]*(?:’[\w.'-]*)*")
_NAMES: dict[tuple[Registry, str], list[tuple[int, int, str]]] = {}
_POSSESSIVE = regex(r"(?:[’']s?)?\.*$")


def _lookup_key(token: str) -> str:
    """A word as the index knows it: trailing dots and a possessive dropped ("U.S." -> "U.S", "Japan’s" -> "Japan")."""
    if token[-1].isalnum() and "’" not in token and "'" not in token:
        return token  # most words: nothing to drop
    return _POSSESSIVE.sub("", token).rstrip(".")


def _continues(text: str, end: int) -> bool:
    """True when the name would end inside a word ("Oman" in "Omani"), or inside "U.S.-Japan"-like compounds."""
    if end >= len(text):
        return False
    nxt = text[end]
    return nxt.isalnum() or nxt == "-" or (nxt == "." and end + 1 < len(text) and text[end + 1].isalnum())


def _country_file() -> Path | None:
    """pycountry's country list (a JSON file in its package), None when it is not there. Found as the positions
    cache's code version finds it (importlib.util.find_spec took 0.6 ms more)."""
    found = cachedb.package_file("pycountry", "databases", "iso3166-1.json")
    return Path(found) if found is not None and os.path.isfile(found) else None


def _country_lines(source: bytes | None = None) -> list[Actor]:
    """Every ISO 3166 country with its name, common name and official name, from pycountry's database (``source``:
    its JSON file's bytes, when read already).

    Read straight from the package's JSON file when it is there: importing pycountry itself costs a tenth of a
    second (it loads importlib.metadata), a third of what the whole positions layer may add to a report.
    """
    import json

    if source is None and (found := _country_file()) is not None:
        source = found.read_bytes()
    if source is not None:
        records = json.loads(source.decode("utf-8"))["3166-1"]
    else:
        import pycountry

        records = [{k: getattr(c, k, None) for k in ("name", "common_name", "official_name")} for c in pycountry.countries]
    out = []
    for c in records:
        names = [c.get("name"), c.get("common_name"), c.get("official_name")]
        out.append(Actor("country", tuple(n for n in names if n)))
    return out


def registry_for(extra: tuple[str, ...] = ()) -> Registry:
    """Known names from pycountry, the shipped actors.txt and each ``extra`` file (later lines join earlier actors)."""
    return _registry_for(extra, file_stamps(extra))


@lru_cache(maxsize=8)
def _registry_for(extra: tuple[str, ...], _stamps: tuple[tuple[str, int, int], ...]) -> Registry:
    if not extra:
        return _shipped_registry()
    return _build([*_country_lines(), *actor_lines(extra)])


def _sources() -> dict[str, bytes | None]:
    """The bytes of the files the shipped registry is built from."""
    found = _country_file()
    return {"actors.txt": (DATA / "actors.txt").read_bytes(), "iso3166-1.json": None if found is None else found.read_bytes()}


def _shipped_registry() -> Registry:
    """The registry of pycountry's countries and the shipped actors: from ``PREBUILT`` when it was built from these
    very files, else built (the same, ~3 ms)."""
    sources = _sources()
    stored = prebuilt("registry", sources)
    if isinstance(stored, tuple) and len(stored) == 4 and all(isinstance(v, t) for v, t in zip(stored, _FORM, strict=True)):
        keys, self_keys, by_first, uncapitalised = stored
        return Registry(keys, frozenset(self_keys), by_first, uncapitalised)
    return _build([*_country_lines(sources["iso3166-1.json"]), *actor_lines()])


_FORM = (dict, tuple, dict, tuple)
"""The types of ``registry_form``'s parts."""


def _build(actors: list[Actor]) -> Registry:
    keys: dict[str, str] = {}
    types: dict[str, str] = {}
    for actor in actors:
        key = next((keys[n] for n in actor.names if n in keys), f"{actor.type}:{actor.names[0]}")
        for name in actor.names:
            keys[name] = key
            if "'" in name:
                keys[name.replace("'", "’")] = key  # statements print "People’s" as often as "People's"
        if actor.type in ("self", "document") or key not in types:
            types[key] = actor.type
    by_first: dict[str, list[str]] = {}
    for name in keys:
        if "," not in name:  # "Korea, Republic of" is never written so
            by_first.setdefault(_first_word(name), []).append(name)
    ordered = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in by_first.items()}
    uncapitalised = tuple(name for names in ordered.values() for name in names if not "A" <= name[0] <= "Z")
    return Registry(keys, frozenset(k for k, t in types.items() if t in ("self", "document")), ordered, uncapitalised)


def write_prebuilt(path: Path | None = None) -> None:
    """Build the shipped lexicon and registry from the files as they are now and store them in ``PREBUILT``
    (see lexicons.PREBUILT) with those files' bytes."""
    entries = tuple(parse_lexicon("lexicon.txt (shipped)", shipped("lexicon.txt")))
    sources = _sources()
    registry = _build([*_country_lines(sources["iso3166-1.json"]), *actor_lines()])
    parts = {"lexicon": ({"lexicon.txt": (DATA / "lexicon.txt").read_bytes()}, lexicon_form(entries, build_lexicon(entries))),
             "registry": (sources, registry_form(registry))}
    (path or PREBUILT).write_bytes(marshal.dumps((_PREBUILT_FORMAT, parts)))


def registry_form(registry: Registry) -> tuple[Any, ...]:
    """``registry`` as plain values: what ``PREBUILT`` stores."""
    return registry.keys, tuple(sorted(registry.self_keys)), registry.by_first, registry.uncapitalised


def _first_word(name: str) -> str:
    word = name.split(" ", 1)[0]
    if word.isalnum():
        return word  # most names: _TOKEN would stop at the space and _lookup_key leave the word alone
    m = _TOKEN.match(name)
    return _lookup_key(m.group(0)) if m else name


_FOUND: dict[tuple[Registry, str, tuple[tuple[str, str], ...]], dict[str, Mention]] = {}


def find_actors(text: str, registry: Registry, aliases: dict[str, str] | None = None) -> dict[str, Mention]:
    """The actors ``text`` names, by key. ``aliases`` maps acronyms defined in either text ("(PGII)") to a key."""
    aliases = aliases if aliases is not None else defined_acronyms(text)
    # Marks, topics and the digest each ask about the same sentences: remember the answers. Keyed on the registry
    # itself, not its id: an edited actors file makes a new registry, and an id can be reused once the old one is gone.
    key = (registry, text, alias_key(aliases))
    if key not in _FOUND:
        if len(_FOUND) > 20_000:
            _FOUND.clear()
        _FOUND[key] = _find_actors(text, registry, aliases)
    return dict(_FOUND[key])


_ALIASES: list[tuple[dict[str, str], tuple[tuple[str, str], ...]]] = []


def alias_key(aliases: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """``aliases`` as a cache key; a whole report passes the same aliases thousands of times: sorted once."""
    if _ALIASES and _ALIASES[0][0] == aliases:
        return _ALIASES[0][1]
    key = tuple(sorted(aliases.items()))
    _ALIASES[:] = [(dict(aliases), key)]
    return key


def _find_actors(text: str, registry: Registry, aliases: dict[str, str]) -> dict[str, Mention]:
    spans: list[tuple[int, int, str, str, frozenset[str]]] = []
    for start, end, name in registry.finditer(text):
        if name in _ADJECTIVAL and _adjective_follows(text, end):
            continue  # "U.S. exports", "US dollars": a description, not the party
        spans.append((start, end, registry.keys[name], name, frozenset()))
    bodies, people = _named(text)
    for start, end, whole, acronym in bodies:
        start, whole = _office_of(start, whole)
        start, whole, acronym = _unjoined(start, whole, acronym, registry)
        if not whole:
            continue
        end = start + len(whole)
        name = _ARTICLE.sub("", whole.split(" (")[0])
        if name.split()[0] in _NOT_BODIES:
            continue  # "Memorandum of Cooperation on the … Framework" is a text, "Permanent Member of …" a role
        key = registry.keys.get(name) or registry.keys.get(acronym or "") or f"body:{name.lower()}"
        spans.append((start, end, key, acronym or name, frozenset()))
    for start, end, whole, person in people:
        parts = person.split()
        key = next((registry.keys[w] for w in [person, *parts] if w in registry.keys), f"person:{parts[0]}")
        spans.append((start, end, key, whole, frozenset(w for w in parts if not w.endswith("."))))  # not initials
    if any(acronym in text for acronym in aliases):  # most sentences use none: spare them the scan for acronyms
        for m in _ACRONYM.finditer(text):
            if m.group(1) in aliases:
                spans.append((m.start(), m.end(), aliases[m.group(1)], m.group(1), frozenset()))
    # Longest span first: "Grain from Ukraine Initiative" is an initiative, not Ukraine; but an owner at the start of
    # a body's name stays ("IMF Extended Fund Facility" names the IMF too).
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int]] = []
    found: dict[str, Mention] = {}
    for start, end, key, name, words in spans:
        if any(start < e and s < end and not (start == s and key.split(":")[0] != "body") for s, e in taken):
            continue
        taken.append((start, end))
        if key in registry.self_keys:
            continue
        previous = found.get(key)
        if previous is None or len(name) < len(previous.name):
            found[key] = Mention(key, name, words | (previous.person_words if previous else frozenset()))
    return found


_OFFICES = frozenset({"Prosecutor", "Prosecutor-General", "President", "Vice-President", "Secretary", "Secretary-General",
                      "Director", "Director-General", "Head", "Chair", "Chairman", "Chairperson", "Judge", "Registrar",
                      "Governor", "Commissioner", "Spokesperson"})


def _office_of(start: int, whole: str) -> tuple[int, str]:
    """A body's name without an office held in it: "Prosecutor of the International Criminal Court" names the court
    (the person, when named, is found by title)."""
    lead = whole.split(" ", 1)[0]
    at = whole.find(" of ")
    if lead not in _OFFICES or at < 0:
        return start, whole
    rest = whole[at + 4 :]
    skip = len(whole) - len(_ARTICLE.sub("", rest))
    return start + skip, whole[skip:]


def _unjoined(start: int, whole: str, acronym: str | None, registry: Registry) -> tuple[int, str, str | None]:
    """A body's name without a known actor joined to it by "and": "Ukraine and the European Bank" is Ukraine and the
    European Bank; "Account for Ukraine and the European Union" is no body (the names are found as themselves)."""
    if " and " not in whole:
        return start, whole, acronym
    cut = whole.split(" (")[0]
    at = cut.find(" and ")
    while at >= 0:
        before, after = cut[:at], _ARTICLE.sub("", cut[at + 5 :])
        if after in registry.keys:  # the body's head belongs to the known name after "and"
            return start, "", None
        if _ARTICLE.sub("", before) in registry.keys:  # a known name, then "and" and the body
            skip = len(cut) - len(after)
            return start + skip, whole[skip:], acronym
        at = cut.find(" and ", at + 1)
    return start, whole, acronym


def actor_spans(text: str, registry: Registry) -> list[tuple[int, int]]:
    """Where ``text`` names a known actor, a named body or a person by title: (start, end) of each name, in no
    particular order."""
    spans = [(start, end) for start, end, _name in registry.finditer(text)]
    return spans + [(start, end) for found in _named(text) for start, end, _whole, _group in found]


@lru_cache(maxsize=8192)
def _named(text: str) -> tuple[tuple[tuple[int, int, str, str | None], ...], tuple[tuple[int, int, str, str], ...]]:
    """Named bodies (with the acronym) and people by title (with the name) in ``text``: (start, end, whole match,
    group 1) of each. Remembered: the acronyms, the actors and the topics' spans scan the same sentences with these
    long patterns."""
    # Most sentences hold no head word and no title: a search for just that (which the regex engine runs fast, from
    # one candidate letter to the next) spares them the long patterns, which try every capitalised word.
    bodies = tuple(_bodies(text)) if _HEAD.search(text) else ()
    people = tuple((m.start(), m.end(), m.group(0), m.group(1)) for m in _PERSON.finditer(text)) if _TITLE.search(text) else ()
    return bodies, people


def _bodies(text: str) -> list[tuple[int, int, str, str | None]]:
    """``_NAMED_BODY``'s matches, without a sentence's opening preposition ("Under the Climate Information Services
    Initiative") and split where two names are joined ("the Sydney Energy Forum and the Quad Clean Hydrogen
    Partnership" is two)."""
    out: list[tuple[int, int, str, str | None]] = []
    pos = 0
    while (m := _NAMED_BODY.search(text, pos)) is not None:
        start, whole, acronym = m.start(), m.group(0), m.group(1)
        lead = _LEADING.match(whole)
        if lead:
            start, whole = start + lead.end(), whole[lead.end() :]
        joined = _JOINED.search(whole)
        if joined:  # the first name ends at its head word; look again from the second
            first = whole[: joined.start("gap")]
            if len(first.split()) >= 2:  # "Under Forum and the …": no first name
                out.append((start, start + len(first), first, None))
            pos = start + joined.end("gap")
            continue
        if len(whole.split()) >= 2:  # "Under Initiative": no name left
            out.append((start, m.end(), whole, acronym))
        pos = m.end()
    return out


_LEADING = regex(r"(?:(?:Under|In|With|Through|At|By|For|From|On|To|As|Via|Within|Across|Our|This|These|Its|Their"
                 r"|Both|Today|Since)\s+)+(?:the\s+)?")
_JOINED = regex(rf"(?<![\w-])(?:{_HEADS})(?P<gap>\s+and\s+(?:the\s+)?)(?=[A-Z])")

_ADJECTIVAL = frozenset({"U.S.", "US", "UK", "U.K.", "EU"})
_FUNCTION_WORDS = frozenset(
    [
        "and", "or", "has", "have", "is", "are", "was", "were", "will", "would", "shall", "should", "can", "could",
        "may", "must", "to", "in", "on", "at", "with", "for", "of", "by", "as", "from", "also", "remains", "remain",
        "continues", "continue", "reaffirms", "reaffirmed", "reiterates", "reiterated", "welcomes", "welcomed"
    ]
)


_NEXT_WORD = regex(r"\s+([a-z][a-z-]*)")


def _adjective_follows(text: str, at: int) -> bool:
    m = _NEXT_WORD.match(text, at)
    # A verb in -ed makes the name the one acting ("the EU facilitated", "the UK hosted"; not "U.S. red lines").
    verb = m is not None and len(m.group(1)) >= 5 and m.group(1).endswith("ed")
    return m is not None and m.group(1) not in _FUNCTION_WORDS and not verb


def defined_acronyms(*texts: str) -> dict[str, str]:
    """Acronyms defined in parentheses after a named body ("Trilateral Secretariat (TS)"), mapped to its key."""
    out = {}
    for text in texts:
        for _start, _end, whole, acronym in _named(text)[0]:
            if acronym:
                out[acronym] = f"body:{_ARTICLE.sub('', whole.split(' (')[0]).lower()}"
    return out


def actor_changes(old: str, new: str, registry: Registry,
                  aliases: dict[str, str] | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(actors named in ``new`` but not ``old``, actors named in ``old`` but not ``new``), each by its shortest name.

    ``aliases``: acronyms defined anywhere in the two statements (default: in these two texts).
    """
    aliases = aliases if aliases is not None else defined_acronyms(old, new)
    before = find_actors(old, registry, aliases)
    after = find_actors(new, registry, aliases)
    return _missing(after, before), _missing(before, after)


def _missing(these: dict[str, Mention], others: dict[str, Mention]) -> tuple[str, ...]:
    return tuple(m.name for m in missing(these, others))


def missing(these: dict[str, Mention], others: dict[str, Mention]) -> list[Mention]:
    """The mentions of ``these`` that ``others`` lacks; a person counts as named in both when a word of the name is
    ("President Biden" = "President Joe Biden"; "Prime Minister Kishida Fumio" = "Prime Minister Fumio Kishida")."""
    other_words = frozenset().union(*(m.person_words for m in others.values()))
    return [m for key, m in these.items() if key not in others and not (m.person_words and m.person_words & other_words)]

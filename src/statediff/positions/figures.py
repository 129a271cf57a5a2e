"""Figures in a sentence: numbers, percentages, ranges, amounts, counts, dates and years, relative calendar dates
and numbers in words; and which of them changed between two versions of a point.

Numbers inside names ("5G", "COVID-19", "G7") and list numbers ("3.", "(iii)") are not figures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from statediff.positions.patterns import regex
from statediff.positions.records import dataclass

_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December"
]
_MONTH = r"(?:" + "|".join(_MONTHS) + r")"
_NUMWORDS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "trillion", "half",
    "quarter", "dozen"
]
_NUMWORD = r"(?:" + "|".join(_NUMWORDS) + r")"
_FRACWORD = r"(?:one|two|three)-(?:half|third|quarter|quarters|fourth|fourths|thirds)"
# Digits: 5, 5.25, 1,000, 5-1/4, 1 3/4 (FOMC 2002), 1/4 (non-breaking hyphens and dashes count as hyphens).
_NUM = r"\d+[-‐‑]\d+/\d+|\d{1,2} \d/\d{1,2}(?![\d/])|\d+/\d+|\d+(?:[.,]\d+)*"
_UNIT = (r"(?:percent(?:age points?)?|per cent|%|basis points?|bps|points?|billion|million|trillion|thousand"
         r"|(?:US |U\.S\. )?dollars|euros?|yen|won|people|countries|years?|months?|weeks?|days?)")
_AMOUNT_PREFIX = r"(?:(?:US|U\.S\.)?\$|€|£|¥|USD ?|EUR ?)"
_RELATIVE = (
    r"(?:(?:later |earlier |early |late )?(?:this|next|last|past|coming|previous) "
    r"(?:year|years|quarter|quarters|month|months|spring|summer|autumn|fall|winter|decade)"
    r"|(?:first|second|third|fourth) (?:half|quarter) of (?:the|this|next|last) year"
    r"|earlier in the year|later in the year|end of the year|coming quarters|year-end)"
)

# The first word of every figure that starts with a letter (month, number word, relative date, currency code): a
# word not among these starts no figure, so FIGURE_RE is tried only where one of these, a digit or a currency sign
# starts a word (scanning every word start with the whole pattern was a tenth of the positions layer's time).
_FIRST_WORDS = frozenset(
    [m.lower() for m in _MONTHS] + _NUMWORDS
    + ["later", "earlier", "early", "late", "this", "next", "last", "past", "coming", "previous", "first", "second",
       "third", "fourth", "end", "year"]  # _RELATIVE
    + ["u", "us", "usd", "eur"]  # _AMOUNT_PREFIX: "U.S.$", "US$", "USD", "EUR"
)
# Where a figure may start: a digit, a currency sign, or a word (letters only: "USD5" is "USD" then 5).
# Compiled where used (re keeps it): only texts with non-ASCII letters need it.
_START = r"(?<!\w)(?:[$€£¥]|\d|([^\W\d_]+))"
# The same, in a lower-cased text whose letters are all ASCII (most are): only the first words, found by the engine.
# Longest first; words of one length alphabetically, so the pattern is the same text in every process (a set's order
# varies with the hash seed) and its stored compiled form is found (see patterns.py); the order of equal-length words
# changes no match.
_START_LOWER = regex(
    r"(?<!\w)(?:[$€£¥]|\d|(?:" + "|".join(sorted(_FIRST_WORDS, key=lambda w: (-len(w), w))) + r")(?![^\W\d_]))"
)
_NON_ASCII_LETTER = regex(r"[^\W\d_\x00-\x7f]")

FIGURE_RE = regex(
    # Only at a word start (or a currency sign): the engine then skips most positions at once.
    r"(?<![\w])(?=[\w$€£¥])(?:" + "|".join(
        [
            # ranges first so "5-1/4 to 5-1/2 percent" stays one figure
            rf"(?P<range>(?:{_NUM}) (?:to|and) (?:{_NUM})(?: {_UNIT})?)",
            rf"(?P<date>(?:\d{{1,2}} {_MONTH}(?:,? \d{{4}})?|{_MONTH} \d{{4}}|{_MONTH} \d{{1,2}}(?!\d)(?:, \d{{4}})?))",
            rf"(?P<amount>{_AMOUNT_PREFIX}\s?(?:{_NUM})(?: (?:billion|million|trillion|thousand))?)",
            rf"(?P<number>(?:{_NUM})(?: {_UNIT}|%)?)",
            rf"(?P<relative>{_RELATIVE})",
            rf"(?P<month>{_MONTH})",
            rf"(?P<words>(?:{_FRACWORD}|(?:{_NUMWORD})(?:[- ](?:{_NUMWORD}))*)(?:[- ](?:{_UNIT}))?)",
        ]
    ) + ")",
    re.IGNORECASE,
)
# A list marker at the start of a sentence: "3.", "(iii)", "iv)", "- ".
_LIST_MARKER = regex(r"^\s*(?:\(?(?:\d{1,2}|[ivxlc]{1,5}|[a-h])[.)]\s+|[-–•*]\s+)", re.IGNORECASE)
_NAMEISH = regex(r"[A-Za-z]")


@dataclass(frozen=True)
class Figure:
    """A figure that changed, appeared or disappeared between two versions of a point."""

    old: str | None
    """The figure as written in the old text (None: it appeared)."""
    new: str | None
    """The figure as written in the new text (None: it disappeared)."""


def find_figures(text: str) -> list[str]:
    """Every figure in ``text``, in order, as written."""
    marker = _LIST_MARKER.match(text)
    start = marker.end() if marker else 0
    out: list[str] = []
    for m in _figure_matches(text, start):
        found = m.group(0)
        before = text[m.start() - 1] if m.start() > 0 else " "
        after = text[m.end()] if m.end() < len(text) else " "
        kind = m.lastgroup
        if kind in ("month", "date") and not found[0].isupper() and not found[0].isdigit():
            continue  # "march", "may": verbs, not months
        if kind == "month" and found == "May" and not _month_context(text, m.start()):
            continue  # the modal verb, not the month
        if kind in ("words", "month", "relative") and (not found[0].isalpha() or _glued(before, after, alpha_only=True)):
            continue
        if kind in ("words",) and found.lower() in ("half", "quarter", "dozen", "hundred", "thousand"):
            continue  # "half" alone is rarely a figure ("on behalf", "in the first half" is caught above)
        if kind == "words" and m.start() > start and all(w[:1].isupper() for w in _WORD_PARTS.split(found)):
            continue  # "the ASEAN Five-Point Consensus", "Two Sessions": a name, not a count
        if kind in ("number", "range", "date", "amount") and _glued(before, after, alpha_only=False):
            continue  # "5G", "COVID-19", "G7", "COP26", "Article 5"-like names glued to letters
        if kind == "number" and before in "-‐‑" and m.start() > 1 and _NAMEISH.match(text[m.start() - 2]):
            continue  # "COVID-19"
        if kind in ("number", "range") and _names_a_reference(text, m.start()):
            continue  # "Article 51", "resolutions 1718 and 2397": the number is the name
        out.append(found)
    return out


_REFERENCES = frozenset(["article", "articles", "resolution", "resolutions", "unscr", "unscrs", "section", "sections",
                         "paragraph", "paragraphs", "chapter", "clause", "annex", "no."])
"""Words whose number names a text's part or another text ("Article 51", "Resolution 2593"), not an amount."""


def _names_a_reference(text: str, at: int) -> bool:
    words = text[max(0, at - 14) : at].split()
    return bool(words) and text[at - 1 : at] == " " and words[-1].lower() in _REFERENCES


def _figure_matches(text: str, start: int) -> Iterator[re.Match[str]]:
    """``FIGURE_RE.finditer(text, start)``, trying the pattern only where a figure can start (see _FIRST_WORDS).

    A word outside _FIRST_WORDS can still begin a match inside itself ("May" in "Mayor", "four" in "fourteen"),
    but such a match ends inside the word and find_figures drops every match glued to a letter, so skipping it
    changes nothing. Words with other than ASCII letters are always tried: the pattern ignores case the Unicode way.
    """
    end = start
    if _NON_ASCII_LETTER.search(text):
        starts = (c.start() for c in re.compile(_START).finditer(text, start)
                  if c.group(1) is None or not c.group(1).isascii() or c.group(1).lower() in _FIRST_WORDS)
    else:  # lower-casing ASCII letters moves no position; the engine then finds the first words itself (twice faster)
        starts = (c.start() for c in _START_LOWER.finditer(text.lower(), start))
    for at in starts:
        if at < end:
            continue  # inside the previous figure, as finditer would skip it
        m = FIGURE_RE.match(text, at)
        if m is not None:
            end = m.end()
            yield m


# Built with the others at import (from their stored compiled form, see patterns.py), not compiled at first use.
_WORD_PARTS = regex(r"[- ]")
_SPACE_DIGIT = regex(r"\s+\d")
_SPACES = regex(r"\s+")
_DASHES = regex(r"[‐‑–]")
_COUNTED = regex(r"[- ](?:countries|people|nations)$")
_FRACTION_SPACE = regex(r"(?<!\d)(\d{1,2}) (\d/\d)")
_NOT_UNIT = regex(r"[\d.,/‐‑\-\s]+")


def _month_context(text: str, at: int) -> bool:
    tail = text[at + 3 : at + 12]
    head = text[max(0, at - 6) : at].lower()
    return bool(_SPACE_DIGIT.match(tail)) or head.endswith(("in ", "since ", "of ", "until ", "by "))


def _glued(before: str, after: str, *, alpha_only: bool) -> bool:
    if alpha_only:
        return before.isalnum() or after.isalnum()
    return before.isalpha() or (after.isalpha())


def figure_key(text: str) -> str:
    """What two spellings of one figure share: its digits and words, lower-cased, dashes unified."""
    key = _DASHES.sub("-", _SPACES.sub(" ", text.lower())).strip(" .,")
    key = _FRACTION_SPACE.sub(r"\1-\2", key)  # "1 3/4" = "1-3/4"
    if not any(ch.isdigit() for ch in key):
        key = key.replace("-", " ")  # "twenty-five" = "twenty five"; in digits a hyphen is part of the number
    # "three countries" and "three" are one count; the noun counted is not part of the figure.
    return _COUNTED.sub("", key)


def changed_figures(old: str, new: str) -> tuple[Figure, ...]:
    """Figures that changed (paired in order), appeared or disappeared."""
    old_found = find_figures(old)
    new_found = find_figures(new)
    if not old_found or not new_found:
        # Nothing to pair (most points hold no figure on one side at least): the figures as they are, without the
        # Counters below (most of this function's time).
        return tuple([Figure(o, None) for o in old_found] + [Figure(None, n) for n in new_found])
    common = Counter(figure_key(f) for f in old_found) & Counter(figure_key(f) for f in new_found)
    only_old = _minus(old_found, common)
    only_new = _minus(new_found, common)
    figures: list[Figure] = []
    # Pair figures of the same shape in order ("June" -> "August", "25 basis points" -> "50 basis points").
    for o in only_old:
        match = next((n for n in only_new if _shape(n) == _shape(o)), None)
        if match is not None:
            only_new.remove(match)
            figures.append(Figure(o, match))
        else:
            figures.append(Figure(o, None))
    figures.extend(Figure(None, n) for n in only_new)
    return tuple(figures)


def _minus(found: list[str], common: Counter[str]) -> list[str]:
    left = Counter(common)
    out = []
    for f in found:
        key = figure_key(f)
        if left[key]:
            left[key] -= 1
        else:
            out.append(f)
    return out


def _shape(figure: str) -> str:
    m = FIGURE_RE.fullmatch(figure)
    kind = m.lastgroup if m else "other"
    unit = _NOT_UNIT.sub(" ", figure.lower()).strip() if kind in ("number", "range", "amount") else ""
    if kind == "range":
        kind = "number"  # "1 percent" -> "0 to 1/4 percent" is one rate moving
    if kind == "month" or kind == "date":
        kind = "date"
    return f"{kind}:{unit.split(' to ')[-1].strip() if unit else ''}"


def only_calendar(figures: tuple[Figure, ...]) -> bool:
    """True when every changed figure is a month name (the routine "met in June" -> "met in July")."""
    return bool(figures) and all(
        (f.old is None or f.old.capitalize() in _MONTHS) and (f.new is None or f.new.capitalize() in _MONTHS) for f in figures
    )

"""Typography normalisation: what comparison ignores.

Statements arrive with non-breaking spaces and hyphens, soft hyphens, curly quotes and assorted dashes,
and numbered paragraphs are renumbered whenever one is inserted. A change of only those is no change, so
every comparison (identity, cache keys, word diff) works on the normalised form while display keeps the
original text.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Character-level folding (code point -> replacement, ``None`` drops it); segmentation uses it too.
FOLD: dict[int, str | None] = str.maketrans(
    {
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,  # word joiner
        "\ufeff": None,  # stray byte-order mark
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u3000": " ",
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash (a tight one is a range: 2023-2024)
        "\u2212": "-",  # minus sign
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2026": "...",
    }
)
_SPACES = re.compile(r"\s+")
# A parenthetical dash is the same dash whether written as an em dash, two hyphens or a spaced en dash,
# tight or spaced; a tight hyphen or en dash (5-1/4, 2023-2024) is not a parenthetical dash.
_DASH = re.compile(r"\s*(?:[\u2014\u2015]|--+)\s*|\s+[\u2013-]\s+")


#: A paragraph or item number opening a sentence: "12. ", "(b) ", "iv) ", "II. ". Inserting a paragraph
#: renumbers all that follow; that is layout, not a change of position, so comparison ignores it.
LIST_NUMBER = re.compile(
    r"^(?:\d{1,3}[.)]|\(\d{1,3}\)|\([a-z]{1,2}\)|[a-z][.)]|\((?:[ivx]{1,5}|[IVX]{1,5})\)|(?:[ivx]{1,5}|[IVX]{1,5})[.)])\s+(?=\S)"
)


@functools.lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """The comparison form of ``text``: NFC, typography folded, whitespace collapsed, stripped, no leading number."""
    text = _DASH.sub(" - ", unicodedata.normalize("NFC", text))
    text = text.translate(FOLD)
    return LIST_NUMBER.sub("", _SPACES.sub(" ", text).strip(), count=1)


_ASCII_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def collapse_whitespace(text: str) -> str:
    """Display form: original characters, but runs of ASCII whitespace (line breaks too) become one space."""
    return _ASCII_SPACES.sub(" ", text).strip()


#: Bidi embeddings, overrides and isolates: shown raw they reorder what a terminal prints ("Trojan Source").
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def terminal_safe(text: str) -> str:
    """Untrusted text for a terminal or a one-line message: control characters and bidi controls become '\ufffd'.

    Escape sequences could recolour or rewrite the screen, bidi controls reorder it, line breaks would forge
    extra lines of output. No-break spaces and soft hyphens are ordinary typography and stay.
    """
    return _TERMINAL_UNSAFE.sub("\ufffd", text)


# Unicode category Cc (C0 and C1 controls, U+0085 among them), the bidi controls and the line separators.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "\u2028\u2029]")


# C0/C1 controls, and the bidi embeddings, overrides and isolates, which make a browser or terminal show
# characters in an order other than the file's ("Trojan Source"): a report must show what the statement says.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def without_controls(text: str) -> str:
    """``text`` without C0/C1 controls and bidi overrides (tab and line breaks kept): for files people read."""
    return _CONTROLS.sub("\ufffd", text)


def normal_kind(kind: str | None) -> str | None:
    """A statement kind as statediff spells kinds: lower case, words joined by hyphens ("Monetary Policy",
    "monetary_policy" -> "monetary-policy"), so a kind written as people write it does not turn the tilt off."""
    if kind is None:
        return None
    return "-".join(kind.casefold().replace("_", " ").split()) or None

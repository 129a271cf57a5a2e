"""One aligned pair -> word-level operations, with diff-match-patch.

Words (not characters) are the unit: each distinct normalised token is mapped to one character, the
character strings are diffed and semantically cleaned up, then mapped back to the original tokens.
Typography (quotes, dashes, non-breaking spaces) is compared normalised, so it never shows as a change.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from statediff.model import Op, OpTag
from statediff.textnorm import LIST_NUMBER, normalize

# A token is a word (joined through the hyphens, apostrophes and separators that normalisation folds, so
# "2023–2024" and "2023-2024" are one token each), a parenthetical dash with its spaces (written as an
# em dash, " -- " or a spaced en dash, like textnorm's), an ellipsis, a whitespace run or one other character.
_JOINER = "\u00ad\u2010\u2011\u2012\u2013\u2212'\u2018\u2019\u201b\u2032.,/-"
_TOKEN = re.compile(
    rf"\w+(?:[{_JOINER}]\w+)*|\s*(?:[\u2014\u2015]|--+)\s*|\s+[\u2013-]\s+|\.\.\.|\s+|[^\w\s]"
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
REWRITE_BELOW = 0.35
"""Share of kept words under which a pair is shown whole (old struck, new inserted) instead of as confetti."""
MAX_FRAGMENTS = 0.5
#: Token pairs beyond which a pair is shown as a rewrite rather than diffed word by word (~1,000 x 1,000 tokens).
MAX_DIFF_CELLS = 1_000_000
"""More change runs per kept word than this also means confetti."""


@lru_cache(maxsize=1)
def _dmp() -> Any:
    from diff_match_patch import diff_match_patch

    d = diff_match_patch()
    d.Diff_Timeout = 0  # sentences are short; exact diffs are cheap and deterministic
    return d


def _clean(text: str) -> str:
    # NFC and no zero-width characters: invisible differences must not split words into different tokens.
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def _tokens(text: str) -> list[str]:
    # Every character is in some token (a word character, a space or any other), so the tokens spell _clean(text).
    return _TOKEN.findall(_clean(text))


@lru_cache(maxsize=8192)  # statements repeat their words; normalising each occurrence was a third of the time
def _norm_token(tok: str) -> str:
    if tok.isspace():
        return " "
    return normalize(tok) or tok


def _encode(toks: list[str], table: dict[str, str]) -> str:
    out = []
    for tok in toks:
        key = _norm_token(tok)
        if key not in table:
            table[key] = chr(0xE000 + len(table)) if len(table) < 6400 else chr(0xF0000 + len(table))
        out.append(table[key])
    return "".join(out)


def _merge(ops: list[Op]) -> tuple[Op, ...]:
    out: list[Op] = []
    for op in ops:
        if not op.text:
            continue
        if out and out[-1].tag == op.tag:
            out[-1] = Op(op.tag, out[-1].text + op.text)
        else:
            out.append(op)
    return tuple(out)


def word_ops(old: str, new: str) -> tuple[tuple[Op, ...], bool]:
    """Word operations turning ``old`` into ``new``, and whether the pair was shown whole as a rewrite."""
    numbered = _numbered(old, new)
    if numbered:
        # A paragraph number is no change (textnorm): keep the new one as it stands, diff the rest.
        number, old_rest, new_rest = numbered
        rest, rewritten = word_ops(old_rest, new_rest)
        if rewritten:
            return rewrite_ops(old, new), True
        return _merge([Op("=", number), *rest]), False
    old_toks, new_toks = _tokens(old), _tokens(new)
    # Measured against the shorter side: a sentence kept whole inside a longer one reads well as word changes
    # (FOMC: "decided to [-maintain-]{+keep+} the target range ... {+and expects ...+}"), however long the addition.
    words = max(min(_words(old_toks), _words(new_toks)), 1)
    # The diff can keep at most the words both sides share; when even that is too few it is a rewrite, and
    # the diff (pure-Python bisection, slowest on the most different pairs) need not run at all.
    if _shared_words(old_toks, new_toks) / words < REWRITE_BELOW:
        return rewrite_ops(old, new), True
    if len(old_toks) * len(new_toks) > MAX_DIFF_CELLS:
        # The exact diff's time grows with the product of the lengths: two 8 KB "sentences" (a text without
        # full stops) took 40 s. No real sentence comes near (the longest has ~150 words); show it whole.
        return rewrite_ops(old, new), True
    table: dict[str, str] = {}
    a, b = _encode(old_toks, table), _encode(new_toks, table)
    dmp = _dmp()
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    ops: list[Op] = []
    ia = ib = 0
    kept_words = changed_runs = 0
    for tag, chars in diffs:
        k = len(chars)
        if tag == 0:
            piece = new_toks[ib : ib + k]
            kept_words += _words(piece)
            ops.append(Op("=", "".join(piece)))
            ia += k
            ib += k
            continue
        # A run is one stretch of change between kept words: a replacement (- then +) is one run, not two.
        if not ops or ops[-1].tag == "=":
            changed_runs += 1
        if tag == -1:
            ops.append(Op("-", "".join(old_toks[ia : ia + k])))
            ia += k
        else:
            ops.append(Op("+", "".join(new_toks[ib : ib + k])))
            ib += k
    confetti = changed_runs > 2 and changed_runs / max(kept_words, 1) > MAX_FRAGMENTS
    if changed_runs and (kept_words / words < REWRITE_BELOW or confetti):
        return rewrite_ops(old, new), True
    return _merge(ops), False


# A token holds a word character only if it starts with one (see _TOKEN); compiled once, as this runs per token.
_IS_WORD = re.compile(r"\w").match


def _words(toks: list[str]) -> int:
    return sum(1 for t in toks if _IS_WORD(t))


def _shared_words(old_toks: list[str], new_toks: list[str]) -> int:
    def bag(toks: list[str]) -> Counter[str]:
        return Counter(_norm_token(t) for t in toks if _IS_WORD(t))

    return sum((bag(old_toks) & bag(new_toks)).values())


def consistent(ops: tuple[Op, ...], old: str, new: str) -> bool:
    """Whether ``ops`` can be what ``word_ops(old, new)`` gives when it is not a rewrite (the word cache checks its
    rows with it): some text is kept, the ``=`` and ``+`` texts spell the new side as tokenized, the ``-`` texts are
    the old side's own tokens and the ``=`` texts the rest of its tokens, up to typography, all in order."""
    numbered = _numbered(old, new)
    if numbered:
        number, old, new = numbered
        if number:  # the new number comes first, merged into a kept run; it stands for both sides
            if not ops or ops[0].tag != "=" or not ops[0].text.startswith(number):
                return False
            first = ops[0].text[len(number) :]
            ops = ((Op("=", first),) if first else ()) + ops[1:]
        return consistent(ops, old, new)
    if not any(op.tag == "=" for op in ops):
        return False  # kept words are what makes a pair not a rewrite
    if "".join(op.text for op in ops if op.tag != "-") != _clean(new):
        return False
    old_toks = _tokens(old)
    at = 0
    for op in ops:
        if op.tag == "+":
            continue
        # A run starts and ends at token boundaries, so its text splits back into its own tokens (each token is the
        # first match at its start, and that match lies inside the run).
        toks = _TOKEN.findall(op.text)
        theirs = old_toks[at : at + len(toks)]
        if op.tag == "-" and toks != theirs:
            return False
        if op.tag == "=" and [_norm_token(t) for t in toks] != [_norm_token(t) for t in theirs]:
            return False
        at += len(toks)
    return at == len(old_toks)


def _numbered(old: str, new: str) -> tuple[str, str, str] | None:
    """When either side starts with a paragraph number: the new side's number ("" if none) and both sides without
    their numbers."""
    old_number, new_number = LIST_NUMBER.match(old.lstrip()), LIST_NUMBER.match(new.lstrip())
    if not (old_number or new_number):
        return None
    old_rest = old.lstrip()[old_number.end() :] if old_number else old
    new_rest = new.lstrip()[new_number.end() :] if new_number else new
    return new_number.group(0) if new_number else "", old_rest, new_rest


def rewrite_ops(old: str, new: str) -> tuple[Op, ...]:
    """Old text removed whole, new text inserted whole."""
    return _merge([Op("-", old), Op("+", new)])


def group_ops(old_texts: list[str], new_texts: list[str]) -> tuple[tuple[Op, ...], bool]:
    """Ops for a change with several sentences on a side (split/merge): the sides joined by spaces."""
    return word_ops(" ".join(old_texts), " ".join(new_texts))


def side_ops(tag: OpTag, texts: list[str]) -> tuple[Op, ...]:
    """Ops for a one-sided or unchanged change."""
    return (Op(tag, " ".join(texts)),)

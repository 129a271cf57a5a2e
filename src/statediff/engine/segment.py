"""Body text -> paragraphs (blocks) -> sentences, with character offsets into the body.

Paragraphs are separated by blank lines. Inside a paragraph, headings (Markdown ``#`` lines, or a short
unpunctuated line standing alone) and list items (``-``, ``*``, ``•``, ``1.``, ``(a)``) are blocks of their own,
including list items run together on one line (``... security. - Annual Meeting: ...``). Each block is split into
sentences by pysbd, which knows the abbreviations of official prose (U.S., Dec., No., Gen., a.m., initials).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from statediff.engine.spancache import SpanCache
from statediff.model import Sentence
from statediff.textnorm import FOLD, collapse_whitespace

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_BULLET_LINE = re.compile(r"^[ \t]*(?:[-*+\u2022\u25aa\u25cf\u2013]|\d{1,3}[.)]|\([a-z0-9]{1,4}\)|[a-z][.)])[ \t]+\S")
_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
# Items of a list flattened onto one line: a sentence end, then " - " and a capital.
_INLINE_BULLET = re.compile(r"(?<=[.;:!?\u201d\"')])[ \t]+[-\u2022\u2013][ \t]+(?=[\"\u201c(\w])")
_MARKER = re.compile(r"^(?:#{1,6}|[-*+\u2022\u25aa\u25cf\u2013])[ \t]+")
_ITEM_DOT = re.compile(r"^(\s*(?:[A-Za-z]|[ivxlc]{1,5}|[IVXLC]{1,5}))\.(?=\s)")  # pysbd handles "1. " itself
_TIME_ZONE_DOT = re.compile(
    r"\b([ap]\.m)\.(?=[ \t]+(?:[ECMP][SD]?T|GMT|UTC|CET|CEST|BST|JST|KST|AEST|IST"
    r"|(?:Eastern|Central|Mountain|Pacific|Greenwich|Japan|Korea)(?:[ \t]+(?:Standard|Daylight))?[ \t]+[Tt]ime)\b)"
)
_RUNS_ON = re.compile(r"\b(?:and|or|the|a|an|of|to|in|on|at|by|for|with|from|as)$", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?:;,\u201d\"')\]]\s*$")




@lru_cache(maxsize=1)
def _span_cache() -> SpanCache:
    return SpanCache()


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd
    from pysbd.utils import TextSpan  # type: ignore[import-untyped]

    class Segmenter(pysbd.Segmenter):  # type: ignore[misc]
        """pysbd's, finding each sentence back in the text with ``str.find`` instead of a regular expression.

        pysbd compiles a regular expression of every sentence it finds: a third of its time on the corpus, and
        the flood of one-off patterns evicts its abbreviation patterns from ``re``'s cache, so those compile again
        too. This is the same search (leftmost occurrence, trailing whitespace, past the previous sentence).
        """

        def sentences_with_char_spans(self, sentences: list[str]) -> list[Any]:
            text: str = self.original_text
            spans = []
            prior_end = 0
            for sent in sentences:
                if not sent:  # pysbd's pattern is then whitespace alone
                    for match in _SPACES.finditer(text):
                        if match.end() > prior_end:
                            spans.append(TextSpan(match.group(), match.start(), match.end()))
                            prior_end = match.end()
                            break
                    continue
                at = text.find(sent)
                while at >= 0:
                    end = _SPACES.match(text, at + len(sent)).end()  # type: ignore[union-attr]
                    if end > prior_end:
                        spans.append(TextSpan(text[at:end], at, end))
                        prior_end = end
                        break
                    at = text.find(sent, end)
            return spans

    return Segmenter(language="en", clean=False)


_SPACES = re.compile(r"\s*")
_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=1)
def _splitter() -> str:
    """Names the sentence splitter in span-cache keys (spancache.VERSION covers our own rules).

    The version comes from pysbd's installed metadata folder, found without importing pysbd: a warm run
    never needs pysbd itself.
    """
    from importlib.util import find_spec

    spec = find_spec("pysbd")
    folders = list(spec.submodule_search_locations or []) if spec else []
    infos = sorted(p.name for folder in folders for p in Path(folder).parent.glob("pysbd-*.dist-info"))
    return f"{infos[-1] if infos else 'pysbd'}-en"


def _paragraph_spans(body: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(body):
        if body[start : match.start()].strip():
            yield start, match.start()
        start = match.end()
    if body[start:].strip():
        yield start, len(body)


def _title_case(text: str) -> bool:
    return all(w[:1].isupper() or not w[:1].isalpha() for w in text.split() if len(w) > 3)


def _is_heading(line: str, next_line: str | None, width: int, lines: int) -> bool:
    """A short line with no closing punctuation, followed by more text, is a heading, not half a sentence.

    Hard-wrapped prose has such lines too. ``width`` is the longest line of the paragraph: a wrapped line
    breaks only where the next word would not fit, so a line with room for the next word was broken on
    purpose. A title-case line over a single line of text is a heading even without that room.
    """
    text = line.strip()
    if _MD_HEADING.match(line):
        return True
    if next_line is None or not text or _TERMINAL.search(text):
        return False
    following = next_line.split()
    if len(text.split()) > 10 or not text[0].isupper() or not following or not following[0][0].isupper():
        return False
    if ";" in text or _RUNS_ON.search(text):  # a list of names, or a line wrapped after "and"/"the"
        return False
    return len(text) + 1 + len(following[0]) <= width or (lines == 2 and _title_case(text))


def is_heading(text: str) -> bool:
    """A short block with no closing punctuation (``II. GROWING REGIONAL PARTNERSHIP``), even if wrapped."""
    text = text.strip()
    return bool(text) and len(text.split()) <= 10 and not _TERMINAL.search(text)


_is_heading_block = is_heading


def _block_spans(body: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Blocks of one paragraph: runs of lines, broken at list items and after headings."""
    lines: list[tuple[int, int]] = []
    pos = start
    for line in body[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    block_start: int | None = None
    prev_heading = False
    width = max(len(body[a:b].strip()) for a, b in lines)
    count = sum(1 for a, b in lines if body[a:b].strip())
    for k, (a, b) in enumerate(lines):
        line = body[a:b]
        if not line.strip():
            continue
        nxt = body[lines[k + 1][0] : lines[k + 1][1]] if k + 1 < len(lines) else None
        heading = _is_heading(line, nxt, width, count)
        if block_start is not None and (prev_heading or heading or _BULLET_LINE.match(line)):
            yield block_start, a - 1
            block_start = None
        if block_start is None:
            block_start = a
        prev_heading = heading
    if block_start is not None:
        yield block_start, lines[-1][1]


def _inline_items(body: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    cut = start
    for match in _INLINE_BULLET.finditer(body, start, end):
        yield cut, match.start()
        cut = match.start() + match.group(0).index(match.group(0).strip()[0])
    yield cut, end


# Characters that folding drops (soft hyphen) or widens ("…" -> "..."): only they need a position map.
_RESIZING = re.compile("[" + "".join(re.escape(chr(k)) for k, v in FOLD.items() if v is None or len(v) != 1) + "]")


def _fold(block: str) -> tuple[str, list[int]]:
    """The block with typography folded as comparison folds it, and where each folded character came from.

    pysbd must see "…" as "..." (and a no-break space as a space), or a typography-only edit would move
    sentence boundaries; the position map keeps the offsets true to the original text.
    """
    if not _RESIZING.search(block):  # every fold is one character for one: offsets stay as they are
        return block.translate(FOLD), list(range(len(block) + 1))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(block):
        replacement = FOLD.get(ord(ch), ch)
        if replacement is None:
            continue
        out.append(replacement)
        where.extend([i] * len(replacement))
    where.append(len(block))
    return "".join(out), where


def _pysbd_spans(folded: str) -> list[tuple[int, int]]:
    """Where pysbd puts the sentences of a folded block, as (start, end) offsets into it.

    pysbd's time grows faster than the block's length (25 KB: 1.5 s, 63 KB: 14 s); a block longer than any
    real paragraph (the longest in the corpus is 3.3 KB) is cut at sentence ends into pieces of ~8 KB first.
    """
    if len(folded) > _LONG_BLOCK:
        out: list[tuple[int, int]] = []
        start = 0
        while start < len(folded):
            end = _cut(folded, start)
            out.extend((start + a, start + b) for a, b in _pysbd_piece(folded[start:end]))
            start = end
        return out
    return _pysbd_piece(folded)


_LONG_BLOCK = 10_000
_PIECE = 8_000


def _cut(text: str, start: int) -> int:
    """Where a piece of a long block beginning at ``start`` ends: after a sentence end near ``_PIECE`` on."""
    if len(text) - start <= _LONG_BLOCK:
        return len(text)
    window = text[start : start + _PIECE]
    for mark in (". ", "? ", "! ", "\u3002", " "):
        at = window.rfind(mark)
        if at > _PIECE // 2:
            return start + at + len(mark)
    return start + _PIECE


def _pysbd_piece(folded: str) -> list[tuple[int, int]]:
    spans = []
    cursor = 0
    for piece in _segmenter().segment(folded):
        text = piece.strip()
        if not text:
            continue
        found = folded.find(text, cursor)
        if found < 0:  # pysbd altered the text; fall back to consuming its length
            found = cursor + (len(piece) - len(piece.lstrip()))
        found = min(found, len(folded))
        cursor = min(found + len(text), len(folded))
        spans.append((found, cursor))
    return spans


def _sentence_spans(body: str, blocks: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Sentence spans (offsets into the body) of every block, from the span cache or pysbd."""
    out: list[list[tuple[int, int]]] = [[] for _ in blocks]
    todo: list[tuple[int, str, list[int]]] = []
    for k, (start, end) in enumerate(blocks):
        # Single line breaks inside a block are wrapping; a space keeps offsets aligned with the body.
        block = body[start:end].replace("\n", " ")
        if _is_heading_block(block):  # pysbd would cut "II. GROWING ..." after the numeral
            lead = len(block) - len(block.lstrip())
            out[k] = [(start + lead, start + len(block.rstrip()))]
        else:
            folded, where = _fold(block)
            # pysbd ends a sentence at the dot of an item letter ("a. First, we ..."): hide it as "a) ".
            folded = _ITEM_DOT.sub(r"\1)", folded, count=1)
            # ... and after "p.m." before a time zone ("at 5 p.m. ET on Friday"): hide that dot too.
            folded = _TIME_ZONE_DOT.sub(r"\1,", folded)
            todo.append((k, folded, where))
    found = _span_cache().spans([folded for _, folded, _ in todo], _splitter(), _pysbd_spans) if todo else []
    for (k, _, where), spans in zip(todo, found, strict=True):
        start = blocks[k][0]
        out[k] = [(start + where[a], start + (where[b - 1] + 1 if b > a else where[a])) for a, b in spans]
    return out


def segment(body: str) -> tuple[Sentence, ...]:
    """Split a statement body into sentences, each knowing its block (paragraph) and offsets."""
    blocks = [
        item
        for p_start, p_end in _paragraph_spans(body)
        for b_start, b_end in _block_spans(body, p_start, p_end)
        for item in _inline_items(body, b_start, b_end)
    ]
    sentences: list[Sentence] = []
    paragraph = 0
    for spans in _sentence_spans(body, blocks):
        added = False
        for s_start, s_end in spans:
            raw = body[s_start:s_end]
            marker = _MARKER.match(raw) if not added else None
            if marker:
                s_start += marker.end()
            text = collapse_whitespace(body[s_start:s_end])
            if not _WORD_CHAR.search(text) and added:
                # Punctuation pysbd cut off the end ("crisis responses*.*"): it belongs to the sentence before.
                prev = sentences[-1]
                whole = collapse_whitespace(body[prev.start : s_end])
                sentences[-1] = Sentence(prev.index, whole, prev.paragraph, prev.start, s_end)
                continue
            if not _WORD_CHAR.search(text) and sentences:
                continue  # a lone marker or rule line carries no sentence
            if not text:
                continue
            sentences.append(Sentence(len(sentences), text, paragraph, s_start, s_end))
            added = True
        if added:
            paragraph += 1
    return tuple(sentences)


def lines_as_sentences(body: str) -> tuple[Sentence, ...]:
    """``--segmented`` input: one sentence per non-blank line, used as given; blank lines separate paragraphs."""
    sentences: list[Sentence] = []
    paragraph = 0
    pos = 0
    for line in body.split("\n"):
        text = collapse_whitespace(line)
        if text:
            start = pos + (len(line) - len(line.lstrip()))
            sentences.append(Sentence(len(sentences), text, paragraph, start, start + len(line.strip())))
        elif sentences and sentences[-1].paragraph == paragraph:
            paragraph += 1
        pos += len(line) + 1
    return tuple(sentences)


def sentences_from_list(texts: list[str]) -> tuple[Sentence, ...]:
    """Sentences given by a caller, used as given (whitespace collapsed); all in paragraph 0."""
    return tuple(Sentence(i, collapse_whitespace(t), 0, 0, len(t)) for i, t in enumerate(texts))

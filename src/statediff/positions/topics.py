"""Topics: the changes of a comparison grouped by meaning, each labelled with its own distinctive words.

Every change (unchanged ones too, they give context) is one unit; its vector is the mean of its sentences'
vectors (the comparison's own, from the pipeline; tf-idf word vectors when it has none). Units are merged by
average-linkage clustering while they stay similar, by meaning and by the distinctive words they share; sentences of
one paragraph lean together, as statements put one subject per paragraph. A big group that no word names is
clustered again, stricter. A label is the term (a named actor or place, a two-word phrase, a noun) that names most
of the topic's sentences and few others, as the text writes it ("DPRK", "COVID-19", "supply chains"); the parties'
own names, words in most sentences, adjectives and verbs never label a topic; a broad topic gets a second term
("ASEAN · Pacific islands"); a topic no term names is "Other". Deterministic: every tie is broken by position in the
text, then by the term. A series' ``topics.txt`` can pin sentences to a named topic and merge automatic ones into it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path
from typing import NamedTuple

import numpy as np

from statediff.errors import StatediffError
from statediff.model import Comparison
from statediff.positions.actors import Registry, actor_spans, alias_key, defined_acronyms, find_actors, registry_for
from statediff.positions.lexicons import _read_lines, lexicon_for
from statediff.positions.linkage import average_linkage
from statediff.positions.patterns import regex
from statediff.positions.records import dataclass

MERGE_AT = 0.42
"""Average cosine similarity (MiniLM scale) above which two groups of changes are one topic."""
SAME_PARAGRAPH = 0.12
"""Added to the similarity of two changes in the same paragraph of either statement."""
LEXICAL = 0.3
"""Weight of shared distinctive words (idf-weighted cosine) beside the meaning vectors' similarity."""
COMMON = 0.2
COMMON_ACTOR = 0.1
COMMON_MIN = 4
"""A term in more than this share of all sentences ("trilateral", "Quad") names no topic; for actors (the parties'
own names) COMMON_ACTOR; a term in COMMON_MIN sentences or fewer is never common (short statements)."""
DIFFUSE_SIZE = 6
DIFFUSE_COVER = 0.2
"""A topic of at least DIFFUSE_SIZE sentences (after splitting) whose label names fewer than this share of them is a
catch-all: it joins the one topic called "Other" rather than be named after a few of its sentences."""
PARTY_SHARE = 0.02
PARTY_MIN = 10
"""Parties: actors both openings name that recur in PARTY_SHARE of all sentences, when either statement has PARTY_MIN
sentences or more."""
SECOND = 0.6
"""A second label term must score at least this share of the first's."""
SPLIT_SIZE = 12
SPLIT_COVER = 0.5
"""A topic of at least SPLIT_SIZE sentences whose best term names fewer than SPLIT_COVER of them is clustered again
at a threshold SPLIT_STEP stricter."""
SPLIT_STEP = 0.08
SPLITS = 3
OTHER = "Other"
RANKED = 24
"""Label candidates ordered with care per topic (by score, then position in the text); the rest only by score."""
MAX_LABEL = 40
MAX_TERM = 28
"""Longer names ("Trilateral Technology Leaders Training Program") make poor labels; shorter terms are chosen."""

_GENERIC = frozenset(
    [
        "committee", "leaders", "leader", "countries", "country", "nations", "three", "together", "continue",
        "continued", "continues", "also", "including", "statement", "today", "year", "years", "will", "would",
        "shall", "must", "within", "further", "support", "important", "work", "working", "region", "regional",
        "efforts", "effort", "other", "recent", "recently", "remain", "remains", "well", "such", "both", "first",
        "meeting", "percent", "basis", "points", "information", "indicates", "indicators", "months", "decided",
        "decision", "members", "member", "action", "just", "where", "what", "when", "least", "maintain",
        "concur", "closing", "lies", "reaffirm", "welcome", "welcomes", "strengthen", "enhance", "ensure", "promote",
        "commit", "commitment", "commitments", "announce", "intend", "seek", "look", "forward", "stand", "make",
        "take", "every", "many", "much", "very", "partners", "partner", "cooperation", "partnership", "continuing",
        "deepen", "advance", "expand", "build", "today", "again", "need", "ways", "means", "part", "going", "could",
        "should", "might", "good", "clear", "time", "class", "impacts", "impact", "like", "used", "using", "latest",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
        "december", "in-person"
    ]
)
_STOP = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is",
        "are", "was", "were", "be", "been", "being", "has", "have", "had", "it", "its", "this", "that", "these",
        "those", "their", "our", "we", "they", "he", "she", "his", "her", "which", "who", "whom", "whose", "also",
        "such", "than", "then", "so", "not", "no", "nor", "into", "over", "under", "about", "between", "through",
        "during", "while", "both", "each", "other", "more", "most", "all", "any", "some", "there", "here", "per",
        "upon", "after", "before", "since", "until", "within", "without", "across", "toward", "towards", "us", "them"
    ]
)
_NOT_ADVERBS = frozenset(["supply", "assembly", "family", "anomaly", "monopoly", "italy", "ally", "apply", "comply",
                          "reply", "rally"])
"""Words ending in -ly that are not adverbs ("supply chains")."""
# Two or three capitalised words after a lower-case word, ending as a place does. It starts with the capital (the
# lookbehind after it), so the search jumps from capital to capital: twice as fast as a lookbehind first.
_PLACE = regex(r"[A-Z](?<=[a-z,;] [A-Z])[a-z]+ (?:[A-Z][a-z]+ )?"
               r"(?:Sea|Peninsula|Strait|Ocean|Basin|River|Islands|Asia|Pacific|East)\b")
_TOKEN = regex(r"[A-Za-z][A-Za-z0-9’'-]*[A-Za-z0-9]|[A-Z]")


@dataclass(frozen=True)
class Topic:
    """One topic of a comparison."""

    label: str
    """A short name from the topic's own distinctive words (or the name a topics file gives it)."""
    changes: tuple[int, ...]
    """Indices into ``Comparison.changes``, in report order."""
    pinned: bool = False
    """True when a topics file named it."""


class TopicRule(NamedTuple):  # a NamedTuple: built at import ~5x faster than a frozen dataclass
    """One line of a topics file: sentences with any of ``phrases`` belong to ``label``."""

    label: str
    phrases: tuple[str, ...]
    pattern: re.Pattern[str]


def parse_topics(path: Path | str, text: str | None = None) -> list[TopicRule]:
    """The rules of a topics file: ``<label>: <word or phrase>, <word or phrase>, ...`` per line."""
    rules = []
    for number, line in _read_lines(path, text):
        where = f"{path}: line {number}"
        if ":" not in line:
            raise StatediffError(f"{where}: expected '<topic label>: <word or phrase>, ...', got {line[:60]!r}")
        label, _, rest = line.partition(":")
        label = " ".join(label.split())
        phrases = tuple(" ".join(p.split()) for p in rest.split(",") if p.strip())
        if not label or len(label) > MAX_LABEL:
            raise StatediffError(f"{where}: the topic label must be 1 to {MAX_LABEL} characters")
        if not phrases:
            raise StatediffError(f"{where}: topic {label!r} lists no words or phrases after ':'")
        alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        rules.append(TopicRule(label, phrases, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)))
    return rules


def _unit_texts(c: Comparison) -> list[str]:
    return [" ".join([*(c.old_sentences[i].text for i in ch.old), *(c.new_sentences[j].text for j in ch.new)])
            for ch in c.changes]


def _unit_vectors(c: Comparison, texts: list[str]) -> np.ndarray:
    if c.vectors is not None and len(c.vectors[0]) == len(c.old_sentences) and len(c.vectors[1]) == len(c.new_sentences):
        old_vecs, new_vecs = (np.asarray(v, dtype=np.float32) for v in c.vectors)
        # Sum each change's sentence vectors in one pass (a mean has the same direction once normalised below).
        both = np.concatenate([old_vecs, new_vecs]) if len(old_vecs) + len(new_vecs) else np.zeros((0, 1), np.float32)
        rows = [[*ch.old, *(len(old_vecs) + j for j in ch.new)] for ch in c.changes]
        out = np.zeros((len(c.changes), both.shape[1]), dtype=np.float32)
        # Every change's k-th sentence at once, k = 0, 1, …: the very sums (and order) of np.add.at, which took
        # 0.6 ms for a hundred changes (np.add.reduceat adds in another order, so rounds differently).
        having, k = list(range(len(rows))), 0
        while having := [n for n in having if len(rows[n]) > k]:
            out[having] += both[[rows[n][k] for n in having]]
            k += 1
    else:
        out = _tfidf(texts)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def _tfidf(texts: list[str]) -> np.ndarray:
    docs = [Counter(w.lower() for w in _TOKEN.findall(t) if w.lower() not in _STOP) for t in texts]
    vocab = {w: k for k, w in enumerate(sorted(set().union(*docs)))} if docs else {}
    out = np.zeros((len(texts), max(len(vocab), 1)), dtype=np.float32)
    df = Counter(w for d in docs for w in d)
    for row, d in enumerate(docs):
        for w, n in d.items():
            out[row, vocab[w]] = n * math.log(1 + len(texts) / df[w])
    return out


LARGE = 2_000
"""From this many changes on, topics take the long-statement path: the word similarity from sparse vectors (the
dense changes-by-words matrix took seconds and hundreds of MB at 5,000 sentences a side) and the clustering's sums
in float32 (half the memory). Both round differently from the exact path, so a near-tie may go the other way and
a few changes land in another topic; below it every figure is as before (README: Scale)."""
_ROWS = 256
"""Rows of a unit-by-unit matrix copied at a time (no second full-size temporary)."""


class _Affinity:
    """How alike two changes are: meaning plus LEXICAL x shared words (``base``, float32, symmetric), and
    SAME_PARAGRAPH more for the ``together`` pairs (sharing a paragraph of either statement), added as a block of
    changes is taken for clustering (the sums in ``dtype``). A working record, a plain class like _Vocabulary."""

    __slots__ = ("_members", "_paragraph", "base", "dtype", "shared", "together")

    def __init__(self, base: np.ndarray, together: list[np.ndarray], dtype: type[np.floating] = np.float64) -> None:
        self.base = base
        self.together = together
        """The changes of each paragraph of either statement (change numbers, each once per paragraph)."""
        self.dtype = dtype
        self.shared: np.ndarray | None = None
        """Below LARGE changes: which pairs of all the changes share a paragraph, worked out once."""
        # The same as (paragraph, change) pairs, for ``_sharing`` to look only at the paragraphs of a block's changes.
        self._members = np.concatenate(together) if together else np.zeros(0, dtype=np.intp)
        self._paragraph = np.repeat(np.arange(len(together)), [len(m) for m in together])

    def block(self, units: list[int]) -> np.ndarray:
        """The matrix of ``units`` (a fresh copy, the clustering's own)."""
        at = np.asarray(units, dtype=np.intp)
        out = np.empty((len(at), len(at)), dtype=self.dtype)
        if len(at) == len(self.base) and np.array_equal(at, np.arange(len(at))):
            out[...] = self.base  # every change (no topics file): one straight copy, no gathering
        else:
            for start in range(0, len(at), _ROWS):
                out[start : start + _ROWS] = self.base[at[start : start + _ROWS]][:, at]
        if len(self.base) >= LARGE:
            out[self._sharing(at)] += SAME_PARAGRAPH  # a mask of every change would be another large matrix
            return out
        # A statement's topics take several blocks (splits): the paragraphs are gone through once, not per block.
        if self.shared is None:
            self.shared = self._sharing(np.arange(len(self.base)))
        out[self.shared[np.ix_(at, at)]] += SAME_PARAGRAPH
        return out

    def _sharing(self, at: np.ndarray) -> np.ndarray:
        """Which pairs of ``at`` share a paragraph (a change shares one with itself)."""
        where = np.full(len(self.base), -1, dtype=np.intp)
        where[at] = np.arange(len(at))
        # A mask, not a list of pairs: one long paragraph has a number of pairs that grows with its square (a
        # 2,500-sentence text in one paragraph spent 17 s deduplicating them). Each pair gets the bump once.
        shared = np.zeros((len(at), len(at)), dtype=bool)
        local = where[self._members]
        present = local >= 0
        local, paragraph = local[present], self._paragraph[present]
        shared[local, local] = True
        # Only the paragraphs with two or more of the block's changes add pairs: a long statement's topics take a
        # few hundred blocks, and going through its thousands of paragraphs for each took seconds at 5,000 a side.
        order = np.argsort(paragraph, kind="stable")
        local, paragraph = local[order], paragraph[order]
        for group in np.split(local, np.flatnonzero(np.diff(paragraph)) + 1):
            if len(group) > 1:
                shared[np.ix_(group, group)] = True
        return shared


def _cluster(sims: _Affinity, units: list[int], merge_at: float = MERGE_AT) -> list[list[int]]:
    """Average-linkage clustering of ``units`` (row numbers of ``sims``)."""
    if not units:
        return []
    return [sorted(units[k] for k in group)
            for group in average_linkage(sims.block(units), merge_at, own=True, dtype=sims.dtype)]


class _Vocabulary:
    """Candidate label terms, sentence by sentence, with how the text writes them. (A working record, never compared
    or shown: a plain class, as generating a dataclass's methods costs start-up time in every compare.)"""

    __slots__ = ("candidates", "common", "display", "kind", "parties", "per_sentence", "ranked", "said", "sdf", "shown", "texts",
                 "verbs")

    def __init__(self, per_sentence: list[set[str]], shown: dict[str, dict[str, int]], kind: dict[str, str],
                 sdf: Counter[str], texts: list[str], said: Counter[str]) -> None:
        self.per_sentence = per_sentence
        """Per sentence of both statements (old ones first): its terms (``@key`` for an actor, lower case
        otherwise)."""
        self.shown = shown
        """Term -> how the text writes it ("COVID-19", "Ukraine", "supply chains"), with how often."""
        self.kind = kind
        """Term -> "actor", "place", "phrase", "word" or "adjective" (no label by itself)."""
        self.sdf = sdf
        """Term -> how many sentences name it."""
        self.texts = texts
        """The sentences themselves."""
        self.said = said
        """Term -> how many different sentences name it (a sentence kept unchanged counts once)."""
        self.parties: frozenset[str] = frozenset()
        """Actors both statements name in their first sentence ("We, the leaders of Japan, …"): the parties, no
        topic."""
        self.display: dict[str, str] = {}
        """Term -> its label form, worked out once."""
        self.common: frozenset[str] | None = None
        """Terms in too many sentences to name a topic (see COMMON), worked out once."""
        self.candidates: dict[str, tuple[bool, float, float, int] | None] = {}
        """Term -> the parts of its score no topic changes, None if it labels nothing (see ``_candidate``)."""
        self.ranked: dict[tuple[int, ...], tuple[list[int], list[tuple[float, str]]]] = {}
        """Group -> its sentences and best label terms (see ``_ranked``)."""
        self.verbs: frozenset[str] | None = None
        """Words the text mostly uses as verbs (see ``_verbs``), worked out once."""


def _vocabulary(texts: Sequence[str], registry: Registry, aliases: dict[str, str]) -> _Vocabulary:
    # Both statements repeat most sentences: each text's terms are worked out once, then counted per occurrence.
    named = [_terms(text, registry, aliases) for text in texts]
    shown: dict[str, dict[str, int]] = {}
    kind: dict[str, str] = {}
    # Each (term, form, kind) counted at once, in the order of first mention (a term's kind is its first mention's).
    # Plain dicts for the forms: a Counter per term cost a millisecond to make.
    for (term, surface, what), n in Counter(chain.from_iterable(named)).items():
        forms = shown.get(term)
        if forms is None:
            shown[term] = {surface: n}
            kind[term] = what
        else:
            forms[surface] = forms.get(surface, 0) + n
    per_sentence = [{term for term, _surface, _what in terms} for terms in named]
    said = Counter(chain.from_iterable(dict(zip(texts, per_sentence, strict=True)).values()))
    return _Vocabulary(per_sentence, shown, kind, Counter(chain.from_iterable(per_sentence)), list(texts), said)


_TERMS: dict[tuple[Registry, str, tuple[tuple[str, str], ...]], list[tuple[str, str, str]]] = {}


def _terms(text: str, registry: Registry, aliases: dict[str, str]) -> list[tuple[str, str, str]]:
    """(term, surface, kind) of every term ``text`` names, in order, remembered per text (do not modify)."""
    memo = (registry, text, alias_key(aliases))
    if memo in _TERMS:
        return _TERMS[memo]
    out: list[tuple[str, str, str]] = []
    for key, mention in find_actors(text, registry, aliases).items():
        # People are listed as actors by the digest; a topic is what they talk about, not who speaks.
        if not key.startswith("person:") and len(mention.name) <= MAX_TERM and _fit_name(mention.name):
            out.append(("@" + key, mention.name, "actor"))
    for m in _PLACE.finditer(text):
        if len(m.group(0)) <= MAX_TERM:
            out.append((m.group(0).lower(), m.group(0), "place"))  # "South China Sea", "Korean Peninsula"
    # Words of a name are the actor's, found above: "Republic of Korea" is not also "republic" and "korea".
    named = _spans(text, registry)
    covered = {at for a, b in named for at in range(a, b)}  # a set, not every span per token
    # (start, end, token) per token, and its _word facts apart: the memo looked up here, not by a call per token (a
    # statement has thousands of tokens; the call was most of the loop's cost).
    tokens = [(*t.span(), t[0]) for t in _TOKEN.finditer(text)]
    if covered:
        tokens = [token for token in tokens if token[0] not in covered]
    if text.count(";") >= ROSTER - 1 and len(_ROSTER_ITEM.findall(text)) >= ROSTER:
        # "Jerome H. Powell, Chair; John C. Williams, Vice Chair; Lael Brainard; …": who votes, not what about. The
        # people's names and titles name no topic; the sentence's other words do ("voting").
        tokens = [token for k, token in enumerate(tokens) if not k or not token[2][:1].isupper() or token[2].isupper()]
    known = _WORDS.get
    facts = [known(tok) or _word(tok) for _start, _end, tok in tokens]
    last = len(tokens) - 1
    # "TACKLING THE CLIMATE CRISIS": a heading in capitals, its words ordinary ones (read in lower case), not acronyms.
    heading = [k for k, token in enumerate(tokens) if token[2].isupper() and len(token[2]) > 1 and _in_heading(tokens, k)]
    for k in heading:
        start, end, _tok = tokens[k]
        tokens[k] = (start, end, facts[k][0])
        facts[k] = _word(facts[k][0])
    for k, (w, usable, adjectival, bare) in enumerate(facts):
        if not usable:
            continue
        _start, end, tok = tokens[k]
        # A sentence's first word is capitalised as a sentence start, not as a name: it says nothing of the form.
        surface = bare if k else _bare(w if tok[1:].islower() else tok)
        adjective = adjectival and not w.isupper() and not (k and surface[:1].isupper())  # "Pacific"
        out.append((w, surface, "adjective" if adjective else "word"))
        if k < last:
            next_w, next_usable, next_adjectival, next_bare = facts[k + 1]
            if next_usable and not next_adjectival and end + 1 == tokens[k + 1][0]:
                out.append((f"{w} {next_w}", f"{surface} {next_bare}", "phrase"))
    if len(_TERMS) > 20_000:
        _TERMS.clear()
    _TERMS[memo] = out
    return out


_WORDS: dict[str, tuple[str, bool, bool, str]] = {}


ROSTER = 4
"""Items in a list of people ("Name [I.] Name" after a semicolon, or first) that make a sentence a roster."""
_ROSTER_ITEM = regex(r"(?:^|;)\s*(?:and\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-z]+\b")
HEADING_RUN = 3
"""All-capitals words in a row, one space apart, that make a heading ("TACKLING THE CLIMATE CRISIS") rather than
acronyms side by side ("COVAX AMC", "UNCCD COP16")."""


def _in_heading(words: list[tuple[int, int, str]], k: int) -> bool:
    """Whether the all-capitals word ``k`` is one of at least HEADING_RUN such words in a row."""
    def capitals(j: int) -> bool:
        return words[j][2].isupper() and len(words[j][2]) > 1

    first = last = k
    while first > 0 and words[first - 1][1] + 1 == words[first][0] and capitals(first - 1):
        first -= 1
    while last + 1 < len(words) and words[last][1] + 1 == words[last + 1][0] and capitals(last + 1):
        last += 1
    return last - first + 1 >= HEADING_RUN


def _word(token: str) -> tuple[str, bool, bool, str]:
    """A token's term (lower case, no possessive), whether it can be a term, whether it reads as an adjective, and
    its form without the possessive; remembered: statements repeat most of their words."""
    found = _WORDS.get(token)
    if found is None:
        if len(_WORDS) > 50_000:
            _WORDS.clear()
        # _bare written out, one call less per word (a first analysis meets ~1,000 new tokens). A term is not a
        # function word, a generic word, an adverb, a number or a section number in capitals, and has four letters or
        # more (an acronym two); whether an unusable word reads as an adjective is never asked.
        word = token.lower()
        if word.endswith(_POSSESSIVE):
            word = word[:-2]
        usable = (word not in _STOP and word not in _GENERIC and not (word.endswith("ly") and word not in _NOT_ADVERBS)
                  and not word[:1].isdigit() and not (word in _ROMAN and token.isupper())
                  and (len(word) >= 4 or (token.isupper() and len(token) >= 2)))
        found = _WORDS[token] = (word, usable, usable and _adjectival(word),
                                 token[:-2] if token.endswith(_POSSESSIVE) else token)
    return found


_POSSESSIVE = ("’s", "'s")


def _bare(word: str) -> str:
    """``word`` without a possessive ("Japan’s" -> "Japan"), by string ending (called for every word)."""
    return word[:-2] if word.endswith(_POSSESSIVE) else word


_ADJECTIVE_ENDINGS = ("al", "ive", "ous", "ful", "able", "ible", "ed")


def _adjectival(word: str) -> bool:
    """Whether ``word`` ends as adjectives and participles do ("transparent", "global", "inclusive", "economic"; not
    "-ment" nouns or "pandemic"): no label by itself. By string endings, not a regex (called for every word)."""
    return (word.endswith(_ADJECTIVE_ENDINGS) or (len(word) >= 4 and word.endswith("ent") and word[-4] != "m")
            or (word.endswith("ic") and not word.endswith("demic")))


def _fit_name(name: str) -> bool:
    """Not a name that starts with a function word ("This Partnership", "Our Vision"): a phrase, not a name."""
    return name.split()[0].lower() not in _STOP and name.lower() not in _GENERIC


_SPANS: dict[tuple[Registry, str], list[tuple[int, int]]] = {}


def _spans(text: str, registry: Registry) -> list[tuple[int, int]]:
    """``actor_spans``, remembered: a series' reports meet the same sentences again and again (keyed on the registry
    itself, as find_actors is)."""
    key = (registry, text)
    if key not in _SPANS:
        if len(_SPANS) > 20_000:
            _SPANS.clear()
        _SPANS[key] = actor_spans(text, registry)
    return _SPANS[key]


_ROMAN = frozenset(["ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv"])
"""Section numbers ("II. GROWING REGIONAL PARTNERSHIP"), not acronyms."""


def _nameable(word: str, shown: str) -> bool:
    """Whether a single word can name a topic: not a word of the stance lexicon ("condemn", "ironclad",
    "unwavering": how a point is said, not what it is about), not a participle or gerund written in lower case
    ("securing", "taking"), not a word too general to name anything ("beyond", "outcome")."""
    if shown[:1].isupper():
        return True  # a name ("Hiroshima", "Quad") or an acronym
    if word in _NOT_LABELS or (word.endswith("ing") and word not in _ING_TOPICS):
        return False
    return not _stance_word(word)


@lru_cache(maxsize=4096)
def _stance_word(word: str) -> bool:
    exact, prefixed = _stance_words()
    return word in exact or any(word.startswith(prefix) for prefix in prefixed.get(word[:3], ()))


@lru_cache(maxsize=1)
def _stance_words() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The shipped lexicon's one-word phrases: the words themselves, and the prefixes of those ending in ``*`` by
    their first three letters (as ``Lexicon.prefixed``). Gathered once: a report asks about every word it has."""
    lexicon = lexicon_for(())
    exact = frozenset(word for word, entries in lexicon.exact.items() if any(" " not in e.phrase for e in entries))
    prefixed = {start: found for start, entries in lexicon.prefixed.items()
                if (found := tuple(prefix for prefix, e in entries if " " not in e.phrase))}
    return exact, prefixed


_NOT_LABELS = frozenset(
    [
        "beyond", "long", "others", "update", "presence", "outcome", "conclusion", "evolution", "behavior", "behaviour",
        "opportunity", "opportunities", "interest", "interests", "measures", "help", "forms", "medium", "decades",
        "spirit", "resolve", "encourage", "unlock", "threaten", "illegitimate", "circular", "suffering", "champion",
        "matters", "issue", "issues", "areas", "level", "levels", "steps", "range", "view", "order", "sense", "side",
        "sides", "takes", "preserve",
    ]
)
"""General words that name no subject (adverbs, abstract nouns, verbs): never a label by themselves."""
_ING_TOPICS = frozenset(["financing", "funding", "fishing", "shipping", "trafficking", "peacekeeping", "housing",
                         "training", "lending", "banking", "manufacturing", "mining", "spending", "building",
                         "peacebuilding", "farming", "smuggling", "policing", "computing", "warming", "bombing", "voting"])
"""Words in -ing that do name subjects ("illegal fishing", "human trafficking", "quantum computing")."""


def _shown(vocab: _Vocabulary, term: str) -> str:
    if term not in vocab.display:
        forms = vocab.shown[term]
        if len(forms) == 1:  # most terms: one form, nothing to choose
            vocab.display[term] = next(iter(forms))
            return vocab.display[term]
        # The most frequent form; ties to the form with more capitals ("Ukraine" over "ukraine"), then alphabetically.
        vocab.display[term] = min(forms, key=lambda f: (-forms[f], -sum(ch.isupper() for ch in f), f))
    return vocab.display[term]


def _word_rows(units: list[list[int]], vocab: _Vocabulary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unit's distinctive words: word numbers per unit (``indptr`` into ``columns``, ascending in each unit)
    and every word's idf weight (words in most sentences, phrases and the parties' names carry nothing)."""
    total = len(vocab.per_sentence)
    sdf = vocab.sdf
    common, kind, parties = _common_terms(vocab), vocab.kind, vocab.parties
    vocab_index = {t: k for k, t in enumerate(sorted(t for t in sdf
                                                     if t not in common and kind[t] != "phrase" and t not in parties))}
    weight = np.array([math.log(total / sdf[t]) for t in vocab_index], dtype=np.float32)
    # Each unit's terms met with the index's keys as sets (in C), then numbered: not a test per term in Python.
    known, number, per_sentence = vocab_index.keys(), vocab_index.__getitem__, vocab.per_sentence
    rows = [sorted(map(number, known & (per_sentence[sentences[0]] if len(sentences) == 1
                                        else set().union(*(per_sentence[s] for s in sentences)))))
            for sentences in units]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    columns = np.fromiter((k for r in rows for k in r), dtype=np.int64, count=int(indptr[-1]))
    return indptr, columns, weight


def _lexical(units: list[list[int]], vocab: _Vocabulary) -> np.ndarray:
    """Cosine similarity of the units' distinctive words (idf-weighted; words in most sentences carry nothing)."""
    indptr, columns, weight = _word_rows(units, vocab)
    out = np.zeros((len(units), max(len(weight), 1)), dtype=np.float32)
    out[np.repeat(np.arange(len(units)), np.diff(indptr)), columns] = weight[columns]  # one assignment, not per element
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    # Only terms of two units or more meet in the product; the others count in the norms above.
    shared = np.flatnonzero((out > 0).sum(axis=0) >= 2)
    normed = out[:, shared] / np.where(norms == 0, 1, norms)
    return normed @ normed.T


def _common(vocab: _Vocabulary, term: str) -> bool:
    return term in _common_terms(vocab)


def _common_terms(vocab: _Vocabulary) -> frozenset[str]:
    if vocab.common is None:
        total = len(vocab.per_sentence)
        # The two thresholds once, not a max() per term.
        actor, other = max(COMMON_ACTOR * total, COMMON_MIN), max(COMMON * total, COMMON_MIN)
        vocab.common = frozenset(t for t, n in vocab.sdf.items() if n > (actor if vocab.kind[t] == "actor" else other))
    return vocab.common


def _label(group: list[int], units: list[list[int]], vocab: _Vocabulary, taken: set[str],
           second: bool = True) -> tuple[str, float]:
    """The group's most distinctive term as the text writes it (two when one names too few of its sentences), and
    the share of its sentences the label names."""
    sentences, ranked = _ranked(group, units, vocab)
    scored = [(value, term) for value, term in ranked if _shown(vocab, term).lower() not in taken]
    if not scored:
        return OTHER, 0.0
    first = scored[0][1]
    named = {s for s in sentences if first in vocab.per_sentence[s]}
    label = _shown(vocab, first)
    if vocab.kind[first] == "phrase":
        # "federal funds" + "funds rate" in the same sentences: "federal funds rate".
        tail = next((t for _v, t in scored if vocab.kind[t] == "phrase" and t.split()[0] == first.split()[1]
                     and {s for s in sentences if t in vocab.per_sentence[s]} == named), None)
        if tail is not None:
            label = f"{label} {_shown(vocab, tail).split()[1]}"
    if second and len(named) < 0.5 * len(sentences) and len(sentences) >= 4:
        # A broad topic: a second term that names mostly other sentences of it ("Indo-Pacific · ASEAN").
        for value, term in scored[1:]:
            if value < SECOND * scored[0][0]:
                break
            also = {s for s in sentences if term in vocab.per_sentence[s]}
            if (len(also) >= 2 and len(also - named) > len(also & named) and term not in first and first not in term
                    and not (vocab.kind[term] == "word" and term.endswith("ing"))
                    and len(label) + 3 + len(_shown(vocab, term)) <= MAX_LABEL):
                label = f"{label} · {_shown(vocab, term)}"
                named |= also
                break
    return label[:MAX_LABEL], len(named) / len(sentences)


def _ranked(group: list[int], units: list[list[int]], vocab: _Vocabulary) -> tuple[list[int], list[tuple[float, str]]]:
    """The group's sentences and its RANKED best label terms with their scores, best first. They do not depend on
    the labels already taken: worked out once per group (a group is labelled when split, and again when named)."""
    key = tuple(group)
    if key in vocab.ranked:
        return vocab.ranked[key]
    sentences = [s for u in group for s in units[u]]
    n = len(sentences)
    tf = Counter(chain.from_iterable(vocab.per_sentence[s] for s in sentences))
    positive = []
    candidates, floor = vocab.candidates, 2 if n >= 3 else 0
    for t, count in tf.items():
        if count < floor:
            continue  # in a topic of three sentences or more, a label names at least two of them
        # The memo read here, a call only for a term not yet scored (a report scores each term in several groups).
        if (known := candidates[t] if t in candidates else _candidate(vocab, t)) is None:
            continue
        common, idf, bonus, sdf = known
        if common and count / n < 0.6:
            continue  # "trilateral", "Committee": in most sentences, naming no topic unless most of this one's
        if (value := round(count * idf * bonus * math.sqrt(count / sdf), 6)) > 0:
            positive.append((-value, t))
    # Every tie broken by the term itself: the order of a Counter filled from sets follows the hash seed.
    positive.sort()
    top = [(-negative, t) for negative, t in positive[:RANKED]]
    if any(a[0] == b[0] for a, b in pairwise(top)):
        # Ties go to the term the topic names first ("the invasion of Ukraine by Russia": Ukraine), then to the term
        # itself. Only the best few can become the label: finding a term in the text is the cost.
        text = " ".join(vocab.texts[s] for s in sentences).lower()
        top.sort(key=lambda st: (-st[0], _first(text, _shown(vocab, st[1])), st[1]))
    vocab.ranked[key] = sentences, top
    return sentences, top


def _candidate(vocab: _Vocabulary, t: str) -> tuple[bool, float, float, int] | None:
    """None when ``t`` can label no topic, else the parts of its score that no topic changes: whether it is common,
    its idf, its kind's bonus, how many sentences name it. Worked out once per term, when a topic first needs it
    (~4,000 scores per report; most terms are said once and only ever meet topics too big for them)."""
    if t not in vocab.candidates:
        kind, sdf = vocab.kind[t], vocab.sdf[t]
        bonus = 2.5 if kind in ("actor", "place") else 1.3 if kind == "phrase" else 1.0
        vocab.candidates[t] = ((_common(vocab, t), math.log(1 + len(vocab.per_sentence) / sdf), bonus, sdf)
                               if _can_label(vocab, t) else None)
    return vocab.candidates[t]


def _can_label(vocab: _Vocabulary, t: str) -> bool:
    kind = vocab.kind[t]
    if kind == "adjective" or (kind == "word" and not _nameable(t, _shown(vocab, t))):
        return False
    if kind == "word" and t in _verbs(vocab) and not _shown(vocab, t)[:1].isupper():
        return False  # "hold", "achieve", "monitor": what is done, not what about
    if t in vocab.parties:
        return False  # the parties' own names: in most sentences, naming no topic
    # A word said once in both statements ("depart", "lies") is rarely a name for anything.
    return not (vocab.said[t] < 2 and kind in ("phrase", "word") and not _shown(vocab, t).isupper())


# A word right after a modal, a subject pronoun, "to" or an auxiliary ("will hold", "to achieve", "has risen"),
# perhaps past one adverb ("will also hold"): a verb there, whatever else it can be.
_AFTER_VERB_CUE = regex(r"\b(?:will|shall|must|can|cannot|should|would|could|may|might|we|they|to|not|has|have|had|been)"
                        r"\s+(?:(?:also|not|further|jointly|[a-z]+ly)\s+)?([a-z][a-z-]*)\b")
VERB_SHARE = 0.5
"""A word used at least this often as a verb (see _AFTER_VERB_CUE) names no topic. Measured on the corpus: every
verb among the labels it had chosen was at 0.5 or more ("task" 0.54, "hold" 0.84, "achieve" 0.96), every noun at
0.33 or less ("multilateralism" 0.33, "exchange" 0.25, "peace" 0.03)."""


def _verbs(vocab: _Vocabulary) -> frozenset[str]:
    """The lower-case words used as verbs in at least VERB_SHARE of their occurrences in the two statements."""
    if vocab.verbs is None:
        cued = Counter(m[1] for m in _AFTER_VERB_CUE.finditer("\n".join(vocab.texts)))
        vocab.verbs = frozenset(w for w, n in cued.items()
                                if w in vocab.shown and n >= VERB_SHARE * vocab.shown[w].get(w, 0) > 0)
    return vocab.verbs


def _first(text: str, term: str) -> int:
    at = text.find(term.lower())
    return at if at >= 0 else len(text)


def find_topics(c: Comparison, rules: Sequence[TopicRule] = (), registry: Registry | None = None,
                aliases: dict[str, str] | None = None) -> tuple[Topic, ...]:
    """The topics of ``c``, in the order their first change appears in the report."""
    registry = registry or registry_for()
    aliases = aliases if aliases is not None else defined_acronyms(*(s.text for s in (*c.old_sentences, *c.new_sentences)))
    texts = _unit_texts(c)
    offset = len(c.old_sentences)
    units = [[*ch.old, *(offset + j for j in ch.new)] for ch in c.changes]
    vocab = _vocabulary([s.text for s in (*c.old_sentences, *c.new_sentences)], registry, aliases)
    vocab.parties = frozenset("@" + key for key in parties(c, registry, aliases))
    pinned: dict[str, list[int]] = {}
    free = []
    for k, text in enumerate(texts):
        rule = next((r for r in rules if r.pattern.search(text)), None)
        if rule:
            pinned.setdefault(rule.label, []).append(k)
        else:
            free.append(k)
    groups = _groups(c, texts, units, vocab, free)
    taken = {label.lower() for label in pinned} | {OTHER.lower()}
    labelled: dict[int, str] = {}
    other: list[int] = []
    # The biggest topics choose their labels first: they have the most right to the common words.
    for n in sorted(range(len(groups)), key=lambda n: (-len(groups[n]), groups[n][0])):
        label, cover = _label(groups[n], units, vocab, taken)
        sentences = sum(len(units[u]) for u in groups[n])
        if label == OTHER or (sentences >= DIFFUSE_SIZE and cover < DIFFUSE_COVER):
            other += groups[n]  # no word names this group: say so, rather than name it after one of its sentences
            continue
        taken.add(label.lower())
        labelled[n] = label
    topics = [Topic(label, tuple(units_), True) for label, units_ in pinned.items()]
    for n, label in sorted(labelled.items()):
        # A topics file names or merges automatic topics: one whose label it lists joins its topic.
        # A two-term label ("DPRK · missile launches") merges when either of its terms is listed.
        terms = {term.lower() for term in (label, *label.split(" · "))}
        target = next((r.label for r in rules if terms & {p.lower() for p in (r.label, *r.phrases)}), None)
        if target is not None:
            at = next((i for i, t in enumerate(topics) if t.label == target), None)
            merged = tuple(sorted((*topics[at].changes, *groups[n]))) if at is not None else tuple(groups[n])
            if at is None:
                topics.append(Topic(target, merged, True))
            else:
                topics[at] = Topic(target, merged, True)
            continue
        topics.append(Topic(label, tuple(groups[n]), False))
    if other:
        topics.append(Topic(OTHER, tuple(sorted(other)), False))
    return tuple(sorted(topics, key=lambda t: min(t.changes)))


def parties(c: Comparison, registry: Registry, aliases: dict[str, str]) -> frozenset[str]:
    """The keys of the actors both statements name in their opening (first three sentences: a dateline may come
    first; a short statement's first one) and that recur through them: the parties themselves ("We, the leaders of
    Australia, India, Japan, …"). Their names label no topic, and their appearing in a point is not news."""
    sentences = [s.text for s in (*c.old_sentences, *c.new_sentences)]
    offset = len(c.old_sentences)
    if max(offset, len(sentences) - offset) < PARTY_MIN:
        return frozenset()  # a short statement's opening is most of it; beside a long one, the long one's opening decides
    # The topics and the digest both ask, one after the other: the last answer is kept.
    memo = (registry, alias_key(aliases), offset, tuple(sentences))
    if _PARTIES and _PARTIES[0][0] == memo:
        return _PARTIES[0][1]
    named = [set(find_actors(text, registry, aliases)) for text in sentences]
    # A short statement's opening is its first sentence (a readout: who met); three would be most of it.
    lead_old, lead_new = (3 if n >= PARTY_MIN else 1 for n in (offset, len(sentences) - offset))
    opening = set().union(*named[:min(lead_old, offset)]) & set().union(*named[offset:offset + lead_new])
    recurring = PARTY_SHARE * len(sentences)
    found = frozenset(key for key in opening if sum(key in n for n in named) >= recurring)
    _PARTIES[:] = [(memo, found)]
    return found


_PARTIES: list[tuple[tuple[Registry, tuple[tuple[str, str], ...], int, tuple[str, ...]], frozenset[str]]] = []


def _groups(c: Comparison, texts: list[str], units: list[list[int]], vocab: _Vocabulary, free: list[int]) -> list[list[int]]:
    """The free changes clustered by meaning and shared distinctive words; a big group no word names is split tighter."""
    affinity = _affinity(c, texts, units, vocab)
    groups = []
    pending = [(g, MERGE_AT) for g in _cluster(affinity, free)]
    while pending:
        g, threshold = pending.pop()
        cover = _label(g, units, vocab, set(), second=False)[1]
        if sum(len(units[u]) for u in g) >= SPLIT_SIZE and cover < SPLIT_COVER and threshold < MERGE_AT + SPLITS * SPLIT_STEP:
            parts = _cluster(affinity, g, threshold + SPLIT_STEP)
            pending += [(part, threshold + SPLIT_STEP) for part in parts] if len(parts) > 1 else []
            groups += [] if len(parts) > 1 else [g]
        else:
            groups.append(g)
    return groups


def _affinity(c: Comparison, texts: list[str], units: list[list[int]], vocab: _Vocabulary) -> _Affinity:
    """Meaning + LEXICAL x words, built in place (these unit-by-unit matrices are a long statement's peak memory)."""
    vectors = _unit_vectors(c, texts)
    sims = vectors @ vectors.T
    large = len(units) >= LARGE
    if large:
        _add_lexical_sparse(sims, units, vocab, LEXICAL)
    else:
        lexical = _lexical(units, vocab)
        lexical *= LEXICAL
        sims += lexical
        del lexical
    return _Affinity(sims, _together(c), np.float32 if large else np.float64)


def _together(c: Comparison) -> list[np.ndarray]:
    """The changes of each paragraph of the old and of the new statement."""
    members: dict[tuple[int, int], list[int]] = {}
    for k, ch in enumerate(c.changes):
        for key in {*((0, c.old_sentences[i].paragraph) for i in ch.old), *((1, c.new_sentences[j].paragraph) for j in ch.new)}:
            members.setdefault(key, []).append(k)
    return [np.asarray(ks, dtype=np.intp) for ks in members.values()]


def _add_lexical_sparse(sims: np.ndarray, units: list[list[int]], vocab: _Vocabulary, weight: float) -> None:
    """``sims += weight * _lexical(units, vocab)``, from sparse word vectors, a block of rows at a time (for long
    statements: the dense matrix is units x words). The products sum each pair's shared words in word order, so
    the result is exactly symmetric, as the clustering needs; it may differ from the dense product in the last bit."""
    from scipy import sparse

    indptr, columns, weight_of = _word_rows(units, vocab)
    values = weight_of[columns]
    # Norms over every word; only words of two units or more meet in the product.
    owner = np.repeat(np.arange(len(units)), np.diff(indptr))
    norms = np.sqrt(np.bincount(owner, weights=values * values, minlength=len(units))).astype(np.float32)
    norms[norms == 0] = 1
    shared = np.flatnonzero(np.bincount(columns, minlength=len(weight_of)) >= 2)
    words = sparse.csr_matrix((values / norms[owner], columns, indptr), shape=(len(units), max(len(weight_of), 1)))
    words = words[:, shared]
    words.sort_indices()
    by_word = words.T.tocsr()
    for start in range(0, len(units), _ROWS):
        block = (words[start : start + _ROWS] @ by_word).toarray()
        block *= weight
        sims[start : start + _ROWS] += block

"""The positions layer's fast paths find what the plain forms they replace find: the case-blind word patterns run
lower-case, the capitalised-word scan for known names, the checks before the long actor patterns, the counts
built without intermediate Counters, the lexicon's overlap check by taken positions and the figures of a point
with nothing to pair. Each is compared with the plain form (kept here) on hand-made odd strings and,
when it is there, on every line of the shared corpus."""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from statediff.positions import actors, digest, figures, lexicons, marking, topics
from statediff.positions.figures import Figure, changed_figures, figure_key, find_figures
from statediff.positions.lexicons import STANCE_FAMILIES, TILT_FAMILIES, Entry, Lexicon, lexicon_for

# The patterns as they were written before their lower-case forms (marking._Words).
PLAIN = {
    "_FUTURE": re.compile(r"\b(?:will|shall|intends?|plans?|aims?|seeks?|ask|asks|pledges?|look forward|going to)\b",
                          re.IGNORECASE),
    "_PAST": re.compile(r"\b(?:have|has|had)\s+(?:\w+\s+)?\w+(?:ed|en|wn|ne|ht)\b"
                        r"|\b(?:launched|established|announced|achieved|completed|progress|already|now|today)\b",
                        re.IGNORECASE),
    "_WE": re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE),
    "_NEGATORS": re.compile(r"(?<![\w-])(?:not|no|never|neither|nor|cannot|n[’']t)(?![\w-])", re.IGNORECASE),
}

ODD = [
    "WE Will NOT, we’ll  HAVE   Been Launched. n't n’t don't Can-not CANNOT us-led US OUR ourselves",
    "Going  to look forward; Look Forward LOOK\nFORWARD going to-morrow Intends intend INTENDS pledged",
    "Kelvin \u212a wILL ſhall uſ İntend ıntend WİLL are odd letters; Σ ΟΔΟΣ final sigma",
    "have\tthe crowned; HAS ALREADY been; had    grown; hasn’t seen; have-been known; _will will_ X-will will-X",
    "no-one, No. never; Neither nor; n’t; 'n't'; NOT", "", "   ", "we", "US", "today’s now-famous progress",
    "The Quad, the Quad’s, xthe Quad, the Quadrilateral, the State of Palestine; Åland Islands; ÅLAND; åland",
    "U.S.-Japan, the U.S., US dollars, Japan’s, JAPAN, Japanese, the Republic of Korea (ROK); DPRK's ROK’s",
    "President Joseph R. Biden, Prime Minister Kishida Fumio and the Trilateral Secretariat (TS) met; TS said",
    "Under the Climate Information Services Initiative and the Sydney Energy Forum and the Quad Clean Hydrogen "
    "Partnership, the Memorandum of Cooperation on the Framework; Foreign Minister Park Jin; Secretary-General",
]


@pytest.fixture
def corpus_lines(corpus: Path) -> list[str]:
    return _lines(corpus)


@lru_cache(maxsize=1)
def _lines(corpus: Path) -> list[str]:
    lines = [line for f in sorted(corpus.glob("*/*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line.strip()]


def test_lowered_matches_case_blind_matching_over_all_of_unicode() -> None:
    # marking._lowered refuses İ, ı and ſ; every other character must lower-case to one character of the same class
    # (word, space, digit), matched case-blind by an ASCII letter exactly when it lower-cases to that letter.
    word, space, digit = re.compile(r"\w"), re.compile(r"\s"), re.compile(r"\d")
    letter = re.compile("[a-z]", re.IGNORECASE)
    odd = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        c = chr(code)
        low = c.lower()
        if low == c and not letter.fullmatch(c):
            continue  # unchanged, and no ASCII letter matches it either way
        same = (len(low) == 1 and all(bool(p.match(c)) == bool(p.match(low)) for p in (word, space, digit))
                and all(bool(re.fullmatch(x, c, re.IGNORECASE)) == (low == x) for x in "abcdefghijklmnopqrstuvwxyz"))
        if not same:
            odd.append(c)
    assert odd == ["\u0130", "\u0131", "\u017f"]
    assert all(marking._lowered(f"x{c}y") is None for c in odd) and marking._lowered("ABC\u212a’") == "abck’"


def _assert_words_match_plain(texts: list[str]) -> None:
    for name, plain in PLAIN.items():
        words = getattr(marking, name)
        for text in texts:
            expected = [m.span() for m in plain.finditer(text)]
            assert words.spans(text, marking._lowered(text)) == expected, (name, text)
            assert words.spans(text, None) == expected, (name, text)  # the case-blind form, for odd texts
            assert words.count(text, marking._lowered(text)) == len(expected)


def test_word_patterns_find_what_the_plain_patterns_find() -> None:
    _assert_words_match_plain(ODD)


def test_word_patterns_find_what_the_plain_patterns_find_over_the_corpus(corpus_lines: list[str]) -> None:
    _assert_words_match_plain(corpus_lines)


def test_negation_with_odd_letters_reads_as_before() -> None:
    # A text _lowered refuses takes the case-blind path; spans there and in the lower-cased text are the same places.
    assert marking.negation_flipped("We support the ſanctions.", "We do not support the ſanctions.")
    assert marking.negation_flipped("We support the sanctions.", "We do not support the sanctions.")
    assert not marking.negation_flipped("There can be no justification.", "We met.")


def _plain_finditer(registry: actors.Registry, text: str) -> list[tuple[int, int, str]]:
    """Registry._finditer as it was: every token looked up."""
    out = []
    pos = 0
    for m in actors._TOKEN.finditer(text):
        if m.start() < pos:
            continue
        for name in registry.by_first.get(actors._lookup_key(m.group(0)), ()):
            end = m.start() + len(name)
            if text.startswith(name, m.start()) and not actors._continues(text, end):
                out.append((m.start(), end, name))
                pos = end
                break
    return out


def _plain_named(text: str) -> tuple[tuple[tuple[int, int, str, str | None], ...], tuple[tuple[int, int, str, str], ...]]:
    return tuple(actors._bodies(text)), tuple((m.start(), m.end(), m.group(0), m.group(1))
                                              for m in actors._PERSON.finditer(text))


def _assert_actors_match_plain(texts: list[str], tmp_path: Path) -> None:
    extra = tmp_path / "actors.txt"
    extra.write_text("country | the Quad’s Friends\ninitiative | 3rd Way Forum | ...Dots\nperson | àlex Smith\n",
                     encoding="utf-8")
    for registry in (actors.registry_for(), actors.registry_for((str(extra),))):
        assert "the Quad" in registry.uncapitalised and "Åland Islands" in registry.uncapitalised
        for text in texts:
            assert registry._finditer(text) == _plain_finditer(registry, text), text
    for text in texts:
        assert actors._named.__wrapped__(text) == _plain_named(text), text
        aliases = actors.defined_acronyms(text)
        found = actors._find_actors(text, actors.registry_for(), aliases)
        with_scan = actors._find_actors(text, actors.registry_for(), {**aliases, "": "body:anything"})  # "" in any text
        assert found == {k: v for k, v in with_scan.items() if k != "body:anything"}, text


def test_actor_scans_find_what_the_plain_scans_find(tmp_path: Path) -> None:
    _assert_actors_match_plain([*ODD, "3rd Way Forum ...Dots àlex Smith the Quad’s Friends"], tmp_path)


def test_actor_scans_find_what_the_plain_scans_find_over_the_corpus(corpus_lines: list[str], tmp_path: Path) -> None:
    _assert_actors_match_plain(corpus_lines[::3], tmp_path)


def _plain_family_delta(lexicon: Lexicon, old: str, new: str, families: tuple[str, ...]) -> Counter[tuple[str, int, str]]:
    before = marking._stance_phrases(lexicon, old, families)
    after = marking._stance_phrases(lexicon, new, families)
    delta: Counter[tuple[str, int, str]] = Counter()
    for key in before | after:
        delta[key] = after[key] - before[key]
    return Counter({k: v for k, v in delta.items() if v})


def _plain_other_words(old: str, new: str) -> int:
    lexicon = lexicon_for()
    a = Counter(marking._stem(w) for w in marking._WORD.findall(old) if w.lower() not in marking._STOP)
    b = Counter(marking._stem(w) for w in marking._WORD.findall(new) if w.lower() not in marking._STOP)
    assert (a, b) == (marking.content_words(old), marking.content_words(new))
    assert sum((a & b).values()) == marking.shared_words(a, b)
    phrase_words = [w for e in lexicon.find(f"{old} . {new}") for w in e.phrase.split(" ")]
    lexical = {marking._stem(w) for w in phrase_words if not w.endswith("*")}
    prefixes = tuple(w[:-1][:7] for w in phrase_words if w.endswith("*") and len(w) > 1)
    return sum(1 for w in (a - b) + (b - a) if not w[0].isdigit() and w not in marking._MONTH_WORDS
               and w not in lexical and not w.startswith(prefixes))


def _assert_counts_match_plain(texts: list[str]) -> None:
    lexicon = lexicon_for()
    for old, new in pairwise(texts):
        for families in (STANCE_FAMILIES, TILT_FAMILIES):
            delta = marking._family_delta(lexicon, old, new, families)
            plain = _plain_family_delta(lexicon, old, new, families)
            assert list(delta.items()) == list(plain.items()), (old, new)  # same order: ties keep it
        assert marking.other_words_changed(old, new, lexicon) == _plain_other_words(old, new), (old, new)


def test_counts_are_what_the_counter_arithmetic_gave() -> None:
    _assert_counts_match_plain([*ODD, "The Committee is strongly committed; inflation remains elevated in May 2024.",
                                "The Committee is committed; inflation has eased somewhat since March 2024."])


def test_counts_are_what_the_counter_arithmetic_gave_over_the_corpus(corpus_lines: list[str]) -> None:
    _assert_counts_match_plain(corpus_lines[::7])


def test_first_word_is_the_lookup_key_of_the_first_token() -> None:
    names = [*actors.registry_for().keys, "U.S. Congress", "People's Republic", "Côte d’Ivoire", "3rd Way", "...Dots",
             "’s-Hertogenbosch", "Foo\u00a0Bar", "A_B C", "Ⅻ Corps", "x", "-Dash"]
    for name in names:
        m = actors._TOKEN.match(name)
        assert actors._first_word(name) == (actors._lookup_key(m.group(0)) if m else name), name


def _plain_resolve(spans: list[lexicons.Span], words: Sequence[str]) -> tuple[tuple[Entry, tuple[str, ...]], ...]:
    """lexicons._resolve as it was: each span checked against every span taken before it; a weight-0 phrase takes
    its words and is left out."""
    spans = sorted(spans, key=lambda s: (s[0] - s[1], s[0]))
    taken: list[tuple[int, int]] = []
    found = []
    for start, end, entry in spans:
        if not any(start < e and s < end for s, e in taken):
            taken.append((start, end))
            found.append((start, entry))
    return tuple((entry, tuple(words[max(0, start - 2) : start])) for start, entry in sorted(found, key=lambda f: f[0])
                 if entry.weight)


def _assert_resolve_matches_plain(texts: list[str]) -> None:
    lexicon = lexicon_for(())
    for text in texts:
        words = lexicons._tokens(text)[1]
        spans = list(lexicons._all_spans(lexicon, text))
        assert lexicons._resolve(list(spans), words) == _plain_resolve(spans, words), text


def test_resolve_keeps_the_spans_the_pairwise_check_kept() -> None:
    entries = lexicon_for(()).entries[:4]
    words = [f"w{k}" for k in range(12)]
    rng = random.Random(7)
    for _ in range(2000):
        spans = [(s, s + rng.randint(1, 4), rng.choice(entries)) for s in (rng.randrange(10) for _ in range(rng.randint(0, 6)))]
        assert lexicons._resolve(list(spans), words) == _plain_resolve(spans, words), spans
    _assert_resolve_matches_plain(ODD)


def test_resolve_keeps_the_spans_the_pairwise_check_kept_over_the_corpus(corpus_lines: list[str]) -> None:
    _assert_resolve_matches_plain(corpus_lines[::3])


def _plain_changed_figures(old: str, new: str) -> tuple[Figure, ...]:
    """figures.changed_figures as it was: always through the Counters, whether or not one side holds no figure."""
    old_found, new_found = find_figures(old), find_figures(new)
    common = Counter(figure_key(f) for f in old_found) & Counter(figure_key(f) for f in new_found)
    only_old, only_new = figures._minus(old_found, common), figures._minus(new_found, common)
    out: list[Figure] = []
    for o in only_old:
        match = next((n for n in only_new if figures._shape(n) == figures._shape(o)), None)
        if match is not None:
            only_new.remove(match)
        out.append(Figure(o, match))
    out.extend(Figure(None, n) for n in only_new)
    return tuple(out)


def _assert_figures_match_plain(lines: list[str]) -> None:
    for old, new in [*pairwise(lines), *((line, "") for line in lines[:50]), *(("", line) for line in lines[:50])]:
        assert changed_figures(old, new) == _plain_changed_figures(old, new), (old, new)


def test_changed_figures_are_what_the_counters_gave() -> None:
    _assert_figures_match_plain([*ODD, "In May 2024, 3 countries pledged $5 billion.", "In June 2025, three pledged",
                                 "", "25 basis points to 5-1/4 percent", "no figure here at all"])


def test_changed_figures_are_what_the_counters_gave_over_the_corpus(corpus_lines: list[str]) -> None:
    _assert_figures_match_plain(corpus_lines[::5])


def _assert_words_changed_match_plain(texts: list[str]) -> None:
    for old, new in [*pairwise(texts), *((t, "") for t in texts[:20]), *(("", t) for t in texts[:20])]:
        before, after = marking.content_words(old), marking.content_words(new)
        assert digest._words_changed(before, after) == sum(((before - after) + (after - before)).values()), (old, new)


def test_words_changed_is_the_counter_arithmetic() -> None:
    _assert_words_changed_match_plain([*ODD, "keep keep the rate rate rate", "raise the rate", "keep", ""])


def test_words_changed_is_the_counter_arithmetic_over_the_corpus(corpus_lines: list[str]) -> None:
    _assert_words_changed_match_plain(corpus_lines[::5])


def _assert_word_rows_match_plain(texts: list[str]) -> None:
    vocab = topics._vocabulary(texts, actors.registry_for(), {})
    n = len(texts)
    units = [[k] for k in range(n)] + [[k, k + 1] for k in range(0, n - 1, 3)] + [list(range(0, n, 7)), []]
    indptr, columns, _weight = topics._word_rows(units, vocab)
    # The plain form: each unit's terms tested one by one against the index.
    common, kind, parties = topics._common_terms(vocab), vocab.kind, vocab.parties
    index = {t: k for k, t in enumerate(sorted(t for t in vocab.sdf
                                               if t not in common and kind[t] != "phrase" and t not in parties))}
    rows = [sorted(index[t] for t in set().union(*(vocab.per_sentence[s] for s in unit)) if t in index) for unit in units]
    assert [list(columns[indptr[k] : indptr[k + 1]]) for k in range(len(units))] == rows


def test_word_rows_are_the_plain_rows() -> None:
    _assert_word_rows_match_plain([*ODD, "Supply chains and critical minerals; supply chains again.", "Japan’s supply"])


def test_word_rows_are_the_plain_rows_over_the_corpus(corpus_lines: list[str]) -> None:
    _assert_word_rows_match_plain(corpus_lines[::40])


def _plain_sharing(together: list, n: int, at: np.ndarray) -> np.ndarray:
    """_Affinity._sharing as it was: every paragraph gone through for every block."""
    where = np.full(n, -1, dtype=np.intp)
    where[at] = np.arange(len(at))
    shared = np.zeros((len(at), len(at)), dtype=bool)
    for members in together:
        local = where[members]
        local = local[local >= 0]
        shared[np.ix_(local, local)] = True
    return shared


def test_the_paragraph_mask_of_a_block_is_the_one_every_paragraph_gives() -> None:
    rng = np.random.default_rng(11)
    for trial in range(300):
        n = int(rng.integers(0, 40))
        # Paragraphs of either statement: a change may sit in two (its old and its new one), a paragraph may be long.
        together = [np.unique(rng.integers(0, max(n, 1), int(rng.integers(1, 8)))).astype(np.intp)
                    for _ in range(int(rng.integers(0, 12)))] if n else []
        affinity = topics._Affinity(np.zeros((n, n), dtype=np.float32), together)
        for size in {0, n, int(rng.integers(0, n + 1))}:
            at = np.sort(rng.choice(n, size=size, replace=False)).astype(np.intp) if n else np.zeros(0, np.intp)
            assert np.array_equal(affinity._sharing(at), _plain_sharing(together, n, at)), trial


def plain_terms(text: str, registry: actors.Registry, aliases: dict[str, str]) -> list[tuple[str, str, str]]:
    """topics._terms as it was written before its word facts were listed apart from its tokens and made in one
    function (a token's facts by the helpers each, every token as a (start, end, token, facts) tuple)."""
    out: list[tuple[str, str, str]] = []
    for key, mention in actors.find_actors(text, registry, aliases).items():
        if not key.startswith("person:") and len(mention.name) <= topics.MAX_TERM and topics._fit_name(mention.name):
            out.append(("@" + key, mention.name, "actor"))
    for m in topics._PLACE.finditer(text):
        if len(m.group(0)) <= topics.MAX_TERM:
            out.append((m.group(0).lower(), m.group(0), "place"))
    covered = {at for a, b in actors.actor_spans(text, registry) for at in range(a, b)}

    def word(token: str) -> tuple[str, bool, bool, str]:
        w = topics._bare(token.lower())
        usable = not (w in topics._STOP or w in topics._GENERIC or (w.endswith("ly") and w not in topics._NOT_ADVERBS)
                      or w[:1].isdigit() or (w in topics._ROMAN and token.isupper())) and (
            len(w) >= 4 or (token.isupper() and len(token) >= 2))
        return w, usable, topics._adjectival(w), topics._bare(token)

    words = [(*t.span(), t[0], word(t[0])) for t in topics._TOKEN.finditer(text) if not (covered and t.start() in covered)]
    if text.count(";") >= topics.ROSTER - 1 and len(re.findall(topics._ROSTER_ITEM, text)) >= topics.ROSTER:
        words = [w for k, w in enumerate(words) if not k or not w[2][:1].isupper() or w[2].isupper()]
    heading = [k for k, w in enumerate(words) if w[2].isupper() and len(w[2]) > 1
               and topics._in_heading([x[:3] for x in words], k)]
    for k in heading:
        start, end, _tok, (w, *_facts) = words[k]
        words[k] = (start, end, w, word(w))
    last = len(words) - 1
    for k, (_start, end, tok, (w, usable, adjectival, bare)) in enumerate(words):
        if not usable:
            continue
        surface = bare if k else topics._bare(w if tok[1:].islower() else tok)
        adjective = adjectival and not w.isupper() and not (k and surface[:1].isupper())
        out.append((w, surface, "adjective" if adjective else "word"))
        if k < last:
            after, _end, _tok, (next_w, next_usable, next_adjectival, next_bare) = words[k + 1]
            if next_usable and end + 1 == after and not next_adjectival:
                out.append((f"{w} {next_w}", f"{surface} {next_bare}", "phrase"))
    return out


TERM_ODD = ["Japan’s JAPAN’S japan's Indo-Pacific supply chains; the Republic of Korea’s Trilateral Secretariat (TS) and TS",
            "A B c-d e’f G7 5G COVID-19 AI/ML AI-ML supply  chains supply,chains supply-chains Supply Chains ASEAN’s",
            "Quarterly quickly family Italy, truly fully U.S. US-Japan the U.S.-ROK alliance; President Joseph R. Biden",
            "", " ", "a", "Ab", "AB’S", "x1 y2 zz 99 ab12 north-east south east South China Sea East China Sea",
            "II. TACKLING THE CLIMATE CRISIS’S GREAT CHALLENGE: COVAX AMC and UNCCD COP16; III IV ii",
            "Voting for the action: Jerome H. Powell, Chair; John C. Williams, Vice Chair; Lael Brainard; and Mary Daly; "
            "Patrick Harker."]


def test_topic_terms_are_what_the_plain_form_finds(corpus_lines: list[str]) -> None:
    registry = actors.registry_for()
    texts = TERM_ODD + corpus_lines[:: max(1, len(corpus_lines) // 3000)]
    aliases = actors.defined_acronyms(*texts)
    topics._TERMS.clear()
    topics._WORDS.clear()
    for text in texts:
        assert topics._terms(text, registry, aliases) == plain_terms(text, registry, aliases), text


def test_topic_terms_are_what_the_plain_form_finds_on_odd_strings() -> None:
    registry = actors.registry_for()
    aliases = actors.defined_acronyms(*TERM_ODD)
    for text in TERM_ODD:
        assert topics._terms(text, registry, aliases) == plain_terms(text, registry, aliases), text


def test_starts_word_is_the_look_behind_search_it_replaces() -> None:
    rng = random.Random(7)
    alphabet = "ab-_ é1٣Ⅻ.’"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        word = "".join(rng.choice("ab-") for _ in range(rng.randint(0, 3)))
        assert digest.starts_word(text, word) == bool(re.search(rf"(?<![\w-]){re.escape(word)}", text)), (text, word)

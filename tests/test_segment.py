"""Segmentation of official prose: abbreviations, initials, items, headings and quotations split where a reader would."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from statediff.engine.segment import lines_as_sentences, segment, sentences_from_list
from statediff.read.ingest import read_document


def texts(body: str) -> list[str]:
    return [s.text for s in segment(body)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The U.S. and Japan met on Dec. 5 at 10 a.m. in Washington. They agreed to meet again.",
            ["The U.S. and Japan met on Dec. 5 at 10 a.m. in Washington.", "They agreed to meet again."],
        ),
        (
            "Resolution No. 2397 was adopted unanimously. It binds all members.",
            ["Resolution No. 2397 was adopted unanimously.", "It binds all members."],
        ),
        (
            "Secretary of Defense Lloyd J. Austin III met Gen. Charles Q. Brown Jr. at the Pentagon. They discussed readiness.",
            [
                "Secretary of Defense Lloyd J. Austin III met Gen. Charles Q. Brown Jr. at the Pentagon.",
                "They discussed readiness.",
            ],
        ),
        (
            "The meeting began at 9:30 a.m. The leaders then spoke.",
            ["The meeting began at 9:30 a.m.", "The leaders then spoke."],
        ),
        (
            "President Joseph R. Biden, Jr. hosted Prime Minister Kishida Fumio. They met at Camp David.",
            ["President Joseph R. Biden, Jr. hosted Prime Minister Kishida Fumio.", "They met at Camp David."],
        ),
        (
            "The U.S.-Japan-ROK partnership is strong. It will grow.",
            ["The U.S.-Japan-ROK partnership is strong.", "It will grow."],
        ),
        (
            "The Committee decided to raise the target range to 5-1/4 to 5-1/2 percent. Inflation remains elevated.",
            ["The Committee decided to raise the target range to 5-1/4 to 5-1/2 percent.", "Inflation remains elevated."],
        ),
        (
            'The President said, "We stand together. We will not waver." The leaders agreed.',
            ['The President said, "We stand together. We will not waver."', "The leaders agreed."],
        ),
        (
            "Voting for the policy action were Jerome H. Powell, Chair; John C. Williams, Vice Chair; and Lisa D. Cook.",
            ["Voting for the policy action were Jerome H. Powell, Chair; John C. Williams, Vice Chair; and Lisa D. Cook."],
        ),
    ],
    ids=["us-dec-am", "no", "initials-gen-jr", "am-at-end", "jr-comma", "hyphenated-us", "figures", "quotation", "vote-list"],
)
def test_abbreviations_initials_and_quotes_neither_split_nor_join(body: str, expected: list[str]) -> None:
    assert texts(body) == expected


def test_bulleted_items_are_sentences_of_their_own_without_the_marker() -> None:
    body = "The leaders announced:\n- Annual meetings of leaders.\n- A trilateral hotline.\n\u2022 Joint exercises every year."
    assert texts(body) == [
        "The leaders announced:",
        "Annual meetings of leaders.",
        "A trilateral hotline.",
        "Joint exercises every year.",
    ]


def test_items_run_together_on_one_line_are_separated() -> None:
    body = "The leaders announced: - Annual Meeting: They will meet every year. - Hotline: They will set up a hotline."
    sentences = segment(body)
    assert [s.text for s in sentences] == [
        "The leaders announced:",
        "Annual Meeting: They will meet every year.",
        "Hotline: They will set up a hotline.",
    ]
    assert len({s.paragraph for s in sentences}) == 3


def test_a_hyphen_inside_a_sentence_is_not_an_item() -> None:
    body = "Growth slowed - a little - in the second quarter. Inflation eased."
    assert texts(body) == ["Growth slowed - a little - in the second quarter.", "Inflation eased."]


def test_numbered_items_keep_their_number_and_are_not_split_after_it() -> None:
    body = (
        "1. We, the Leaders, met in Hiroshima.\n2. We will champion shared values by:\n"
        "(a) upholding the UN Charter;\n(b) defending human rights."
    )
    assert texts(body) == [
        "1. We, the Leaders, met in Hiroshima.",
        "2. We will champion shared values by:",
        "(a) upholding the UN Charter;",
        "(b) defending human rights.",
    ]


@pytest.mark.parametrize(
    "heading", ["I. SECURE THE INDO-PACIFIC AND BEYOND", "II. GROWING REGIONAL PARTNERSHIP", "## Economic Security"]
)
def test_a_heading_paragraph_is_one_sentence(heading: str) -> None:
    body = f"The leaders met.\n\n{heading}\n\nThey condemned the launches. They called for restraint."
    sentences = segment(body)
    assert [s.text for s in sentences] == [
        "The leaders met.",
        heading.lstrip("# "),
        "They condemned the launches.",
        "They called for restraint.",
    ]
    assert [s.paragraph for s in sentences] == [0, 1, 2, 2]


def test_a_heading_line_directly_above_its_text_is_not_joined_to_it() -> None:
    assert texts("Economic Security\nThe leaders agreed to cooperate on supply chains.") == [
        "Economic Security",
        "The leaders agreed to cooperate on supply chains.",
    ]
    assert texts("Climate\nThe three countries will work together on the energy transition and critical minerals.") == [
        "Climate",
        "The three countries will work together on the energy transition and critical minerals.",
    ]


@pytest.mark.parametrize("width", [50, 60, 72])
def test_hard_wrapped_prose_segments_like_the_unwrapped_text(corpus: Path, width: int) -> None:
    body = read_document(corpus / "fomc" / "2023-07-26-fomc-statement.txt").body
    wrapped = "\n\n".join(textwrap.fill(p, width, break_on_hyphens=False) for p in body.split("\n\n"))
    assert texts(wrapped) == texts(body)


def test_paragraphs_and_offsets_point_into_the_body() -> None:
    body = "First paragraph here. It has two sentences.\n\nSecond  paragraph\nwraps here."
    sentences = segment(body)
    assert [s.paragraph for s in sentences] == [0, 0, 1]
    assert [s.index for s in sentences] == [0, 1, 2]
    assert sentences[2].text == "Second paragraph wraps here."  # whitespace collapsed for display
    for s in sentences:
        assert " ".join(body[s.start : s.end].split()) == s.text


def test_original_typography_is_kept_for_display() -> None:
    body = "The leaders welcomed the \u201cSpirit of Camp David\u201d\u2014a new era. Pre\u00adsident Yoon agreed."
    assert texts(body) == [
        "The leaders welcomed the \u201cSpirit of Camp David\u201d\u2014a new era.",
        "Pre\u00adsident Yoon agreed.",
    ]


def test_segmented_input_is_one_sentence_per_line_used_as_given() -> None:
    sentences = lines_as_sentences("U.S. officials met. They agreed.\n\n\nNo. 5 was adopted.\n")
    assert [s.text for s in sentences] == ["U.S. officials met. They agreed.", "No. 5 was adopted."]
    assert [s.paragraph for s in sentences] == [0, 1]


def test_a_list_of_sentences_is_used_as_given() -> None:
    assert [s.text for s in sentences_from_list(["Two sentences. In one.", "  spaced   out "])] == [
        "Two sentences. In one.",
        "spaced out",
    ]


def test_corpus_statements_do_not_yield_marker_only_or_empty_sentences(corpus: Path) -> None:
    for path in sorted(corpus.glob("*/*.txt"))[::7]:
        for s in segment(read_document(path).body):
            assert any(ch.isalnum() for ch in s.text), (path.name, s)


def test_a_warm_run_reuses_stored_sentence_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    import statediff.engine.segment as seg

    body = "The U.S. and Japan met on Dec. 5. They agreed.\n\nII. GROWING REGIONAL PARTNERSHIP\n\nGen. Brown spoke. He left."
    seg._span_cache.cache_clear()  # not one opened by an earlier test in a cache folder of its own
    first = segment(body)
    seg._span_cache.cache_clear()  # a new process: nothing in memory, only what is on disk

    def no_pysbd() -> None:
        raise AssertionError("pysbd was called although every block was cached")

    monkeypatch.setattr(seg, "_segmenter", no_pysbd)
    assert segment(body) == first


def test_the_boundary_cache_is_keyed_by_the_text_and_the_rules() -> None:
    from statediff.engine.spancache import SpanCache

    calls: list[str] = []

    def split(text: str) -> list[tuple[int, int]]:
        calls.append(text)
        return [(0, len(text))]

    cache = SpanCache()
    assert cache.spans(["One.", "Two."], "rules-a", split) == [[(0, 4)], [(0, 4)]]
    assert cache.spans(["One.", "Three."], "rules-a", split) == [[(0, 4)], [(0, 6)]]
    assert cache.spans(["One."], "rules-b", split) == [[(0, 4)]]
    assert calls == ["One.", "Two.", "Three.", "One."]


@pytest.mark.parametrize("marker", ["a.", "b)", "iv.", "IV.", "(c)", "12."])
def test_a_lettered_or_numbered_item_is_not_cut_after_its_marker(marker: str) -> None:
    body = f"The leaders commit to the following measures:\n\n{marker} First, we will phase out Russian coal. We will act."
    assert texts(body) == [
        "The leaders commit to the following measures:",
        f"{marker} First, we will phase out Russian coal.",
        "We will act.",
    ]


def test_punctuation_cut_off_the_end_stays_with_its_sentence() -> None:
    # Leftover Markdown emphasis in the G7 Hiroshima communiqué: "crisis responses*.*"
    assert texts("We recognize the value of dialogue on crisis responses*.*\n\nHuman Rights\n\nWe reaffirm it.") == [
        "We recognize the value of dialogue on crisis responses*.*",
        "Human Rights",
        "We reaffirm it.",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The call ended at 5 p.m. ET. The leaders left.", ["The call ended at 5 p.m. ET.", "The leaders left."]),
        ("They met at 9 a.m. EST on Monday. They left.", ["They met at 9 a.m. EST on Monday.", "They left."]),
        ("They met at 9 a.m. The leaders left.", ["They met at 9 a.m.", "The leaders left."]),
        ("It begins at 9 a.m. Eastern time. They left.", ["It begins at 9 a.m. Eastern time.", "They left."]),
        ("At 2 p.m. Pacific Standard Time on Friday. Then.", ["At 2 p.m. Pacific Standard Time on Friday.", "Then."]),
    ],
)
def test_a_time_zone_after_am_or_pm_stays_in_its_sentence(body: str, expected: list[str]) -> None:
    assert texts(body) == expected


def test_our_sentence_search_finds_what_pysbd_finds() -> None:
    """The segmenter replaces pysbd's per-sentence regular expression by str.find: the same spans, repeats included."""
    import pysbd

    from statediff.engine.segment import _segmenter

    texts = [
        "", "   ", "Hello.  Hello.  Hello.", "U.S. U.S. U.S.", "A. B. A. B.", ". . .", "x\u2003y.\u2003 z.\t",
        "The Committee met on Dec. 5. The Committee met on Dec. 5. It decided (a) this; (b) that.",
        "He said \"Stop.\" Then he left... And came back? Yes! No.",
    ]
    ours = _segmenter()
    for char_span in (False, True):
        theirs = pysbd.Segmenter(language="en", clean=False, char_span=char_span)
        mine = type(ours)(language="en", clean=False, char_span=char_span)
        for text in texts:
            assert [repr(s) for s in mine.segment(text)] == [repr(s) for s in theirs.segment(text)], text

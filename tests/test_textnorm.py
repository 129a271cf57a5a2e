"""Typography is no change: non-breaking spaces and hyphens, soft hyphens, quotes and dashes compare equal."""

from __future__ import annotations

import pytest

import statediff
from fakes import FakeEmbedder
from statediff.textnorm import collapse_whitespace, normalize

VARIANTS = [
    ("The U.S.-Japan alliance is ironclad.", "The U.S.\u2011Japan alliance is ironclad."),
    ("the rule of law", "the rule\u00a0of law"),
    ("the rule of law", "the rule\u202fof law"),
    ("President Biden", "Pre\u00adsident Biden"),
    ('the "Audacious Initiative"', "the \u201cAudacious Initiative\u201d"),
    ("Russia's war", "Russia\u2019s war"),
    ("friendship - and girded", "friendship\u2014and girded"),
    ("friendship -- and girded", "friendship \u2014 and girded"),
    ("friendship \u2013 and girded", "friendship\u2014and girded"),
    ("2023-2024", "2023\u20132024"),
    ("5-1/4 to 5-1/2 percent", "5\u20111/4 to 5\u20111/2 percent"),
    ("Caf\u00e9", "Cafe\u0301"),
    ("more to come...", "more to come\u2026"),
    ("two  spaces\nand a break", "two spaces and a break"),
]


@pytest.mark.parametrize(("a", "b"), VARIANTS)
def test_typographic_variants_normalise_equal(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(("a", "b"), VARIANTS)
def test_a_typography_only_change_is_no_change(a: str, b: str, fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(f"The leaders met. {a} They agreed.", f"The leaders met. {b} They agreed.", embedder=fake_embedder)
    assert [ch.kind for ch in c.changes] == ["unchanged"] * len(c.changes)
    assert not c.has_differences


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("5-1/4 to 5-1/2 percent", "5-1/2 to 5-3/4 percent"),
        ("the ROK", "the DPRK"),
        ("we will", "we will not"),
        ("2023-2024", "2023 2024"),  # a range is not two numbers
        ("re-sign the treaty", "resign the treaty"),
    ],
)
def test_real_changes_survive_normalisation(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


def test_display_text_keeps_the_original_characters() -> None:
    assert collapse_whitespace(" Pre\u00adsident\u00a0Yoon\u2019s \u201cplan\u201d\n\twas  welcomed ") == (
        "Pre\u00adsident\u00a0Yoon\u2019s \u201cplan\u201d was welcomed"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2. We will champion shared values.", "3. We will champion shared values."),
        ("(a) upholding the UN Charter;", "(b) upholding the UN Charter;"),
        ("iv) the rule of law.", "v) the rule of law."),
        ("II. GROWING REGIONAL PARTNERSHIP", "III. GROWING REGIONAL PARTNERSHIP"),
        ("12.\u202fWe met.", "We met."),
    ],
)
def test_a_paragraph_number_is_layout_not_content(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize("text", ["2023. A year of growth.", "5 percent growth.", "I met them.", "US. policy"])
def test_numbers_that_are_content_stay(text: str) -> None:
    assert normalize(text) == text

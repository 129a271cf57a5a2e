"""Word diff inside an aligned pair: word units, ops that rebuild both sides, heavy rewrites shown whole."""

from __future__ import annotations

import itertools

import pytest

from statediff.engine.worddiff import group_ops, word_ops
from statediff.model import Op
from statediff.textnorm import normalize


def old_text(ops: tuple[Op, ...]) -> str:
    return "".join(op.text for op in ops if op.tag in "=-")


def new_text(ops: tuple[Op, ...]) -> str:
    return "".join(op.text for op in ops if op.tag in "=+")


def pairs(ops: tuple[Op, ...]) -> list[tuple[str, str]]:
    return [(op.tag, op.text) for op in ops]


def test_a_changed_word_is_replaced_whole_not_letter_by_letter() -> None:
    ops, rewritten = word_ops(
        "In support of these goals, the Committee decided to raise the target range.",
        "In support of these goals, the Committee decided to maintain the target range.",
    )
    assert not rewritten
    assert pairs(ops) == [
        ("=", "In support of these goals, the Committee decided to "),
        ("-", "raise"),
        ("+", "maintain"),
        ("=", " the target range."),
    ]


def test_figures_are_whole_tokens() -> None:
    ops, rewritten = word_ops(
        "The Committee decided to raise the target range to 5-1/4 to 5-1/2 percent.",
        "The Committee decided to maintain the target range at 5-1/2 to 5-3/4 percent.",
    )
    assert not rewritten  # three short edits in a long sentence are readable, not confetti
    changed = [op.text.strip() for op in ops if op.tag != "="]
    assert "5-3/4" in changed and "maintain" in changed
    assert all(part not in ("5", "1/4", "/", "3/4") for part in changed)


def test_inserted_clause_is_one_insertion() -> None:
    ops, _ = word_ops(
        "Job gains have been robust in recent months, and the unemployment rate has remained low.",
        "Job gains have slowed in recent months but remain strong, and the unemployment rate has remained low.",
    )
    assert ("+", " but remain strong") in pairs(ops)
    assert ("-", "been robust") in pairs(ops) and ("+", "slowed") in pairs(ops)


PAIRS = [
    ("The leaders met at Camp David.", "The three leaders met at Camp David on Friday."),
    ("We condemn the DPRK\u2019s launches \u2014 again.", "We strongly condemn the DPRK's launches -- again."),
    ("Growth was 2023\u20132024 strong.", "Growth was 2023-2024 weak."),
    ("Inflation remains elevated.", "Inflation has eased over the past year but remains elevated."),
    ("More to come\u2026 later.", "More to come... now."),
    ("Caf\u00e9 diplomacy works.", "Cafe\u0301 diplomacy fails."),
    ("a\u200bb c", "ab d"),
    ("", "Entirely new."),
    ("Entirely old.", ""),
    ("We strongly condemn the launches.", "Japan, the ROK and the United States will hold annual trilateral summits."),
]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_ops_rebuild_both_sides_up_to_normalisation(old: str, new: str) -> None:
    ops, _ = word_ops(old, new)
    assert normalize(old_text(ops)) == normalize(old)
    assert normalize(new_text(ops)) == normalize(new)
    assert all(op.text for op in ops)
    assert all(a.tag != b.tag for a, b in itertools.pairwise(ops))  # runs are merged


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("We condemn the DPRK\u2019s launches \u2014 again.", "We condemn the DPRK's launches -- again."),
        ("Pre\u00adsident Yoon met the U.S.\u00a0team.", "President Yoon met the U.S. team."),
        ("the 2023\u20132024 period", "the 2023-2024 period"),
        ("more to come\u2026", "more to come..."),
    ],
)
def test_typography_never_shows_as_a_word_change(old: str, new: str) -> None:
    ops, rewritten = word_ops(old, new)
    assert [op.tag for op in ops] == ["="]
    assert not rewritten


def test_typography_inside_a_real_change_is_not_flagged() -> None:
    ops, _ = word_ops("friendship\u2014and girded by the alliance", "friendship -- and girded by the alliances")
    assert [op.text for op in ops if op.tag != "="] == ["alliance", "alliances"]


def test_a_heavy_rewrite_is_shown_whole() -> None:
    old = "The leaders strongly condemned the missile launches of the DPRK this year."
    new = "The three leaders firmly denounced the ballistic tests conducted by North Korea in recent months."
    ops, rewritten = word_ops(old, new)
    assert rewritten
    assert pairs(ops) == [("-", old), ("+", new)]


def test_split_and_merge_ops_cover_every_sentence_of_the_group() -> None:
    old = ["The leaders agreed to hold annual summits and to open a hotline."]
    new = ["The leaders agreed to hold annual summits.", "They will also open a hotline."]
    ops, _ = group_ops(old, new)
    assert normalize(old_text(ops)) == normalize(" ".join(old))
    assert normalize(new_text(ops)) == normalize(" ".join(new))
    assert any(op.tag == "=" and "hold annual summits" in op.text for op in ops)


def test_a_renumbered_paragraph_keeps_its_new_number_and_diffs_the_rest() -> None:
    ops, rewritten = word_ops("3. We will work with our partners.", "4. We will work closely with our partners.")
    assert not rewritten
    assert pairs(ops) == [("=", "4. We will work "), ("+", "closely "), ("=", "with our partners.")]

"""statediff.compare from Python: str and list sides, the JSON document's invariants, the CLI's JSON, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import statediff
from fakes import FakeEmbedder, use_fake_model
from invariants import assert_sound, problems
from statediff.cli import main
from statediff.read.ingest import read_document

OLD = """---
title: FOMC statement
date: 2023-07-26
source: https://www.federalreserve.gov/newsevents/pressreleases/monetary20230726a.htm
---

Recent indicators suggest that economic activity has been expanding at a moderate pace. Job gains have been robust in \
recent months, and the unemployment rate has remained low. Inflation remains elevated.

The U.S. banking system is sound and resilient. Tighter credit conditions for households and businesses are likely to \
weigh on economic activity, hiring, and inflation.

In support of these goals, the Committee decided to raise the target range for the federal funds rate to 5-1/4 to \
5-1/2 percent.
"""

NEW = """---
title: FOMC statement
date: 2023-09-20
---

Recent indicators suggest that economic activity has been expanding at a solid pace. Job gains have slowed in recent \
months but remain strong, and the unemployment rate has remained low. Inflation remains elevated.

In support of these goals, the Committee decided to maintain the target range for the federal funds rate at 5-1/4 to \
5-1/2 percent.

The U.S. banking system is sound and resilient. Tighter credit conditions for households and businesses are likely to \
weigh on economic activity, hiring, and inflation. The extent of these effects remains uncertain.
"""


def test_str_sides_are_read_and_segmented(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(OLD, NEW, embedder=fake_embedder)
    doc = c.to_dict()
    assert_sound(doc)
    assert doc["old"]["title"] == "FOMC statement" and doc["old"]["date"] == "2023-07-26"
    assert doc["new"]["source"] is None
    assert len(doc["old"]["sentences"]) == 6 and len(doc["new"]["sentences"]) == 7
    kinds = {tuple(ch["new"]): ch["kind"] for ch in doc["changes"]}
    assert kinds[(2,)] == "unchanged"  # "Inflation remains elevated."
    assert kinds[(6,)] == "added"  # "The extent of these effects remains uncertain."
    rate = next(ch for ch in doc["changes"] if ch["new"] == [3])
    assert rate["kind"] in ("modified", "moved")
    assert ["-", "raise"] in rate["ops"] and ["+", "maintain"] in rate["ops"]
    assert c.has_differences


def test_list_sides_are_sentences_used_as_given(fake_embedder: FakeEmbedder) -> None:
    old = ["The leaders met. They agreed.", "Inflation remains elevated."]
    new = ["Inflation remains elevated.", "The leaders met. They agreed.", "A new sentence."]
    c = statediff.compare(old, new, embedder=fake_embedder)
    assert [s.text for s in c.new_sentences] == new
    assert_sound(c.to_dict())
    assert {(ch.kind, ch.old, ch.new) for ch in c.changes} >= {("added", (), (2,))}
    assert sorted(ch.kind for ch in c.changes if ch.old and ch.new) in (["moved", "unchanged"], ["unchanged", "unchanged"])


def test_str_and_list_can_be_mixed(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare("The leaders met. They agreed.", ["The leaders met.", "They agreed."], embedder=fake_embedder)
    assert [ch.kind for ch in c.changes] == ["unchanged", "unchanged"]
    assert not c.has_differences


def test_identical_statements_have_no_differences(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(OLD, OLD, embedder=fake_embedder)
    assert {ch.kind for ch in c.changes} == {"unchanged"}
    assert c.summary()["unchanged"] == len(c.old_sentences) == len(c.changes)


def test_an_empty_side_gives_all_added_or_all_removed(fake_embedder: FakeEmbedder) -> None:
    added = statediff.compare("", NEW, embedder=fake_embedder)
    assert {ch.kind for ch in added.changes} == {"added"} and added.summary()["added"] == 7
    removed = statediff.compare(OLD, [], embedder=fake_embedder)
    assert {ch.kind for ch in removed.changes} == {"removed"} and removed.summary()["removed"] == 6
    both = statediff.compare("", [], embedder=fake_embedder)
    assert both.changes == () and not both.has_differences
    for c in (added, removed, both):
        assert_sound(c.to_dict())


def test_every_change_keeps_the_invariants_on_corpus_pairs(corpus: Path, fake_embedder: FakeEmbedder) -> None:
    pairs = [
        ("fomc", "2023-07-26-fomc-statement.txt", "2023-09-20-fomc-statement.txt"),
        ("fomc", "2020-03-03-fomc-statement.txt", "2020-03-15-fomc-statement.txt"),
        ("g7-leaders", "2023-05-20-g7-hiroshima-leaders-communique.txt", "2024-06-14-g7-apulia-leaders-communique.txt"),
        (
            "us-japan-rok-trilateral",
            "2023-08-18-spirit-of-camp-david-joint-statement.txt",
            "2024-11-15-lima-joint-leaders-statement.txt",
        ),
        ("quad-leaders", "2021-09-24-quad-leaders-joint-statement.txt", "2022-05-24-quad-joint-leaders-statement-tokyo.txt"),
    ]
    found = {}
    for series, a, b in pairs:
        doc = statediff.compare(read_document(corpus / series / a), read_document(corpus / series / b), embedder=fake_embedder)
        found[f"{series}/{a} -> {b}"] = problems(doc.to_dict())
    assert not any(found.values()), {k: v[:5] for k, v in found.items() if v}


def test_the_invariant_check_catches_a_broken_document(fake_embedder: FakeEmbedder) -> None:
    doc = statediff.compare(OLD, NEW, embedder=fake_embedder).to_dict()
    doc["changes"][0]["old"] = doc["changes"][0]["old"] + [0]
    doc["changes"][1]["ops"] = [["=", "something else"]]
    found = problems(doc)
    assert any("old indices" in p for p in found) and any("ops do not give" in p for p in found)


def test_same_input_same_output(fake_embedder: FakeEmbedder) -> None:
    first = json.dumps(statediff.compare(OLD, NEW, embedder=fake_embedder).to_dict())
    for _ in range(3):
        assert json.dumps(statediff.compare(OLD, NEW, embedder=FakeEmbedder()).to_dict()) == first


def test_to_dict_equals_the_cli_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    use_fake_model(monkeypatch, tmp_path / "c")
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "--format", "json"])
    assert result.exit_code == 1, result.output
    comparison = statediff.compare(read_document(old), read_document(new), embedder=FakeEmbedder())
    printed = json.loads(result.stdout)
    # The CLI adds the positions layer (marks under each change, topics and digest); the rest is to_dict() exactly.
    assert printed.pop("positions")["topics"]
    assert all(change.pop("marks")["topic"] is not None for change in printed["changes"])
    assert printed == comparison.to_dict()


def test_json_is_plain_utf8_and_round_trips(fake_embedder: FakeEmbedder) -> None:
    from statediff.render import render

    c = statediff.compare(
        "Pre\u00adsident Yoon\u2019s \u201cplan\u201d.", 'President Yoon\'s new "plan".', embedder=fake_embedder
    )
    text = render(c, "json")
    assert "\u2019" in text and "\\u2019" not in text  # readable, not escaped
    doc = json.loads(text)
    doc.pop("positions")
    for change in doc["changes"]:
        change.pop("marks")
    assert doc == c.to_dict()


def test_a_blank_or_non_text_sentence_in_a_list_is_refused(fake_embedder: FakeEmbedder) -> None:
    with pytest.raises(ValueError, match="old sentence 1 is blank"):
        statediff.compare(["The leaders met.", "  "], ["The leaders met."], embedder=fake_embedder)
    with pytest.raises(TypeError, match="new sentence 0 is int"):
        statediff.compare(["The leaders met."], [5], embedder=fake_embedder)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="old must be a str"):
        statediff.compare(None, "The leaders met.", embedder=fake_embedder)  # type: ignore[arg-type]


def test_segmented_strings_are_one_sentence_per_line(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(
        "The U.S. agreed. Japan agreed.\nThe ROK agreed.",
        "The U.S. agreed. Japan agreed.",
        segmented=True,
        embedder=fake_embedder,
    )
    assert [s.text for s in c.old_sentences] == ["The U.S. agreed. Japan agreed.", "The ROK agreed."]
    assert [(ch.kind, ch.old, ch.new) for ch in c.changes] == [("unchanged", (0,), (0,)), ("removed", (1,), ())]

"""Every format shows secondary links, the closest counterpart of added/removed sentences, and weak matches."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from invariants import assert_sound
from statediff.model import Change, Comparison, Document, Op, Sentence
from statediff.render import render

OLD = ["Russia will need to pay for the reconstruction.", "We will reduce Russia's revenue.", "We salute <b>Ukraine</b>.",
       "Sanctions stay."]
NEW = ["Russia must pay for the damage it caused.", "We welcome the EU facility.", "Russia pays for reconstruction, we insist.",
       "We back Ukraine.", "Sanctions remain."]


def _comparison() -> Comparison:
    def sentences(texts: list[str]) -> tuple[Sentence, ...]:
        return tuple(Sentence(k, t, k) for k, t in enumerate(texts))

    changes = (
        Change("modified", (0,), (0,), 0.61, (Op("-", OLD[0]), Op("+", NEW[0])), rewritten=True, also_new=(2,)),
        Change("added", (), (1,), None, (Op("+", NEW[1]),), closest=(1, 0.33)),
        Change("folded", (1,), (), None, (Op("-", OLD[1]),), also_new=(4,), closest=(4, 0.52)),
        Change("restated", (), (2,), None, (Op("+", NEW[2]),), also_old=(0,), closest=(0, 0.71)),
        Change("removed", (2,), (), None, (Op("-", OLD[2]),), closest=(3, 0.58)),
        Change("added", (), (3,), None, (Op("+", NEW[3]),), closest=None),
        Change("modified", (3,), (4,), 0.35, (Op("-", "Sanctions stay."), Op("+", "Sanctions remain.")), weak=True,
               also_old=(1,)),
    )
    links = ((0, 0), (0, 2), (1, 4), (3, 4))
    return Comparison(Document("\n".join(OLD)), Document("\n".join(NEW)), sentences(OLD), sentences(NEW), changes, "fake", links)


def test_json_has_the_links_and_every_change_its_secondary_links_and_closest() -> None:
    doc = json.loads(render(_comparison(), "json"))
    assert doc["schema"] == "statediff/comparison/2"
    assert doc["links"] == [[0, 0], [0, 2], [1, 4], [3, 4]]
    restated = next(ch for ch in doc["changes"] if ch["kind"] == "restated")
    assert restated["also_old"] == [0] and restated["closest"] == {"index": 0, "similarity": 0.71}
    assert next(ch for ch in doc["changes"] if ch["kind"] == "removed")["closest"] == {"index": 3, "similarity": 0.58}
    assert [ch["weak"] for ch in doc["changes"]].count(True) == 1


def test_text_names_secondary_links_closest_counterparts_and_weak_matches() -> None:
    text = render(_comparison(), "text")
    lines = text.splitlines()
    assert any(line.startswith("~ ") and "[also restated in new 3]" in line for line in lines)
    assert "& We will reduce Russia's revenue.  [folded into new 5; closest" not in text  # folded says where, once
    assert "& We will reduce Russia's revenue.  [folded into new 5]" in lines
    assert "^ Russia pays for reconstruction, we insist.  [restates old 1, 0.71]" in lines
    assert "- We salute <b>Ukraine</b>.  [closest in the new statement: new 4, 0.58]" in lines
    assert "+ We welcome the EU facility.  [closest in the old statement: old 2, 0.33]" in lines
    assert any("[also folds in old 2; weak match, 0.35]" in line for line in lines)
    assert "1 restated" in lines[-1] and "1 folded" in lines[-1]


def test_markdown_lists_restated_and_folded_sentences_with_their_notes_escaped() -> None:
    md = render(_comparison(), "md")
    assert "Restated elsewhere too (1)" in md and "Folded into other sentences (1)" in md
    assert "closest in the new statement: new 4, 0.58" in md
    html = MarkdownIt("commonmark").render(md)
    assert "<b>" not in html  # statement text stays text
    reworded = md[md.index("Reworded sentences") :]
    # The weak match is listed after the confident rewording, not first as "most changed".
    assert reworded.index("Sanctions") > reworded.index("Russia")


def test_html_shows_notes_on_rows_and_lists_and_marks_the_weak_match() -> None:
    soup = BeautifulSoup(render(_comparison(), "html"), "html.parser")
    notes = [n.get_text() for n in soup.select("tr.sd-row .sd-note")]
    assert "also restated in new 3" in notes and "folded into new 5" in notes and "restates old 1, 0.71" in notes
    assert "closest in the new statement: new 4, 0.58" in notes
    weak = soup.select("tr.sd-row.sd-weak")
    assert len(weak) == 1 and "Sanctions remain." in weak[0].get_text()
    dropped = soup.select_one("section.sd-k-removed")
    assert dropped is not None and "closest in the new statement: new 4, 0.58" in dropped.get_text()
    assert "Russia's revenue" not in dropped.get_text()  # folded, not dropped
    reworded = [li.get_text() for li in soup.select("section.sd-k-modified li")]
    assert "weak match" in reworded[-1] and "Sanctions" in reworded[-1]


def test_the_hand_made_document_is_itself_sound() -> None:
    assert_sound(_comparison().to_dict())

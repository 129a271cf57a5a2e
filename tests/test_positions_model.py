"""The positions layer end to end with the real packaged model on real statements (topics depend on the vectors).

Skips, saying why, when ../shared/corpus is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import statediff
from statediff.positions.digest import Positions, TopicDigest, analyse
from statediff.read.ingest import read_document
from statediff.render import render

pytestmark = pytest.mark.model


def run(corpus: Path, series: str, old: str, new: str, kind: str | None = None) -> tuple[statediff.Comparison, Positions]:
    c = statediff.compare(read_document(corpus / series / old), read_document(corpus / series / new))
    return c, analyse(c, kind=kind)


def new_text(c: statediff.Comparison, k: int) -> str:
    return " ".join(c.new_sentences[j].text for j in c.changes[k].new)


def test_fomc_march_2022_target_range_is_a_hawkish_figure_change_and_ukraine_is_its_own_topic(corpus: Path) -> None:
    c, p = run(corpus, "fomc", "2022-01-26-fomc-statement.txt", "2022-03-16-fomc-statement.txt", "monetary-policy")
    rate = next(k for k in range(len(c.changes)) if "raise the target range for the federal funds rate to" in new_text(c, k))
    marks = p.marks[rate]
    assert marks is not None and marks.tilt == "hawkish" and marks.substantive
    moved = [(f.old, f.new) for f in marks.figures if f.new == "1/4 to 1/2 percent"]
    assert moved == [("0 to 1/4 percent", "1/4 to 1/2 percent")]

    ukraine = next(k for k, ch in enumerate(c.changes) if ch.kind == "added" and "invasion of Ukraine" in new_text(c, k))
    topic = p.topics[p.topic_of[ukraine]]
    assert topic.label == "Ukraine"
    # Its own topic: nothing about the rate, the balance sheet or the labor market joined it.
    assert all("invasion" in new_text(c, k) for k in topic.changes), [new_text(c, k) for k in topic.changes]
    digest = next(d for d in p.digest if d.topic == topic)
    assert [(i.kind, i.change) for i in digest.items if i.kind == "new"] == [("new", ukraine)]
    assert p.tilt.get("hawkish", 0) > p.tilt.get("dovish", 0)

    soup = BeautifulSoup(render(c, "html", positions=p), "html.parser")
    card = soup.find(id=f"sd-topic-{p.topics.index(topic)}")
    assert card is not None and card.find("h3").get_text() == "Ukraine"
    link = card.find("a", href=f"#c{ukraine}")
    assert link is not None and "invasion of Ukraine by Russia" in link.get_text()
    assert soup.find(id=f"c{ukraine}") is not None


def dprk_digest(p: Positions) -> TopicDigest:
    return next(d for d in p.digest if d.topic.label == "DPRK")


def test_camp_david_to_lima_dprk_topic_has_the_new_condemnation_of_dprk_russia_cooperation(corpus: Path) -> None:
    c, p = run(corpus, "us-japan-rok-trilateral", "2023-08-18-spirit-of-camp-david-joint-statement.txt",
               "2024-11-15-lima-joint-leaders-statement.txt")
    d = dprk_digest(p)
    new = [i.text for i in d.items if i.kind == "new"]
    assert any("condemn" in t and "DPRK and Russia" in t for t in new), new
    assert "Russia" in [i.text for i in d.items if i.kind == "actor_added"]
    # The same digest, shorter, in Markdown and text; the marks and topics in the JSON.
    assert "**DPRK**" in render(c, "md", positions=p) and "appeared: " in render(c, "text", positions=p)
    doc = json.loads(render(c, "json", positions=p))
    labels = [t["label"] for t in doc["positions"]["topics"]]
    assert "DPRK" in labels
    assert all("marks" in ch for ch in doc["changes"])


def test_topics_follow_the_vectors_not_just_the_words(corpus: Path) -> None:
    # The same statements, topics from tf-idf words (no vectors) and from the model: the model's are fewer and
    # larger, because paraphrases ("North Korea"/"the DPRK", "missile launches"/"ballistic tests") meet.
    c, p = run(corpus, "us-japan-rok-trilateral", "2023-08-18-spirit-of-camp-david-joint-statement.txt",
               "2024-11-15-lima-joint-leaders-statement.txt")
    from dataclasses import replace

    words_only = analyse(replace(c, vectors=None))
    assert len(p.topics) < len(words_only.topics)

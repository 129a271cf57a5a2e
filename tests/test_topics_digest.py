"""Topics and the Positions digest on hand-made statements: labels from the text's own distinctive words (never the
parties' names, function words or adjectives), a nameless catch-all called "Other", labels the same under any hash
seed, edits that say what a reworded point changed, escaping of labels taken from statement text, and the short
digests of text, Markdown and git review."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import statediff
from fakes import FakeEmbedder
from statediff.model import Op
from statediff.positions.digest import Edit, analyse, edits
from statediff.positions.topics import OTHER, find_topics
from statediff.render import render

OPENING = "We, the leaders of Japan, the Republic of Korea, and the United States, met in Lima today."
PARAGRAPHS = [
    [OPENING, "Japan, the ROK, and the United States will hold a trilateral summit every year.",
     "The United States, Japan, and the ROK are proud of this partnership."],
    ["Japan, the ROK, and the United States condemn the DPRK's ballistic missile launches.",
     "The DPRK's missile launches violate UNSC resolutions.", "We urge the DPRK to return to dialogue."],
    ["Japan, the ROK, and the United States support Ukraine against Russia's war of aggression.",
     "Russia's war against Ukraine threatens the international order."],
    ["We will strengthen supply chains for semiconductors and critical minerals.",
     "Resilient supply chains for semiconductors protect our economies."],
    ["Onward, as always, and so forth."],
]
NEW_ONLY = {1: "We condemn military cooperation between the DPRK and Russia, including missile transfers.",
            3: "We will diversify supply chains for critical minerals and batteries."}
FUNCTION_WORDS = {"we", "also", "including", "will", "the", "our", "together", "continue", "well", "as", "so"}


def comparison() -> statediff.Comparison:
    old = "\n\n".join(" ".join(p) for p in PARAGRAPHS)
    new = "\n\n".join(" ".join([*p, NEW_ONLY[n]] if n in NEW_ONLY else p) for n, p in enumerate(PARAGRAPHS))
    return statediff.compare(old, new, embedder=FakeEmbedder())


def test_labels_are_the_texts_distinctive_words_not_the_parties_or_function_words() -> None:
    c = comparison()
    labels = [t.label for t in find_topics(c)]
    assert {"DPRK", "Ukraine", "supply chains"} <= set(labels), labels
    for label in labels:
        words = {w.lower() for w in label.replace("·", " ").split()}
        assert not words & FUNCTION_WORDS, label
        assert label not in ("Japan", "ROK", "United States", "Republic of Korea"), label  # the parties themselves


def test_a_sentence_no_word_names_goes_to_other_not_to_a_made_up_label() -> None:
    c = comparison()
    topics = find_topics(c)
    vague = next(k for k, ch in enumerate(c.changes) if ch.new and "Onward" in c.new_sentences[ch.new[0]].text)
    assert next(t.label for t in topics if vague in t.changes) == OTHER



def _labels(old: list[str], new: list[str]) -> list[str]:
    return [t.label for t in find_topics(statediff.compare(old, new, embedder=FakeEmbedder()))]


def test_a_word_the_text_uses_as_a_verb_is_no_label() -> None:
    # "hold" names these sentences best by counts alone; the text only ever does it ("will hold", "to hold").
    meetings = ["We will hold trilateral summits every year.", "Our ministers will also hold talks on energy.",
                "We intend to hold exercises at sea."]
    labels = _labels([OPENING, *meetings[:2]], [OPENING, *meetings])
    assert labels and not {"hold", "Hold"} & set(labels), labels
    # The same word as a noun elsewhere stays a label ("a hold on exports", "the hold"): the share decides.
    nouns = ["The hold on exports hurts Africa.", "A hold on shipments threatens famine.",
             "The hold must end, and we will act."]
    labels = _labels([OPENING, *nouns[:2]], [OPENING, *nouns])
    assert "hold" in labels, labels


def test_a_heading_in_capitals_is_read_as_words_and_section_numbers_are_no_labels() -> None:
    heading = "III. TACKLING THE CLIMATE CRISIS AND GLOBAL HEALTH"
    old = [OPENING, f"{heading} We will cut emissions.", "The climate crisis demands action on emissions."]
    new = [OPENING, f"{heading} We will cut emissions sharply.", "The climate crisis demands action on emissions now."]
    labels = _labels(old, new)
    assert not any(w in label for label in labels for w in ("TACKLING", "CLIMATE", "CRISIS", "III")), labels
    # Acronyms side by side stay as written.
    acronyms = ["The UNCCD COP16 meets in Riyadh on land.", "Our pledge to the UNCCD COP16 on land degradation stands."]
    labels = _labels([OPENING, acronyms[0]], [OPENING, *acronyms])
    assert any("UNCCD" in label or "COP16" in label for label in labels), labels

def test_labels_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    # Sets and Counters iterate in hash order: every tie must be broken by something else.
    script = tmp_path / "labels.py"
    script.write_text(
        "import sys\nsys.path.insert(0, sys.argv[1])\n"
        "from test_topics_digest import comparison\nfrom statediff.positions.topics import find_topics\n"
        "print([(t.label, t.changes) for t in find_topics(comparison())])\n", encoding="utf-8")
    tests = str(Path(__file__).parent)
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, str(script), tests], capture_output=True, text=True, env=env, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs


def test_edits_say_what_the_wording_changed_with_a_few_words_before_it() -> None:
    ops = (Op("-", "Furthermore, we"), Op("+", "We"),
           Op("=", " reaffirm our commitment to the complete denuclearization of the "),
           Op("-", "Democratic People's Republic of Korea (DPRK)"), Op("+", "Korean Peninsula"), Op("=", " with "),
           Op("-", "relevant "), Op("=", "UNSC resolutions"),
           Op("-", " and urge the DPRK to abandon its nuclear and ballistic missile programs"), Op("=", "."))
    found = edits(ops)
    # "Furthermore, we" -> "We" and a dropped "relevant" change no content: left out.
    assert found == (
        Edit("denuclearization of the Democratic People's Republic of Korea (DPRK)",
             "denuclearization of the Korean Peninsula", len("denuclearization of the")),
        Edit("UNSC resolutions and urge the DPRK to abandon its nuclear and ballistic missile programs", "",
             len("UNSC resolutions")),
    )
    assert edits(ops, rewritten=True) == ()
    assert edits((Op("=", "the ASEAN "), Op("-", "Five Point"), Op("+", "Five-Point"), Op("=", " Consensus"))) == ()
    assert edits((Op("=", "decided to "), Op("-", "keep"), Op("+", "raise"), Op("=", " the target range"))) == (
        Edit("decided to keep", "decided to raise", len("decided to")),)


def test_a_reworded_point_shows_its_edits_in_every_digest() -> None:
    old = ["We reaffirm our commitment to the complete denuclearization of the DPRK.", "Inflation remains elevated."]
    new = ["We reaffirm our commitment to the complete denuclearization of the Korean Peninsula.",
           "Inflation remains elevated."]
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    p = analyse(c)
    item = next(i for d in p.digest for i in d.items if i.kind == "changed")
    assert item.edits == (Edit("denuclearization of the DPRK", "denuclearization of the Korean Peninsula",
                               len("denuclearization of the")),)
    text = render(c, "text", positions=p)
    assert "#     ~ “denuclearization of the DPRK” → “denuclearization of the Korean Peninsula”" in text
    md = render(c, "md", positions=p)
    assert "  - _changed_: “denuclearization of the DPRK” → “denuclearization of the Korean Peninsula”" in md
    soup = BeautifulSoup(render(c, "html", positions=p), "html.parser")
    edit = soup.select_one("#sd-positions .sd-edit")
    assert edit is not None and edit.find("del").get_text() == "denuclearization of the DPRK"
    assert edit.find("ins").get_text() == "denuclearization of the Korean Peninsula"
    assert edit.find_parent("a")["title"].startswith("We reaffirm our commitment")


def test_labels_from_statement_text_are_escaped_everywhere() -> None:
    # A named body's name may carry "&": the label is statement text, escaped in HTML, Markdown and text alike.
    old = ["The R&D <Council> met.", "Inflation remains elevated."]
    new = ["The R&D Council met twice and condemned the launches.", "The R&D Council will meet again in May.",
           "Inflation remains elevated."]
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    p = analyse(c)
    assert "R&D Council" in [t.label for t in p.topics]
    html = render(c, "html", positions=p)
    assert ">R&amp;D Council</h3>" in html and "<Council>" not in html
    assert "- **R&D Council**: 1 new" in render(c, "md", positions=p)  # "&" is safe in Markdown; "<" never gets here
    assert "#   R&D Council: 1 new" in render(c, "text", positions=p)


def test_short_digests_keep_the_topics_with_most_substance_in_report_order_and_other_last() -> None:
    from statediff.positions.digest import Item, Positions, TopicDigest
    from statediff.positions.topics import Topic
    from statediff.render.positions_view import leading_topics

    def digest(label: str, first: int, *kinds: str) -> TopicDigest:
        items = tuple(Item(kind, first, "A point of several words here.") for kind in kinds)
        return TopicDigest(Topic(label, (first,)), items, 0)

    digests = (digest(OTHER, 0, "new", "new", "new", "new"), digest("Ukraine", 1, "stronger", "weaker"),
               digest("headings", 2, "actor_added"), digest("DPRK", 3, "new", "changed", "stronger"))
    p = Positions((), tuple(d.topic for d in digests), (), digests)
    assert [d.topic.label for d in leading_topics(p, 2)] == ["Ukraine", "DPRK"]
    assert [d.topic.label for d in leading_topics(p, 4)] == ["Ukraine", "headings", "DPRK", OTHER]



def test_a_topics_file_line_merges_a_topic_by_either_term_of_its_label(monkeypatch: pytest.MonkeyPatch) -> None:
    from statediff.positions import topics
    from statediff.positions.topics import parse_topics

    c = comparison()
    # Every automatic topic gets a two-term label; the file lists only the second term (no sentence says it, so
    # nothing is pinned by it): the topics join the file's topic by the label alone.
    monkeypatch.setattr(topics, "_label", lambda group, *_args, **_kw: (f"T{group[0]} · hostilities", 1.0))
    named = find_topics(c, parse_topics("topics.txt", "Korea: hostilities\n"))
    assert [(t.label, t.pinned) for t in named] == [("Korea", True)]
    assert sorted(named[0].changes) == list(range(len(c.changes)))


def test_word_ending_helpers_agree_with_their_regexes() -> None:
    # _adjectival and _bare replace a regex per word for speed: they must answer exactly as these regexes did.
    from statediff.positions import topics

    adjective = re.compile(r"(?:[^m]ent|al|ive|ous|ful|able|ible|ed|(?<!dem)ic)$")
    possessive = re.compile(r"[’']s$")

    words = ["global", "inclusive", "transparent", "moment", "comment", "ent", "ment", "xent", "epidemic", "pandemic",
             "demic", "ic", "economic", "academic", "famous", "able", "possible", "united", "ed", "peaceful", "japan’s",
             "rok's", "'s", "s", "its", "ukraine", "dprk", "al", "a", "", "supply", "mic", "tic", "sentiment"]
    for w in words:
        assert topics._adjectival(w) == bool(adjective.search(w)), w
        assert topics._bare(w) == possessive.sub("", w), w


def test_past_the_limit_the_edits_that_decided_the_mark_are_kept_in_text_order() -> None:
    ops = (Op("-", "Recent"), Op("+", "Latest"), Op("=", " indicators point to "), Op("-", "solid"), Op("+", "strong"),
           Op("=", " growth of "), Op("-", "household spending"), Op("+", "business investment"),
           Op("=", "; the Committee decided to "), Op("-", "maintain"), Op("+", "lower"), Op("=", " the target range."))
    assert [e.new for e in edits(ops)] == ["Latest", "indicators point to strong", "growth of business investment"]
    kept = edits(ops, decisive=("lower", "maintain"))
    # The decision, then the edit changing most content words, then the first of the equals.
    assert [e.new for e in kept] == ["Latest", "growth of business investment", "Committee decided to lower"]


def test_change_vectors_are_the_sums_np_add_at_makes_bit_for_bit() -> None:
    # _unit_vectors sums a change's sentence vectors position by position (np.add.at was slow): the same float32
    # sums in the same order, so every topic stays as it was. Changes of 0 to 9 sentences, some -0.0 components.
    from types import SimpleNamespace

    import numpy as np

    from statediff.positions import topics

    rng = np.random.default_rng(4)
    old, new = rng.normal(size=(40, 8)).astype(np.float32), rng.normal(size=(30, 8)).astype(np.float32)
    old[rng.random(old.shape) < 0.1] = -0.0
    changes = [SimpleNamespace(old=tuple(rng.choice(40, size=int(rng.integers(0, 6)), replace=False)),
                               new=tuple(rng.choice(30, size=int(rng.integers(0, 4)), replace=False)))
               for _ in range(25)]
    c = SimpleNamespace(vectors=(old, new), old_sentences=[None] * 40, new_sentences=[None] * 30, changes=changes)
    expected = np.zeros((len(changes), 8), dtype=np.float32)
    np.add.at(expected, [k for k, ch in enumerate(changes) for _ in (*ch.old, *ch.new)],
              np.concatenate([old, new])[[i for ch in changes for i in (*ch.old, *(40 + j for j in ch.new))]])
    norms = np.linalg.norm(expected, axis=1, keepdims=True)
    expected /= np.where(norms == 0, 1, norms)
    assert topics._unit_vectors(c, []).tobytes() == expected.tobytes()  # type: ignore[arg-type]


def test_stance_words_are_the_lexicons_one_word_phrases() -> None:
    # _stance_word answers from sets gathered once: as scanning the lexicon's entries for each word did.
    from statediff.positions import topics
    from statediff.positions.lexicons import lexicon_for

    lexicon = lexicon_for(())

    def scanned(word: str) -> bool:
        if any(" " not in e.phrase for e in lexicon.exact.get(word, ())):
            return True
        return any(" " not in e.phrase and word.startswith(p) for p, e in lexicon.prefixed.get(word[:3], ()))

    words = {w for e in lexicon.entries for w in e.phrase.replace("*", "").split()}
    words |= {w + "ing" for w in words} | {w + "s" for w in words} | {"ukraine", "supply", "condemns", "x", ""}
    assert any(scanned(w) for w in words) and not all(scanned(w) for w in words)
    for w in sorted(words):
        assert topics._stance_word(w) == scanned(w), w


def test_the_parties_of_a_short_statement_beside_a_long_one_are_still_the_parties() -> None:
    # Camp David anniversary (9 sentences) -> Lima (64), consecutive in the series: with no parties found, "ROK"
    # labelled a topic and Japan, the ROK and the United States "appeared" in half the topics.
    from statediff.positions.actors import defined_acronyms, registry_for
    from statediff.positions.topics import parties

    old = " ".join([OPENING, *PARAGRAPHS[1][:2], PARAGRAPHS[2][0]])
    new = "\n\n".join(" ".join([*p, NEW_ONLY[n]] if n in NEW_ONLY else p) for n, p in enumerate(PARAGRAPHS))
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    assert len(c.old_sentences) < 10 <= len(c.new_sentences)
    registry = registry_for()
    own = parties(c, registry, defined_acronyms(old, new))
    assert {"country:Japan", "country:United States", "country:Korea, Republic of"} <= own, own
    p = analyse(c)
    assert not {i.text for d in p.digest for i in d.items if i.kind == "actor_added"} & {"Japan", "ROK", "United States"}


def test_a_stance_decided_by_one_dropped_word_shows_that_word() -> None:
    # "strongly condemn" -> "condemn" is weaker because of one dropped word: the digest said so by quoting the whole
    # sentence, which reads the same as before; the edit is what the reader needs.
    old = ["We strongly condemn the decisions by the leaders of the DPRK and Russia to expand the war.",
           "Inflation remains elevated."]
    new = ["We condemn the decisions by the leaders of the DPRK and Russia to expand the war.",
           "Inflation remains elevated."]
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    p = analyse(c)
    item = next(i for d in p.digest for i in d.items if i.kind == "weaker")
    assert item.edits == (Edit("We strongly", "", len("We")),), item
    assert "dropped “We strongly”" in render(c, "text", positions=p)


def test_a_short_statement_beside_a_long_one_opens_with_its_first_sentence_only() -> None:
    # Spirit of Camp David (80 sentences, "Russia's war" in its second) -> a 4-sentence readout that names Russia in
    # its third: Russia is no party to either, though both "openings" of three sentences named it.
    from statediff.positions.actors import defined_acronyms, registry_for
    from statediff.positions.topics import parties

    old = "\n\n".join(" ".join(p) for p in [[OPENING, "Russia's war against Ukraine tests us all.",
                                             "Japan, the ROK, and the United States will act together."], *PARAGRAPHS[1:]])
    new = ("The advisers of Japan and the ROK and the United States held a call on the DPRK. They reaffirmed their "
           "coordination. They noted that arms exports from the DPRK to Russia violate resolutions.")
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    own = parties(c, registry_for(), defined_acronyms(old, new))
    assert "country:Russian Federation" not in own and "country:Japan" in own, own

"""The positions layer on hand-made pairs: figures, stance per lexicon family (both directions), tilt, negation,
actors; the data files (a malformed one is one line, exit 2); topics files; escaping of labels and digest text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

import statediff
from fakes import FakeEmbedder, use_fake_model
from statediff.cli import main
from statediff.positions import figures as figures_module
from statediff.positions.digest import PositionsFiles, analyse, files_in
from statediff.positions.figures import changed_figures, find_figures
from statediff.positions.lexicons import lexicon_for
from statediff.render import render

# --- figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("raise the target range to 5-1/4 to 5-1/2 percent.", ["5-1/4 to 5-1/2 percent"]),
        ("lower its target 25 basis points to 4-1/4 percent.", ["25 basis points", "4-1/4 percent"]),
        ("by the end of March 2023 and beyond 2023.", ["March 2023", "2023"]),
        ("inflation to moderate later this year.", ["later this year"]),
        ("we pledged $1.5 billion and two new ships.", ["$1.5 billion", "two"]),
        ("by 18 March, and met in June.", ["18 March", "June"]),
    ],
)
def test_figures_found(text: str, expected: list[str]) -> None:
    assert find_figures(text) == expected


@pytest.mark.parametrize(
    "text",
    ["3. We will deploy 5G networks.", "(iii) COVID-19 vaccines for the G7 and COP26.", "You may go.",
     "- We will march on.", "We support the ASEAN Five-Point Consensus.", "the ASEAN Five Point Consensus"],
)
def test_names_and_list_numbers_are_not_figures(text: str) -> None:
    assert find_figures(text) == []


def _figures_by_full_scan(text: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """find_figures with FIGURE_RE tried at every position, as before the scan by candidate words."""
    with monkeypatch.context() as m:
        m.setattr(figures_module, "_figure_matches", lambda t, start: figures_module.FIGURE_RE.finditer(t, start))
        return find_figures(text)


def test_scanning_only_candidate_words_finds_what_a_full_scan_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every word that starts a figure, glued to letters, digits and names, in mixed case: a word missing from
    # _FIRST_WORDS would lose its figures here.
    relative = ["later this year", "earlier this quarter", "early next year", "late last decade", "past months",
                "coming quarters", "previous year", "first half of the year", "fourth quarter of next year",
                "earlier in the year", "later in the year", "end of the year", "year-end"]
    pieces = [*figures_module._MONTHS, *figures_module._NUMWORDS, *relative, "one-half", "two-thirds", "US$5",
              "U.S.$ 5", "USD5", "USD 5 billion", "EUR 10", "€5", "£3", "¥9", "$", "5", "5-1/4 to 5-1/2 percent",
              "1/4", "25 basis points", "1 March 2024", "March 5, 2024", "(iii)", "3.", "COVID-19", "5G", "G7", "Mayor",
              "fourteen", "ones", "ſecond", "Ｆour", "İ", "٥", "_5", "a5", "Article 5", "-", ",", ".", "’s"]
    rng = np.random.default_rng(7)
    texts = [f"We met {p} and {q}." for p in pieces for q in ("5 percent", "May 2024", "")]
    for _ in range(3000):
        words = [pieces[i] for i in rng.integers(len(pieces), size=int(rng.integers(1, 8)))]
        cased = [w.upper() if r < 0.1 else w.lower() if r < 0.3 else w for w, r in
                 zip(words, rng.random(len(words)), strict=True)]
        texts.append("".join(w + str(rng.choice(["", " ", " ", "-", ", "])) for w in cased))
    differing = [t for t in texts if find_figures(t) != _figures_by_full_scan(t, monkeypatch)]
    assert differing == []
    assert find_figures("Mayor Kim met fourteen ones; later this year USD5 and US$5.") == ["later this year", "USD5", "US$5"]


def test_the_candidate_scan_matches_a_full_scan_on_every_corpus_line(corpus: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [line for f in sorted(corpus.glob("*/*.txt")) for line in f.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 1000
    assert [line for line in lines if find_figures(line) != _figures_by_full_scan(line, monkeypatch)] == []


def test_a_changed_range_is_one_figure_with_old_and_new() -> None:
    figures = changed_figures("decided to maintain the target range at 5 to 5-1/4 percent.",
                              "decided to raise the target range to 5-1/4 to 5-1/2 percent.")
    assert [(f.old, f.new) for f in figures] == [("5 to 5-1/4 percent", "5-1/4 to 5-1/2 percent")]


def test_same_figures_in_both_are_not_changes() -> None:
    assert changed_figures("Inflation at 2 percent over the longer run.", "Inflation of 2 percent over the longer run.") == ()
    assert changed_figures("twenty-five countries met.", "twenty five countries met.") == ()
    assert find_figures("Three countries met.") == ["Three countries"]  # a sentence's first word is capitalised anyway


# --- stance: one pair per lexicon family, read both ways

FAMILIES = {
    "condemnation": ("We note the missile launches by the DPRK.", "We condemn the missile launches by the DPRK."),
    "concern": ("We note the situation in the South China Sea.", "We express serious concern about the"
        " situation in the South China Sea."),
    "support": ("We note Ukraine's efforts to secure a just peace.", "We support Ukraine's efforts to secure a just peace."),
    "commitment": ("We may impose further sanctions on Russia.", "We will impose further sanctions on Russia."),
    "opposition": ("We note unilateral attempts to change the status quo by force.",
                   "We strongly oppose unilateral attempts to change the status quo by force."),
    "certainty": ("Recent indicators suggest that growth is moderating.", "Growth has moderated."),
    "hedging": ("Economic activity appears to have expanded at a somewhat solid pace.",
                "Economic activity has expanded at a solid pace."),
    "urgency": ("We call on the DPRK to return to dialogue.", "We call on the DPRK to return to dialogue"
        " immediately and without delay."),
    "intensity": ("We condemn Russia's attacks on civilians.", "We strongly condemn Russia's brutal attacks on civilians."),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_stance_per_lexicon_family_both_ways(family: str) -> None:
    weak, strong = FAMILIES[family]
    up, down = statediff.marks(weak, strong), statediff.marks(strong, weak)
    assert (up.stance, down.stance) == ("stronger", "weaker"), (up, down)
    assert up.stance_words and down.stance_words
    assert up.substantive and down.substantive


# Modality, intensifiers, comparatives and negation scope, each read both ways.
BOTH_WAYS = {
    "modality may -> must": ("Russia may pay for the damage it has caused.", "Russia must pay for the damage it has caused."),
    "modality could -> will": ("We could impose further sanctions on Russia.", "We will impose further sanctions on Russia."),
    "intensifier firmly": ("We support Ukraine's efforts to secure a just peace.",
                           "We firmly support Ukraine's efforts to secure a just peace."),
    "intensifier resolute": ("We will defend the rules-based international order.",
                             "We will resolutely defend the rules-based international order."),
    "comparative less": ("Business fixed investment is increasing less rapidly.",
                         "Business fixed investment is increasing rapidly."),
    "escalation step up": ("We provide security assistance to Ukraine.",
                           "We are stepping up our security assistance to Ukraine."),
}


@pytest.mark.parametrize("case", sorted(BOTH_WAYS))
def test_stance_modality_intensifiers_comparatives_both_ways(case: str) -> None:
    weak, strong = BOTH_WAYS[case]
    up, down = statediff.marks(weak, strong), statediff.marks(strong, weak)
    assert (up.stance, down.stance) == ("stronger", "weaker"), (up, down)
    assert up.stance_words and all(w[1:] in {x[1:] for x in down.stance_words} for w in up.stance_words)


def test_a_reverser_turns_the_word_round_and_shows_it() -> None:
    m = statediff.marks("Business fixed investment is increasing rapidly.",
                        "Business fixed investment is increasing less rapidly.")
    assert m.stance == "weaker" and "+less rapidly" in m.stance_words


def test_a_tilt_phrase_does_not_hide_the_stance_word_inside_it() -> None:
    m = statediff.marks("Inflation has eased over the past year but remains elevated.",
                        "Inflation has eased over the past year but remains somewhat elevated.", kind="monetary-policy")
    assert (m.stance, m.stance_words) == ("weaker", ("+somewhat",))
    assert m.tilt == "dovish"


def test_the_committee_is_not_a_commitment_and_may_the_month_not_a_hedge() -> None:
    m = statediff.marks("Information received since the Committee met in March suggests that activity expanded.",
                        "Information received since the Committee met in May suggests that activity expanded.")
    assert m.stance == "same" and m.stance_words == () and not m.substantive
    dropped = statediff.marks("The upside risks to inflation are of significant concern to the Committee.",
                              "The upside risks to inflation are of concern to the Committee.")
    assert dropped.stance == "weaker" and dropped.stance_words == ("-significant*",)


def test_same_rate_action_with_new_numbers_is_the_same_stance_another_action_is_shifted() -> None:
    cut = "In support of its goals, the Committee decided to lower the target range for the federal funds rate"
    m = statediff.marks(f"{cut} by 1/4 percentage point to 3-3/4 to 4 percent.",
                        f"{cut} by 1/4 percentage point to 3-1/2 to 3-3/4 percent.", kind="monetary-policy")
    assert (m.stance, m.tilt) == ("same", "dovish") and m.figures
    hold = statediff.marks("In support of these goals, the Committee decided to maintain the target range for the federal funds"
                           " rate at 5 to 5-1/4 percent.",
                           "In support of these goals, the Committee decided to raise the target range for the federal funds"
                           " rate to 5-1/4 to 5-1/2 percent.", kind="monetary-policy")
    assert (hold.stance, hold.tilt) == ("shifted", "hawkish")


def test_a_plan_reported_as_done_is_shifted() -> None:
    m = statediff.marks("We will establish a vaccine expert working group to implement our commitments.",
                        "We launched the Quad Vaccine Experts Group, which has aligned our plans for health security.")
    assert m.stance == "shifted"


def test_the_stance_model_file_matches_the_features() -> None:
    from statediff.positions.marking import FEATURES, STANCES, stance_model

    model = stance_model()
    assert set(model.weights) == set(STANCES) and all(len(w) == len(FEATURES) for w in model.weights.values())
    assert 0 < model.clear_overlap <= 1.01


def test_unchanged_language_is_the_same_stance_and_editorial() -> None:
    m = statediff.marks("Information received since the Committee met in June indicates that growth slowed.",
                        "Information received since the Committee met in July indicates that growth slowed.")
    assert m.stance == "same" and not m.substantive
    assert [(f.old, f.new) for f in m.figures] == [("June", "July")]


def test_a_new_claim_is_shifted() -> None:
    m = statediff.marks("Strains in global financial markets continue to pose"
        " significant downside risks to the economic outlook.",
                        "Household spending has been rising at a strong pace.")
    assert m.stance == "shifted" and m.substantive


# --- negation


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The Committee will raise the target range at this meeting.", "The Committee will not raise the target"
            " range at this meeting."),
        ("We do not support the proposal for a new framework.", "We support the proposal for a new framework."),
        ("We support the proposal for a new framework.", "We no longer support the proposal for a new framework."),
        ("Inflation has risen this year.", "Inflation has not risen this year."),
        ("We will never recognize these illegal annexation attempts.", "We will recognize these annexation attempts."),
        ("Russia is no longer a partner in this effort.", "Russia is a partner in this effort."),
    ],
)
def test_negation_flipped_both_ways(old: str, new: str) -> None:
    forth, back = statediff.marks(old, new), statediff.marks(new, old)
    assert forth.negation and back.negation
    # A flipped claim is a different claim, not a stronger or weaker one, and never editorial.
    assert (forth.stance, back.stance) == ("shifted", "shifted") and forth.substantive and back.substantive


def test_a_negator_elsewhere_in_the_sentence_is_not_a_flip() -> None:
    m = statediff.marks("There can be no impunity for war crimes, and we support the investigations.",
                        "There can be no impunity for war crimes, and we strongly support the investigations.")
    assert not m.negation and m.stance == "stronger"


def test_a_negated_clause_dropped_is_not_a_flip() -> None:
    # Quad Tokyo 2022 -> Hiroshima 2023: the clause went, nothing it said was turned around.
    m = statediff.marks("We condemn unequivocally terrorism and violent extremism in all its forms and manifestations and "
                        "reiterate that there can be no justification for acts of terror on any grounds whatsoever.",
                        "We condemn unequivocally terrorism and violent extremism in all its forms and manifestations.")
    assert not m.negation


def test_no_negation_when_both_sides_negate() -> None:
    m = statediff.marks("There can be no impunity for war crimes.", "There can be no impunity for these war crimes.")
    assert not m.negation


# --- tilt


def test_two_empty_texts_are_no_change() -> None:
    m = statediff.marks("", " ", kind="monetary-policy")
    assert (m.stance, m.substantive, m.tilt, m.figures, m.actors_added) == ("same", False, "neutral", (), ())
    assert statediff.marks("", "We condemn the launch.").stance == "shifted"  # one side empty: a new point


def test_tilt_only_for_monetary_policy() -> None:
    old = ("In support of these goals, the Committee decided to maintain the target"
           " range for the federal funds rate at 0 to 1/4 percent.")
    new = ("In support of these goals, the Committee decided to raise the target"
           " range for the federal funds rate to 1/4 to 1/2 percent.")
    assert statediff.marks(old, new).tilt is None
    up = statediff.marks(old, new, kind="monetary-policy")
    down = statediff.marks(new, old, kind="monetary-policy")
    assert (up.tilt, down.tilt) == ("hawkish", "dovish")
    assert up.tilt_words[0] == "rate up"


@pytest.mark.parametrize(("old", "new", "tilt", "words"), [
    # FOMC 2023-06 -> 2023-07 read this way by the press: activity upgraded from "modest" to "moderate".
    ("economic activity has continued to expand at a modest pace.",
     "economic activity has been expanding at a moderate pace.", "hawkish", ("-modest pace (dovish)",)),
    ("economic activity has been expanding at a moderate pace.",
     "economic activity has been expanding at a modest pace.", "dovish", ("+modest pace (dovish)",)),
    ("economic activity has been rising moderately.", "economic activity has been rising at a solid pace.",
     "hawkish", ("+solid (hawkish)",)),
    ("economic activity has been expanding at a solid pace.", "economic activity has been expanding at a moderate pace.",
     "dovish", ("-solid (hawkish)",)),
    # The verb is still a slowdown.
    ("Growth has been strong.", "Growth has moderated.", "dovish", ("-strong (hawkish)", "+moderat* (dovish)")),
])
def test_the_pace_ladder_reads_its_middle_rung_as_neither_way(old: str, new: str, tilt: str,
                                                               words: tuple[str, ...]) -> None:
    m = statediff.marks(old, new, kind="monetary-policy")
    assert (m.tilt, m.tilt_words) == (tilt, words)


def test_forward_guidance_dropped_is_hawkish_and_added_dovish() -> None:
    # FOMC 2014-12 -> 2015-01 dropped "for a considerable time"; 2003-08 added "for a considerable period".
    old = "The Committee believes that the target range can be maintained."
    new = "The Committee believes that the target range can be maintained for a considerable period."
    assert statediff.marks(old, new, kind="monetary-policy").tilt == "dovish"
    assert statediff.marks(new, old, kind="monetary-policy").tilt == "hawkish"


@pytest.mark.parametrize(("old", "new", "tilt"), [
    ("The Committee will continue its asset purchases.",
     "The Committee decided to reduce the pace of its asset purchases.", "hawkish"),
    ("The Committee will continue its asset purchases.",
     "The Committee will continue its asset purchases and undertake additional asset purchases.", "dovish"),
    ("The Committee will monitor incoming information.",
     "The Committee will monitor incoming information, including global economic and financial developments.",
     "dovish"),
])
def test_balance_sheet_and_risks_abroad_lean_as_markets_read_them(old: str, new: str, tilt: str) -> None:
    assert statediff.marks(old, new, kind="monetary-policy").tilt == tilt


def test_a_weight_0_phrase_only_keeps_a_shorter_one_from_being_read(tmp_path: Path) -> None:
    # "firmly committed" at 0: neither it nor the "committed" inside it counts, and it is never shown.
    (tmp_path / "lexicon.txt").write_text("commitment 0 firmly committed\n", encoding="utf-8")
    old, new = "We support the plan.", "We are firmly committed to the plan."
    shipped = statediff.marks(old, new)
    own = statediff.marks(old, new, lexicon=lexicon_for(files_in(tmp_path).lexicon))
    assert "+committed" in shipped.stance_words
    assert not any("committed" in w for w in own.stance_words + own.tilt_words)


def test_a_pair_that_names_a_policy_rate_is_read_as_monetary_policy_unless_its_front_matter_says_otherwise() -> None:
    from dataclasses import replace

    old = ["Inflation remains elevated.", "The Committee decided to maintain the target range for the federal funds rate "
           "at 0 to 1/4 percent."]
    new = ["Inflation remains elevated.", "The Committee decided to raise the target range for the federal funds rate "
           "to 1/4 to 1/2 percent."]
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    p = analyse(c)
    assert p.kind == "monetary-policy" and p.tilt == {"hawkish": 1}
    # One side without a policy rate (a diplomatic statement that mentions monetary policy): no kind is guessed.
    diplomatic = statediff.compare(["Central banks remain committed to price stability and monetary policy."],
                                   ["Central banks remain firmly committed to price stability."], embedder=FakeEmbedder())
    assert analyse(diplomatic).kind is None
    # The front matter's kind wins over the guess, and --kind over both in the library call.
    said = replace(c, new=replace(c.new, meta={"kind": "press-release"}))
    assert (analyse(said).kind, analyse(said).tilt) == ("press-release", {})
    assert analyse(said, kind="monetary-policy").kind == "monetary-policy"


def test_the_kind_option_applies_only_where_the_front_matter_names_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_model(monkeypatch, tmp_path / "cache")
    rate = "The Committee decided to {} the target range for the federal funds rate {} percent.\n"
    plain_old, plain_new = tmp_path / "a.txt", tmp_path / "b.txt"
    plain_old.write_text(rate.format("maintain", "at 0 to 1/4"), encoding="utf-8")
    plain_new.write_text(rate.format("raise", "to 1/4 to 1/2"), encoding="utf-8")
    said_new = tmp_path / "c.md"
    said_new.write_text("---\ntitle: C\nkind: press-release\n---\n\n" + rate.format("raise", "to 1/4 to 1/2"), encoding="utf-8")

    def kind(*args: str) -> object:
        result = CliRunner().invoke(main, ["compare", *args, "--format", "json"])
        return json.loads(result.stdout)["positions"]["kind"]

    assert kind(str(plain_old), str(plain_new)) == "monetary-policy"  # guessed from the policy rate
    assert kind(str(plain_old), str(plain_new), "--kind", "speech") == "speech"
    assert kind(str(plain_old), str(said_new), "--kind", "monetary-policy") == "press-release"


def test_the_short_digest_quotes_the_edit_that_decided_the_tilt_first() -> None:
    # FOMC 2019-06-19 -> 2019-07-31: the rate decision is the third of three edits in its sentence; the text digest
    # showed the first two ("In support" -> "In light"), leaving out the cut itself.
    old = ["In support of these goals, the Committee decided to maintain the target range for the federal funds rate at "
           "2-1/4 to 2-1/2 percent."]
    new = ["In light of the implications of global developments for the economic outlook as well as muted inflation "
           "pressures, the Committee decided to lower the target range for the federal funds rate to 2 to 2-1/4 percent."]
    c = statediff.compare(old, new, embedder=FakeEmbedder())
    p = analyse(c, kind="monetary-policy")
    item = next(i for d in p.digest for i in d.items if i.kind in ("changed", "stronger", "weaker"))
    assert "Committee decided to lower" in {e.new for e in item.edits}
    text = render(c, "text", positions=p)
    line = next(line for line in text.splitlines() if line.startswith("#     ~"))
    assert line.index("“Committee decided to maintain” → “Committee decided to lower”") < line.index("”;")
    # Which way it leans, in the short digests too (the HTML panel shows it beside the line).
    assert line.endswith(" (dovish)"), line
    markdown = render(c, "md", positions=p)
    assert any(row.startswith("  - _") and row.endswith(" (dovish)") for row in markdown.splitlines()), markdown


def test_a_dissent_leans_its_own_way_but_stays_out_of_the_statements_tilt() -> None:
    # FOMC 2019-06 -> 2019-07, a cut: the dissent preferring to hold leaned hawkish, the statement did not.
    old = ["The Committee decided to maintain the target range for the federal funds rate at 2-1/4 to 2-1/2 percent.",
           "Voting against the action was James Bullard, who preferred at this meeting to lower the target range for "
           "the federal funds rate by 25 basis points."]
    new = ["The Committee decided to lower the target range for the federal funds rate to 2 to 2-1/4 percent.",
           "Voting against the action were Esther L. George and Eric S. Rosengren, who preferred at this meeting to "
           "maintain the target range for the federal funds rate at 2-1/4 to 2-1/2 percent."]
    p = analyse(statediff.compare(old, new, embedder=FakeEmbedder()), kind="monetary-policy")
    assert [m.tilt for m in p.marks if m is not None] == ["dovish", "hawkish"]
    assert p.tilt == {"dovish": 1}


def test_a_bigger_cut_is_dovish_not_hawkish() -> None:
    m = statediff.marks("decided today to lower its target for the federal funds rate 25 basis points to 4-1/4 percent.",
                        "decided today to lower its target for the federal funds rate 50 basis points to 3 percent.",
                        kind="monetary-policy")
    assert m.tilt == "dovish"


# --- actors


def test_one_actor_under_several_names_is_one() -> None:
    m = statediff.marks("We condemn the launches by North Korea.", "We condemn the launches by the DPRK.")
    assert m.actors_added == () and m.actors_removed == ()


def test_russia_newly_named_beside_the_dprk() -> None:
    m = statediff.marks("We condemn the DPRK's ballistic missile launches.",
                        "We condemn the military cooperation between the DPRK and Russia.")
    assert m.actors_added == ("Russia",) and m.actors_removed == ()


def test_one_person_under_two_spellings_of_the_name_is_one() -> None:
    # Quad Tokyo 2022 -> Hiroshima 2023: the same leaders, named family name first and with a middle initial.
    old = ["Today, we — Prime Minister Fumio Kishida of Japan and President Joe Biden of the United States – met."]
    new = ["Today, we — Prime Minister Kishida Fumio of Japan and President Joseph R. Biden, Jr. of the United States – met."]
    m = statediff.marks(old[0], new[0])
    assert m.actors_added == () and m.actors_removed == ()
    p = analyse(statediff.compare(old, new, embedder=FakeEmbedder()))
    assert [i.text for d in p.digest for i in d.items if i.kind.startswith("actor")] == []
    # A new leader is news.
    m = statediff.marks(old[0], old[0].replace("Fumio Kishida", "Shigeru Ishiba"))
    assert (m.actors_added, m.actors_removed) == (("Prime Minister Shigeru Ishiba",), ("Prime Minister Fumio Kishida",))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Under the Climate Information Services Initiative, we will share data.",
         ["Climate Information Services Initiative"]),
        ("We welcome the Sydney Energy Forum and the Quad Clean Hydrogen Partnership meeting.",
         ["Quad Clean Hydrogen Partnership", "Sydney Energy Forum"]),
        ("We will work with the Pacific Island Forum.", ["Pacific Island Forum"]),
        ("Under Forum and the Quad Clean Hydrogen Partnership we act.", ["Quad Clean Hydrogen Partnership"]),
    ],
)
def test_named_bodies_start_at_the_name_and_two_joined_names_are_two(text: str, names: list[str]) -> None:
    from statediff.positions.actors import find_actors, registry_for

    assert sorted(m.name for m in find_actors(text, registry_for()).values()) == names
    # "Pacific Island Forum" is the Pacific Islands Forum (PIF): no actor appears or vanishes between them.
    assert statediff.marks("We will work with the PIF.", "We will work with the Pacific Island Forum.").actors_added == ()


def test_the_federal_reserve_is_the_fomc_statements_own_name() -> None:
    m = statediff.marks("The Committee is strongly committed to returning inflation to its 2 percent objective.",
                        "The Federal Reserve is strongly committed to returning inflation to its 2 percent objective.")
    assert m.actors_added == () and m.actors_removed == ()


def test_names_inside_initiatives_descriptions_and_self_names_are_not_actors() -> None:
    m = statediff.marks("The G7 welcomes the statement.",
                        "The G7 welcomes the Grain from Ukraine Initiative and U.S. exports, under the UN Charter.")
    assert m.actors_added == ("Grain from Ukraine Initiative",)


def test_people_by_title_and_defined_acronyms() -> None:
    m = statediff.marks("President Yoon Suk Yeol hosted the meeting.",
                        "President Yoon and Prime Minister Kishida launched the Trilateral Secretariat (TS); the TS will meet.")
    assert set(m.actors_added) == {"Prime Minister Kishida", "TS"} and m.actors_removed == ()


# --- data files


def _compare_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str) -> tuple[int, str]:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(content, encoding="utf-8")
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("We note the launches by the DPRK.\n", encoding="utf-8")
    new.write_text("We condemn the launches by the DPRK and Russia.\n", encoding="utf-8")
    use_fake_model(monkeypatch, tmp_path / "cache")
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "--positions", str(folder)])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("lexicon.txt", "# mine\ncondemnation 3 denounce*\nstance 2 deplore\n", "line 3: unknown family 'stance'"),
        ("lexicon.txt", "support two welcome\n", "line 1: weight 'two' is not a whole number"),
        ("lexicon.txt", "support 1 wel(come\n", "line 1: phrase"),
        ("lexicon.txt", "support 1 we*\n", "line 1: phrase"),
        ("lexicon.txt", "support 1\n", "line 1: expected '<family> <weight> <phrase>'"),
        ("actors.txt", "organisation | Trilateral Secretariat | TS\ngroup | The Others\n", "line 2: unknown actor type 'group'"),
        ("actors.txt", "country | Wakanda | | Birnin Zana\n", "line 1: expected '<type> | <name>"),
        ("topics.txt", "DPRK: DPRK, North Korea\nUkraine\n", "line 2: expected '<topic label>:"),
        ("topics.txt", "DPRK:  ,  \n", "line 1: topic 'DPRK' lists no words"),
    ],
)
def test_malformed_data_file_is_one_line_naming_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str, problem: str
) -> None:
    code, err = _compare_with(tmp_path, monkeypatch, name, content)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("statediff: error: ")
    assert str(tmp_path / "mine" / name) in err and problem in err, err


def test_not_utf8_data_file_names_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "lexicon.txt").write_bytes(b"support 1 welcome\nsupport 1 caf\xe9\n")
    with pytest.raises(statediff.StatediffError, match="line 2: is not UTF-8"):
        files_in(folder).check()


def test_a_series_lexicon_extends_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "lexicon.txt").write_text("condemnation 3 castigate*\n", encoding="utf-8")
    c = statediff.compare(["We note the DPRK's repeated ballistic missile launches this year."],
                          ["We castigate the DPRK's repeated ballistic missile launches this year."], embedder=FakeEmbedder())
    assert analyse(c).marks[0].stance == "same"  # type: ignore[union-attr]
    mine = analyse(c, files=files_in(tmp_path)).marks[0]
    assert mine is not None and mine.stance == "stronger" and "+castigate*" in mine.stance_words


def test_a_series_actors_file_adds_names(tmp_path: Path) -> None:
    (tmp_path / "actors.txt").write_text("organisation | Quadrilateral Group | QG\n", encoding="utf-8")
    c = statediff.compare(["We met today."], ["We met the QG today."], embedder=FakeEmbedder())
    assert analyse(c).marks[0].actors_added == ()  # type: ignore[union-attr]
    assert analyse(c, files=files_in(tmp_path)).marks[0].actors_added == ("QG",)  # type: ignore[union-attr]


def test_an_edited_data_file_is_read_again_in_the_same_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A script (or a test run) that compares, edits its actors.txt and compares again gets the new names; and the same
    # relative path from another folder is that folder's file.
    c = statediff.compare(["We met today."], ["We met the QG today."], embedder=FakeEmbedder())
    for folder, line in (("a", "organisation | Quadrilateral Group | QG\n"), ("b", "organisation | Quiet Gathering\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "actors.txt").write_text(line, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "a")
    relative = PositionsFiles(actors=("actors.txt",))
    assert analyse(c, files=relative).marks[0].actors_added == ("QG",)  # type: ignore[union-attr]
    monkeypatch.chdir(tmp_path / "b")
    assert analyse(c, files=relative).marks[0].actors_added == ()  # type: ignore[union-attr]
    (tmp_path / "b" / "actors.txt").write_text("organisation | Quad Group | QG\n", encoding="utf-8")
    assert analyse(c, files=relative).marks[0].actors_added == ("QG",)  # type: ignore[union-attr]


# --- topics and escaping

OLD = ["We condemn the DPRK's missile launches.", "We support Ukraine against Russia's war.",
       "Inflation remains elevated."]
NEW = ["We strongly condemn the DPRK's missile launches and its cooperation with Russia.",
       "We support Ukraine against Russia's war.", "Inflation remains elevated.",
       "We welcome the <script>alert(1)</script> initiative."]


def test_topics_file_pins_and_names_topics(tmp_path: Path) -> None:
    (tmp_path / "topics.txt").write_text("Korean Peninsula: DPRK, North Korea\n", encoding="utf-8")
    c = statediff.compare(OLD, NEW, embedder=FakeEmbedder())
    p = analyse(c, files=files_in(tmp_path))
    pinned = [t for t in p.topics if t.pinned]
    assert [t.label for t in pinned] == ["Korean Peninsula"]
    assert [c.changes[k].new for k in pinned[0].changes] == [(0,)]


def test_digest_text_and_labels_are_escaped_in_html_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "topics.txt").write_text("<img src=x onerror=alert(2)>: initiative\n", encoding="utf-8")
    c = statediff.compare(OLD, NEW, embedder=FakeEmbedder())
    p = analyse(c, files=files_in(tmp_path))
    html = render(c, "html", positions=p)
    panel = BeautifulSoup(html, "html.parser").find(id="sd-positions")
    assert panel is not None
    assert panel.find("script") is None and panel.find("img") is None
    assert "<img src=x onerror=alert(2)>" in panel.get_text()
    assert "<script>alert(1)</script>" in panel.get_text()
    md = render(c, "md", positions=p)
    # Markdown escapes by backslash: "\<img" shows as text; no "<" may open a tag.
    assert "\\<img" in md and not re.search(r"(?<!\\)<(?:img|script)", md)


def test_panel_items_link_to_their_rows() -> None:
    c = statediff.compare(OLD, NEW, embedder=FakeEmbedder())
    soup = BeautifulSoup(render(c, "html"), "html.parser")
    links = soup.select("#sd-positions a[href^='#c']")
    assert links
    for a in links:
        assert soup.find(id=a["href"][1:]) is not None


def test_json_has_marks_under_each_change_and_the_topics() -> None:
    c = statediff.compare(OLD, NEW, embedder=FakeEmbedder())
    doc = json.loads(render(c, "json"))
    assert len(doc["positions"]["topics"]) >= 1
    for change in doc["changes"]:
        assert 0 <= change["marks"]["topic"] < len(doc["positions"]["topics"])
    modified = [ch for ch in doc["changes"] if ch["kind"] == "modified"]
    assert modified and modified[0]["marks"]["actors_added"] == ["Russia"]
    assert modified[0]["marks"]["stance"] == "stronger"


def test_text_and_markdown_carry_a_short_digest() -> None:
    c = statediff.compare(OLD, NEW, embedder=FakeEmbedder())
    text = render(c, "text")
    assert "# Positions" in text and "#   Russia: 1 stronger" in text
    assert "### Positions" in render(c, "md")


def test_editorial_changes_are_counted_not_listed() -> None:
    c = statediff.compare(["Information received since June indicates that growth slowed."],
                          ["Information received since July indicates that growth slowed."], embedder=FakeEmbedder())
    p = analyse(c)
    assert [d.editorial for d in p.digest] == [1] and p.digest[0].items == ()


def test_empty_files_object_is_the_shipped_data() -> None:
    assert PositionsFiles().check() == ()


def test_find_joined_is_find_on_the_joined_text() -> None:
    # other_words_changed reuses each text's own matches instead of matching "old . new" again: same entries, in
    # the same order, including phrases across the join and a "May" that the join turns into the month.
    from statediff.positions.lexicons import build_lexicon, find_joined, parse_lexicon, shipped

    lexicon = build_lexicon(parse_lexicon("test", shipped("lexicon.txt") + "\nconcern +2 concerned about it\n"
                                          "support +1 we * deeply\nurgency +1 may the\n"))
    texts = ["", "May", "May the Committee act", "We are deeply", "concerned about it", "we remain", "deeply",
             "The Committee is strongly committed to its goals.", "Inflation remains elevated and we are concerned",
             "about it, and we will not hesitate", "the risks have diminished somewhat"]
    joined = 0
    for old in texts:
        for new in texts:
            found = find_joined(lexicon, old, new)
            assert found == lexicon.find(f"{old} . {new}"), (old, new)
            joined += any(e.phrase == "concerned about it" for e in found) and "concerned about it" not in new
    assert joined  # a phrase across the join was met
    assert not find_joined(lexicon, "we", "May the") and lexicon.find("May the")


def _reference_clusters(sims: np.ndarray, units: list[int], merge_at: float) -> list[list[int]]:
    """Average linkage the plain way: every pair of groups averaged afresh, the first highest pair merged each step."""
    groups = [[u] for u in units]
    while len(groups) > 1:
        def linkage(a: list[int], b: list[int]) -> float:
            return float(sum(float(sims[x, y]) for x in a for y in b) / (len(a) * len(b)))

        # The highest average; on a tie the first row, then the first column (groups stay in their first slots).
        score, first, second = max((linkage(a, b), -i, -j) for i, a in enumerate(groups)
                                   for j, b in enumerate(groups) if i != j)
        if score < merge_at:
            break
        groups[-first] = groups[-first] + groups[-second]
        del groups[-second]
    return sorted(sorted(g) for g in groups)


def test_topic_clustering_merges_as_plain_average_linkage_would() -> None:
    from statediff.positions.topics import MERGE_AT, _Affinity, _cluster

    rng = np.random.default_rng(3)
    for trial in range(40):
        n = int(rng.integers(1, 25))
        centres = rng.normal(size=(max(1, n // 4), 8))
        vectors = centres[rng.integers(0, len(centres), n)] + rng.normal(size=(n, 8)) * (0.2 + trial % 3 * 0.3)
        vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        paragraph = rng.integers(0, 4, n)
        same = paragraph[:, None] == paragraph[None, :]
        sims = vectors @ vectors.T + 0.12 * same
        affinity = _Affinity(vectors @ vectors.T, [np.flatnonzero(paragraph == k) for k in range(4)])
        units = sorted(rng.choice(n, size=int(rng.integers(0, n + 1)), replace=False).tolist())
        for merge_at in (MERGE_AT, MERGE_AT + 0.1):
            expected = _reference_clusters(sims, units, merge_at)
            assert sorted(_cluster(affinity, units, merge_at)) == expected, trial
            # The long-statement path (sums in float32) gives the same groups where no near-tie is at stake.
            assert sorted(_cluster(_Affinity(affinity.base, affinity.together, np.float32), units, merge_at)) == expected, trial


def test_a_comment_may_end_a_data_file_line(tmp_path: Path) -> None:
    # The README says "# starts a comment": after a phrase it made the lexicon line an error ("must be lower-case
    # words"), and in actors.txt and topics.txt it became part of a name or phrase that never matched, without a word.
    from statediff.positions.lexicons import parse_actors, parse_lexicon
    from statediff.positions.topics import parse_topics

    assert [e.phrase for e in parse_lexicon("l", "condemnation 3 castigate*   # harsher than condemn\n")] == ["castigate*"]
    assert parse_actors("a", "organisation | Trilateral Secretariat | TS  # set up at Lima\n")[0].names == (
        "Trilateral Secretariat", "TS")
    assert parse_topics("t", "Korean Peninsula: DPRK, North Korea # the north\n")[0].phrases == ("DPRK", "North Korea")
    assert parse_actors("a", "organisation | C# Users Group\n")[0].names == ("C# Users Group",)  # no space: not a comment
    (tmp_path / "actors.txt").write_text("organisation | Quadrilateral Group | QG # ours\n", encoding="utf-8")
    c = statediff.compare(["We met today."], ["We met the QG today."], embedder=FakeEmbedder())
    assert analyse(c, files=files_in(tmp_path)).marks[0].actors_added == ("QG",)  # type: ignore[union-attr]


@pytest.mark.parametrize(("names", "problem"), [
    (["lexicons.txt"], "lexicons.txt: not a file statediff reads"),
    (["topics.txt/"], "topics.txt: is not a plain file"),
    (["topics.txt", "actor.txt"], "actor.txt: not a file statediff reads"),
    ([], "holds none of lexicon.txt, actors.txt, topics.txt"),
])
def test_a_positions_folder_with_a_misspelt_or_no_data_file_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, names: list[str], problem: str) -> None:
    # compare --positions DIR read a misspelt "lexicons.txt" as nothing at all and compared with the shipped data.
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in names:
        if name.endswith("/"):  # a folder (or a FIFO) named like a data file was skipped as if absent
            (folder / name).mkdir()
        else:
            (folder / name).write_text("Korean Peninsula: DPRK\n" if name == "topics.txt" else "x\n", encoding="utf-8")
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("We note the launches by the DPRK.\n", encoding="utf-8")
    new.write_text("We condemn the launches by the DPRK and Russia.\n", encoding="utf-8")
    use_fake_model(monkeypatch, tmp_path / "cache")
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "--positions", str(folder)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("statediff: error: ")
    assert problem in result.stderr, result.stderr


@pytest.mark.parametrize(("old", "new", "added"), [
    # The corpus writes "the UK hosted", "the EU facilitated": a verb in -ed after the name makes it the one acting,
    # where "U.S. exports", "EU maritime" describe something else.
    ("The talks took place.", "The EU facilitated the talks.", ("EU",)),
    ("Leaders met in London.", "Leaders met in London, where the UK hosted the summit.", ("UK",)),
    ("We met today.", "We met U.S. households and the EU maritime agency today.", ()),
    ("We keep our commitments.", "We keep U.S. red lines.", ()),
])
def test_a_short_name_before_a_verb_in_ed_is_the_actor(old: str, new: str, added: tuple[str, ...]) -> None:
    assert statediff.marks(old, new).actors_added == added


@pytest.mark.parametrize(("front", "flag"), [
    ("kind: Monetary Policy\n", None), ("kind: monetary_policy\n", None), ("", "monetary policy"), ("", "Monetary-Policy"),
])
def test_the_monetary_policy_kind_may_be_spelt_as_people_write_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, front: str, flag: str | None) -> None:
    # "kind: monetary policy" on FOMC statements turned the tilt off without a word: the statements' own policy rate
    # would have given it with no kind at all.
    texts = ("The Committee decided to keep the target range for the federal funds rate at 0 to 1/4 percent.",
             "The Committee decided to raise the target range for the federal funds rate to 1/4 to 1/2 percent.")
    paths = []
    for n, (text, date) in enumerate(zip(texts, ("2022-01-26", "2022-03-16"), strict=True)):
        paths.append(tmp_path / f"{n}.md")
        paths[-1].write_text(f"---\ntitle: FOMC\ndate: {date}\n{front}---\n{text}\n", encoding="utf-8")
    use_fake_model(monkeypatch, tmp_path / "cache")
    result = CliRunner().invoke(main, ["compare", *map(str, paths), "--format", "json", *(["--kind", flag] if flag else [])])
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["positions"]["kind"] == "monetary-policy"
    assert doc["positions"]["tilt"] == {"hawkish": 1}, doc["positions"]["tilt"]
    assert [c["marks"]["tilt"] for c in doc["changes"]] == ["hawkish"]
    # The history's marks read the series' kind the same way.
    from statediff.positions.digest import change_marks

    assert "hawkish" in change_marks(*texts, kind="Monetary Policy")


def test_a_kind_flag_that_turns_off_the_tilt_of_a_policy_statement_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "--kind monetary" (a typo) gave FOMC statements no tilt, where no --kind at all would have read them as
    # monetary policy; nothing said so.
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("The Committee decided to keep the target range for the federal funds rate at 0 to 1/4 percent.\n")
    new.write_text("The Committee decided to raise the target range for the federal funds rate to 1/4 to 1/2 percent.\n")
    use_fake_model(monkeypatch, tmp_path / "cache")
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "--kind", "monetary", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["positions"]["tilt"] is None  # the kind given is what is used
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("statediff: warning: --kind 'monetary'")
    assert "--kind monetary-policy" in result.stderr
    quiet = CliRunner().invoke(main, ["compare", str(old), str(new), "--kind", "statement", "-q", "--format", "json"])
    assert quiet.exit_code == 1 and quiet.stderr.startswith("statediff: warning: --kind 'statement'")  # a warning, as
    # the date-order one: -q silences only the status line
    plain = CliRunner().invoke(main, ["compare", str(old), str(new), "--format", "json"])
    assert plain.stderr == "" and json.loads(plain.stdout)["positions"]["tilt"] == {"hawkish": 1}


def test_marks_from_python_read_the_kind_as_people_write_it() -> None:
    old = "The Committee decided to keep the target range for the federal funds rate at 0 to 1/4 percent."
    new = "The Committee decided to raise the target range for the federal funds rate to 1/4 to 1/2 percent."
    assert statediff.marks(old, new, kind="Monetary Policy").tilt == "hawkish"
    assert statediff.marks(old, new, kind="monetary-policy").tilt == "hawkish"
    assert statediff.marks(old, new).tilt is None


@pytest.mark.parametrize(("text", "found"), [
    # A number that names an article, a resolution or a section is part of a name, like "G7": Camp David -> Lima
    # listed "— → 51" (Article 51 of the UN Charter) as a changed figure.
    ("We support Ukraine's right to self-defense as enshrined in Article 51 of the UN Charter.", []),
    ("We fully implement UNSC resolutions 1718 and 2397 in 2024.", ["2024"]),
    ("We reaffirm UNSC Resolution 2593 (2021) and Section 232 of the Act.", ["2021"]),
    ("Articles 2 and 51 apply; the rate rose 2 percent in 51 countries.", ["2 percent", "51 countries"]),
])
def test_numbers_that_name_an_article_resolution_or_section_are_not_figures(text: str, found: list[str]) -> None:
    assert find_figures(text) == found


@pytest.mark.parametrize(("text", "names"), [
    # G7 2022-05-08: "Ukraine and the European Bank" and "Multi-Donor Administered Account for Ukraine and the European
    # Union" were listed as actors that appeared: a known name joined by "and" to a body's name is its own actor.
    ("We support the World Bank Group’s support package to Ukraine and the European Bank for Reconstruction and "
     "Development’s Resilience Package.", {"World Bank Group", "Ukraine", "European Bank"}),
    ("We welcome the Multi-Donor Administered Account for Ukraine and the European Union announcement.",
     {"Ukraine", "European Union"}),
    ("We welcome the Sydney Energy Forum and the Quad Clean Hydrogen Partnership.",
     {"Sydney Energy Forum", "Quad Clean Hydrogen Partnership"}),
])
def test_a_known_name_joined_to_a_body_by_and_is_its_own_actor(text: str, names: set[str]) -> None:
    added = set(statediff.marks("We met.", text).actors_added)
    assert names <= added and not any(" and the " in name for name in added), added


@pytest.mark.parametrize(("old", "new"), [
    # G7 2023-12-06 -> 2024-02-24: "the ICC" vanished and "Prosecutor of the International Criminal Court" appeared,
    # though both name the court: an office "of" a body names the body.
    ("We support the International Criminal Court (ICC).",
     "We support investigations by the Prosecutor of the International Criminal Court."),
    ("We met the European Commission.", "We met the President of the European Commission."),
    ("We met the Quad Investors Network.", "We met the Chair of the Quad Investors Network."),
])
def test_an_office_of_a_body_names_the_body(old: str, new: str) -> None:
    m = statediff.marks(old, new)
    assert (m.actors_added, m.actors_removed) == ((), ())

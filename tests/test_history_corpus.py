"""Lineages of the real FOMC statements 2018-2023 (../shared/corpus/fomc, the real model); skipped without the corpus."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

import pytest

from statediff.history.lineage import Table
from statediff.textnorm import normalize

DECISION = re.compile(
    r"decided (?:today )?to (?:raise|lower|maintain|keep|establish) the target range for the federal funds rate "
    r"(?:by [^,]+, )?(?:to|at|of) ([0-9/-]+) to ([0-9/-]+) percent"
)
MANDATE = "Consistent with its statutory mandate, the Committee seeks to foster maximum employment and price stability."


@pytest.fixture(scope="module")
def fomc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Table]:
    from conftest import CORPUS

    if not (CORPUS / "fomc").is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}: the FOMC lineage tests need ../shared/corpus/fomc")
    with pytest.MonkeyPatch.context() as patch:  # the session's vector cache, as conftest sets for each test
        patch.setenv("STATEDIFF_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "vector-cache"))
        yield _build(tmp_path_factory)


def _build(tmp_path_factory: pytest.TempPathFactory) -> Table:
    from conftest import CORPUS
    from statediff.engine.embed import default_embedder
    from statediff.folder.statements import add_statement, list_series
    from statediff.history.build import build_table

    root = tmp_path_factory.mktemp("fomc") / "statements"
    root.mkdir()
    for path in sorted((CORPUS / "fomc").glob("*.txt")):
        add_statement(root, path, series="fomc", issuers=["Federal Open Market Committee"])
    items = list_series(root, "fomc")["fomc"]
    return build_table("fomc", items, default_embedder())


def _range(text: str) -> tuple[str, str] | None:
    match = DECISION.search(normalize(text))
    return (match.group(1), match.group(2)) if match else None


def test_the_target_range_sentence_is_one_lineage_listing_every_change_in_order(fomc: Table) -> None:
    from statediff.history.story import story

    # The truth, from each statement's own text: the range it set, in date order, changes only.
    decisions = []
    for k, texts in enumerate(fomc.texts):
        found = [(j, _range(t)) for j, t in enumerate(texts) if _range(t)]
        assert len(found) == 1, f"{fomc.entries[k].stem}: {found}"
        decisions.append((k, *found[0]))
    truth = [rng for rng, _ in groupby(rng for _, _, rng in decisions)]
    # 5 moves in 2018 counting the first, 3 cuts in 2019, 2 in March 2020, 7 raises in 2022, 4 in 2023.
    assert len(truth) == 21 and truth[0] == ("1-1/4", "1-1/2") and truth[-1] == ("5-1/4", "5-1/2")

    lineages = {fomc.entries[k].lineages[j] for k, j, _ in decisions}
    assert len(lineages) == 1, "the decision sentence is split over several lineages"
    told = story(fomc, lineages.pop())
    assert told.first == "2018-01-31" and told.current and told.appearances == len(fomc.entries)
    listed = [_range(step.text) for step in told.steps if step.kind in ("first", "reworded")]
    assert [rng for rng, _ in groupby(listed)] == truth
    assert [s.kind for s in told.steps if s.kind not in ("first", "reworded")] == []


def test_a_sentence_dropped_and_restored_is_one_lineage_with_a_gap(fomc: Table) -> None:
    from statediff.history.story import story

    holders = [(k, texts.index(MANDATE)) for k, texts in enumerate(fomc.texts) if MANDATE in texts]
    stems = [fomc.entries[k].stem[:10] for k, _ in holders]
    assert "2020-03-03" not in stems and "2020-01-29" in stems and "2020-03-15" in stems  # the corpus as it is
    lineages = {fomc.entries[k].lineages[j] for k, j in holders}
    assert len(lineages) == 1
    told = story(fomc, lineages.pop())
    kinds = [(s.kind, s.date) for s in told.steps]
    assert ("gap", "2020-03-03") in kinds and ("returned", "2020-03-15") in kinds
    gap = next(s for s in told.steps if s.kind == "gap")
    assert gap.absent == 1 and gap.until == "2020-03-03"


def test_lineage_ids_do_not_depend_on_later_statements(fomc: Table) -> None:
    """The table of the first 30 statements has the same ids as the first 30 entries of the whole table."""
    from statediff.engine.embed import default_embedder
    from statediff.folder.statements import Statement
    from statediff.history.build import build_table
    from statediff.read.ingest import parse_text

    items: list[Statement] = []
    for entry in fomc.entries[:30]:
        path = next((Path(__file__).resolve().parents[2] / "shared" / "corpus" / "fomc").glob(f"{entry.stem[:10]}*.txt"))
        doc = parse_text(path.read_text(encoding="utf-8"))
        items.append(Statement("fomc", path.with_name(entry.stem + ".md"), entry.date, doc.title or "", doc.body, entry.digest))
    part = build_table("fomc", items, default_embedder())
    assert [e.lineages for e in part.entries] == [e.lineages for e in fomc.entries[:30]]

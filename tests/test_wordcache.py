"""The word-diff cache (words.sqlite3): rows equal fresh diffs, damaged or foreign rows are diffed again, an unusable
cache folder only costs time, and a change of the word-diff code never meets rows of the old code."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import statediff
from fakes import FakeEmbedder
from folder_support import read_only
from statediff.engine import pipeline, segment, wordcache, worddiff
from statediff.engine.wordcache import Pair, Result, WordCache
from statediff.model import Change, Op
from statediff.read.ingest import read_document

OLD = """Recent indicators suggest that economic activity has been expanding at a moderate pace.

1. Job gains have been robust in recent months, and the unemployment rate has remained low.

2. The Committee decided to raise the target range for the federal funds rate to 5-1/4 to 5-1/2 percent.

Inflation remains elevated. The U.S. banking system is sound and resilient.

We condemn the DPRK\u2019s unprecedented number of ballistic missile launches, including multiple ICBM launches.

The leaders met at Camp David in August. The leaders agreed to hold trilateral summits every year.
"""
NEW = """Recent indicators suggest that economic activity has been expanding at a solid pace.

2. Job gains have slowed in recent months but remain strong, and the unemployment rate has remained low.

3. The Committee decided to maintain the target range for the federal funds rate at 5-1/4 to 5-1/2 percent.

Inflation remains elevated. The U.S. banking system is sound and resilient, and credit is tighter.

We strongly condemn the DPRK's and Russia's deepening military cooperation, including arms transfers.

The leaders met at Camp David in August and agreed to hold trilateral summits every year.
"""


@pytest.fixture(autouse=True)
def _caches_opened_anew() -> Iterator[None]:
    """The caches kept open by the process, closed around each test: these tests move STATEDIFF_CACHE_DIR, and
    a later test must not write into (or fail to write into) a folder of theirs."""
    pipeline._word_cache.cache_clear()
    segment._span_cache.cache_clear()
    yield
    pipeline._word_cache.cache_clear()
    segment._span_cache.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(folder))
    return folder


def changes(old: str, new: str) -> tuple[Change, ...]:
    """The changes of one comparison through a word cache opened anew."""
    pipeline._word_cache.cache_clear()
    return statediff.compare(old, new, embedder=FakeEmbedder()).changes


def diffed_pairs(monkeypatch: pytest.MonkeyPatch, compare: Callable[[], object]) -> list[Pair]:
    """The pairs ``compare()`` asks the word cache for."""
    seen: list[Pair] = []
    ops = WordCache.ops

    def spy(self: WordCache, pairs: list[Pair]) -> list[Result]:
        seen.extend(pairs)
        return ops(self, pairs)

    with monkeypatch.context() as patch:
        patch.setattr(WordCache, "ops", spy)
        compare()
    return seen


def no_diffs(monkeypatch: pytest.MonkeyPatch) -> list[Pair]:
    """Make a word diff in this process fail the test; returns the pairs that were diffed (none, if it passes)."""
    diffed: list[Pair] = []

    def refuse(pair: Pair) -> Result:
        diffed.append(pair)
        raise AssertionError(f"diffed although cached: {pair}")

    monkeypatch.setattr(wordcache, "_compute", refuse)
    return diffed


def rows(cache: Path) -> dict[str, str]:
    with sqlite3.connect(cache / "words.sqlite3") as db:
        return dict(db.execute("SELECT key, ops FROM words"))


def set_rows(cache: Path, new: dict[str, object]) -> None:
    db = sqlite3.connect(cache / "words.sqlite3")
    with db:
        db.executemany("UPDATE words SET ops = ? WHERE key = ?", [(v, k) for k, v in new.items()])
    db.close()


def test_a_second_compare_diffs_nothing_and_gives_the_same_changes(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = changes(OLD, NEW)
    assert len(rows(cache)) == 6  # the modified pairs (renumbered paragraphs and a rewrite among them), the merge
    no_diffs(monkeypatch)
    assert changes(OLD, NEW) == fresh


def test_corpus_pairs_read_from_the_cache_equal_fresh_diffs(corpus: Path, cache: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    folder = corpus / "us-japan-rok-trilateral"
    old = read_document(folder / "2023-08-18-spirit-of-camp-david-joint-statement.txt")
    new = read_document(folder / "2024-11-15-lima-joint-leaders-statement.txt")
    pipeline._word_cache.cache_clear()
    fresh = statediff.compare(old, new, embedder=FakeEmbedder())
    assert len(rows(cache)) >= 20
    no_diffs(monkeypatch)
    pipeline._word_cache.cache_clear()
    cached = statediff.compare(old, new, embedder=FakeEmbedder())
    assert cached.changes == fresh.changes
    assert cached.to_dict() == fresh.to_dict()


def corpus_comparisons(corpus: Path) -> list[tuple[Path, Path]]:
    """Consecutive statements: all of the trilateral series, the last few of three others."""
    out = []
    for series, last in (("us-japan-rok-trilateral", 0), ("fomc", 6), ("g7-leaders", 4), ("quad-leaders", 4)):
        files = sorted((corpus / series).glob("*.txt"))[-last:]
        out += list(itertools.pairwise(files))
    return out


def test_every_genuine_diff_of_corpus_comparisons_passes_the_row_check(corpus: Path, cache: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The check of a stored row must never refuse a row the word diff itself wrote."""
    pairs: list[Pair] = []
    for a, b in corpus_comparisons(corpus):
        old, new = read_document(a), read_document(b)
        pairs += diffed_pairs(monkeypatch, lambda: statediff.compare(old, new, embedder=FakeEmbedder()))  # noqa: B023
    one_to_one = [p for p in pairs if len(p[0]) == len(p[1]) == 1]
    assert len(one_to_one) > 200 and len(pairs) > len(one_to_one)  # groups too
    results = [wordcache._compute(p) for p in pairs]
    assert sum(rewritten for _, rewritten in results) > 20 and sum(not rewritten for _, rewritten in results) > 100
    refused = [p for p, r in zip(pairs, results, strict=True) if wordcache._valid(wordcache._encode(r), p) != r]
    assert refused == []


DAMAGE: dict[str, Callable[[list[object]], object]] = {
    "not JSON": lambda row: "[true, [[",
    "a bytes blob": lambda row: json.dumps(row).encode(),
    "a number": lambda row: "7",
    "an object": lambda row: json.dumps({"rewritten": row[0], "ops": row[1]}),
    "an unknown tag": lambda row: json.dumps([row[0], [["~", text] for _, text in row[1]]]),  # type: ignore[attr-defined]
    "a text not a string": lambda row: json.dumps([row[0], [[tag, [text]] for tag, text in row[1]]]),  # type: ignore[attr-defined]
    "a text not said": lambda row: json.dumps([row[0], [*row[1], ["+", " Nobody said this."]]]),  # type: ignore[misc]
    "a word taken out": lambda row: json.dumps([row[0], row[1][:-1]]),  # type: ignore[index]
    "kept text marked added": lambda row: json.dumps([row[0], [["+" if t == "=" else t, x] for t, x in row[1]]]),  # type: ignore[attr-defined]
    "the rewrite flag turned": lambda row: json.dumps([not row[0], row[1]]),
    "an empty op": lambda row: json.dumps([row[0], [["=", ""], *row[1]]]),  # type: ignore[misc]
    "too long": lambda row: json.dumps([row[0], row[1], "x" * 200_000]),
    "nested too deep": lambda row: "[" * 5_000 + "]" * 5_000,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_row_is_diffed_again_and_replaced(cache: Path, damage: str) -> None:
    fresh = changes(OLD, NEW)
    good = rows(cache)
    set_rows(cache, {k: DAMAGE[damage](json.loads(v)) for k, v in good.items()})
    assert changes(OLD, NEW) == fresh
    # Every damaged row overwritten with the fresh diff (a rewrite has no kept text to mark: that row stays valid).
    assert {k: json.loads(v) for k, v in rows(cache).items()} == {k: json.loads(v) for k, v in good.items()}


def test_the_row_of_another_pair_is_not_used(cache: Path) -> None:
    fresh = changes(OLD, NEW)
    good = rows(cache)
    keys = sorted(good)
    set_rows(cache, {k: good[keys[(n + 1) % len(keys)]] for n, k in enumerate(keys)})  # each key given its neighbour's
    assert changes(OLD, NEW) == fresh
    assert rows(cache) == good


def test_a_stored_edit_script_other_than_the_diffs_own_still_spells_both_sides() -> None:
    """What the check lets through: an edit script of exactly the pair's texts, up to typography on the old side."""
    old, new = "We condemn the DPRK\u2019s launches.", "We strongly condemn the DPRK's launches."
    (pair_ops, rewritten) = worddiff.word_ops(old, new)
    assert not rewritten and worddiff.consistent(pair_ops, old, new)
    other = (Op("=", "We "), Op("-", "condemn"), Op("+", "strongly condemn"), Op("=", " the DPRK's launches."))
    assert worddiff.consistent(other, old, new)
    assert not worddiff.consistent((Op("=", "We condemn the DPRK's launches."),), old, new)
    assert not worddiff.consistent((Op("-", old), Op("+", new)), old, new)  # nothing kept: only a rewrite says that
    typed_old = (Op("=", "We "), Op("+", "strongly "), Op("=", "condemn the DPRK"), Op("-", "\u2019"), Op("+", "'"),
                 Op("=", "s launches."))
    assert not worddiff.consistent(typed_old, old, new)  # not the old side's tokens: "DPRK\u2019s" is one word


def test_a_renumbered_paragraph_row_is_checked_after_its_number() -> None:
    old, new = "3. We will work with our partners.", "4. We will work closely with our partners."
    ops, rewritten = worddiff.word_ops(old, new)
    assert not rewritten and ops[0] == Op("=", "4. We will work ")
    assert worddiff.consistent(ops, old, new)
    assert not worddiff.consistent((Op("=", "3. We will work "), *ops[1:]), old, new)  # the new number stands
    assert not worddiff.consistent(ops[1:], old, new)


def test_only_changes_that_need_a_word_diff_are_looked_up_in_one_query(cache: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    same = changes(OLD, OLD)
    assert all(c.kind == "unchanged" for c in same)
    assert not (cache / "words.sqlite3").exists()  # nothing to diff: the file is not even opened
    pipeline._word_cache.cache_clear()
    pairs = diffed_pairs(monkeypatch, lambda: statediff.compare(OLD, NEW, embedder=FakeEmbedder()))
    found = statediff.compare(OLD, NEW, embedder=FakeEmbedder()).changes
    assert {(len(o), len(n)) for o, n in pairs} == {(1, 1), (2, 1)}  # one-to-one pairs and the merged group
    need = [c for c in found if c.old and c.new and c.ops and any(op.tag != "=" for op in c.ops)]
    assert len(pairs) == len(need)
    statements: list[str] = []
    conn = pipeline._word_cache()._db.connect()
    assert conn is not None
    conn.set_trace_callback(statements.append)
    statediff.compare(OLD, NEW, embedder=FakeEmbedder())
    words = [s for s in statements if "words" in s]
    assert len(words) == 1 and words[0].startswith("SELECT key, ops FROM words WHERE key IN"), statements
    assert words[0].count("'") == 2 * len({wordcache.key(str(wordcache.code_version()), p) for p in pairs})


def test_a_cache_path_that_is_a_file_still_compares_correctly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    expected = changes(OLD, NEW)  # through the session's cache
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(blocker / "cache"))
    assert changes(OLD, NEW) == expected
    assert capsys.readouterr().err == ""  # the fake embedder has no vector cache to warn; the word cache never does


def test_a_read_only_cache_folder_still_compares_correctly(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = changes(OLD, NEW)
    with read_only(cache):
        assert changes(OLD, NEW) == fresh
    # A read-only folder holding no word cache: every pair diffed, nothing stored, nothing raised.
    empty = cache.parent / "empty"
    empty.mkdir()
    monkeypatch.setenv("STATEDIFF_CACHE_DIR", str(empty))
    with read_only(empty):
        assert changes(OLD, NEW) == fresh
    assert not (empty / "words.sqlite3").exists()


def test_a_word_cache_file_that_is_not_a_database_costs_time_only(cache: Path) -> None:
    fresh = changes(OLD, NEW)
    (cache / "words.sqlite3").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (cache / f"words.sqlite3{suffix}").unlink(missing_ok=True)
    assert changes(OLD, NEW) == fresh


def test_the_key_changes_with_the_code_the_shape_and_every_text() -> None:
    pair: Pair = (("We met at Camp David.",), ("We met in Lima.",))
    keys = {
        wordcache.key("v1", pair),
        wordcache.key("v2", pair),
        wordcache.key("v1", (("We met at Camp David.",), ("We met in Lima!",))),
        wordcache.key("v1", (("We met at", "Camp David."), ("We met in Lima.",))),
        wordcache.key("v1", (("We met at Camp David.", ""), ("We met in Lima.",))),
    }
    assert len(keys) == 5


def test_the_code_version_is_read_from_the_word_diffs_own_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wordcache.code_version.cache_clear()
    before = wordcache.code_version()
    assert before is not None
    edited = tmp_path / "worddiff.py"
    edited.write_bytes(Path(worddiff.__file__).read_bytes().replace(b"REWRITE_BELOW = 0.35", b"REWRITE_BELOW = 0.36"))
    monkeypatch.setattr(worddiff, "__file__", str(edited))
    wordcache.code_version.cache_clear()
    try:
        assert wordcache.code_version() not in (None, before)
        monkeypatch.setattr(worddiff, "__file__", str(tmp_path / "missing.py"))
        wordcache.code_version.cache_clear()
        assert wordcache.code_version() is None  # a source that cannot be read: nothing cached, nothing wrong
    finally:
        monkeypatch.undo()
        wordcache.code_version.cache_clear()
    assert wordcache.code_version() == before


def test_rows_of_other_word_diff_code_are_never_read(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changes(OLD, NEW)
    stored = rows(cache)
    monkeypatch.setattr(wordcache, "code_version", lambda: "another version")
    diffed = []
    compute = wordcache._compute

    def count(pair: Pair) -> Result:
        diffed.append(pair)
        return compute(pair)

    monkeypatch.setattr(wordcache, "_compute", count)
    changes(OLD, NEW)
    assert len(diffed) == len(stored)
    assert len(rows(cache)) == 2 * len(stored)


def test_without_a_readable_code_version_nothing_is_cached(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordcache, "code_version", lambda: None)
    fresh = changes(OLD, NEW)
    assert not (cache / "words.sqlite3").exists()
    monkeypatch.undo()
    assert changes(OLD, NEW) == fresh


def test_through_the_cli_an_unusable_cache_folder_gives_the_vector_caches_one_warning_only(tmp_path: Path) -> None:
    from fake_statediff import run_cli

    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    warm = tmp_path / "warm"
    expected = run_cli("compare", str(old), str(new), "--format", "json", env={"STATEDIFF_CACHE_DIR": str(warm)})
    assert expected.returncode == 1 and (warm / "words.sqlite3").is_file(), expected.stderr
    for folder in (warm, tmp_path / "empty"):
        folder.mkdir(exist_ok=True)
        with read_only(folder):
            got = run_cli("compare", str(old), str(new), "--format", "json", env={"STATEDIFF_CACHE_DIR": str(folder)})
        assert got.returncode == 1
        assert json.loads(got.stdout)["changes"] == json.loads(expected.stdout)["changes"]
        # SQLite opens no WAL-mode file in a folder it cannot write (filled or not): the vector cache says so, once.
        assert len(got.stderr.splitlines()) == 1 and "vector cache unusable" in got.stderr, got.stderr

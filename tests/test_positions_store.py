"""The positions cache (positions.sqlite3): a stored result equals a fresh one and renders the same; damaged or
foreign rows are computed again and replaced; a series file is keyed by its content and parsed every time (a
malformed one is always its error); an unusable cache folder only costs time; the key follows the code, the kind,
the model, the vectors and every text."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import statediff
from fakes import FakeEmbedder
from folder_support import read_only
from statediff import cachedb
from statediff.model import Change, Comparison, Document, Op, Sentence, SentenceHistory
from statediff.positions import digest, store
from statediff.positions.digest import Positions, PositionsFiles, analyse, files_in
from statediff.read.ingest import read_document
from statediff.render import render

OLD = """The Committee decided to maintain the target range for the federal funds rate at 5-1/4 to 5-1/2 percent.

Inflation remains elevated. The U.S. banking system is sound and resilient.

We condemn the DPRK's unprecedented number of ballistic missile launches.

We support the Mekong-U.S. Partnership and the Pacific Islands.

The leaders met at Camp David in August.
"""
NEW = """The Committee decided to raise the target range for the federal funds rate to 5-1/2 to 5-3/4 percent.

Inflation remains elevated. The U.S. banking system is sound and resilient, and credit is tighter.

We strongly condemn the DPRK's and Russia's deepening military cooperation, including arms transfers.

We announce a Trilateral Secretariat.

The leaders met at Camp David in August.
"""
FORMATS = ("text", "json", "md", "html")
NO_FILES = PositionsFiles()


def comparison(old: str = OLD, new: str = NEW) -> Comparison:
    return statediff.compare(old, new, embedder=FakeEmbedder())


def fresh(c: Comparison, kind: str | None = None, files: PositionsFiles = NO_FILES) -> Positions:
    """The result computed now, never read from the cache."""
    return digest._analyse(c, kind, files)


def row_of(c: Comparison, kind: str | None = None, files: PositionsFiles = NO_FILES) -> str:
    found = store.key(c, kind, files.lexicon, files.actors, files.topics)
    assert found is not None
    return found


def rows() -> dict[str, str]:
    """The stored results (not the remembered code version)."""
    db = sqlite3.connect(store.folder() / store.FILE)
    with db:
        found = dict(db.execute("SELECT key, value FROM positions WHERE key NOT LIKE 'code version %'"))
    db.close()
    return found


def put(row: str, value: str) -> None:
    store.save(row, None)  # the table exists
    db = sqlite3.connect(store.folder() / store.FILE)
    with db:
        db.execute("INSERT OR REPLACE INTO positions VALUES (?, ?)", (row, value))
    db.close()


def computations(monkeypatch: pytest.MonkeyPatch) -> list[Comparison]:
    """The comparisons analysed from scratch from now on (not read from the cache)."""
    seen: list[Comparison] = []
    compute = digest._analyse

    def spy(c: Comparison, kind: str | None, files: PositionsFiles) -> Positions:
        seen.append(c)
        return compute(c, kind, files)

    monkeypatch.setattr(digest, "_analyse", spy)
    return seen


def test_the_sample_has_every_part_of_a_result() -> None:
    # The damage tests below need something to damage: marks with figures, an unmarked change, items with edits,
    # several topics and a tilt tally.
    p = fresh(comparison(), "monetary-policy")
    assert None in p.marks and any(m is not None and m.figures for m in p.marks)
    assert len(p.topics) > 1 and p.tilt and any(i.edits for d in p.digest for i in d.items)


@pytest.mark.parametrize("kind", [None, "monetary-policy"])
def test_a_second_analysis_reads_the_stored_result_which_equals_a_fresh_one(kind: str | None,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    c = comparison()
    expected = fresh(c, kind)
    computed = computations(monkeypatch)
    assert analyse(c, kind=kind) == expected and len(computed) == 1
    assert list(rows()) == [row_of(c, kind)]
    store.close()  # as a new process would: the file read again
    again = analyse(c, kind=kind)
    assert again == expected and len(computed) == 1
    for fmt in FORMATS:
        assert render(c, fmt, positions=again) == render(c, fmt, positions=expected)


@pytest.mark.model
@pytest.mark.parametrize(("series", "old", "new"), [
    ("us-japan-rok-trilateral", "2023-08-18-spirit-of-camp-david-joint-statement.txt",
     "2024-11-15-lima-joint-leaders-statement.txt"),
    ("fomc", "2022-01-26-fomc-statement.txt", "2022-03-16-fomc-statement.txt"),
])
def test_corpus_results_read_back_equal_fresh_ones_and_render_the_same(corpus: Path, series: str, old: str, new: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    c = statediff.compare(read_document(corpus / series / old), read_document(corpus / series / new))
    expected = fresh(c, digest.kind_of(c))
    assert analyse(c, kind=digest.kind_of(c)) == expected
    store.close()
    computed = computations(monkeypatch)
    stored = analyse(c, kind=digest.kind_of(c))
    assert stored == expected and computed == []
    for fmt in FORMATS:
        assert render(c, fmt, positions=stored) == render(c, fmt, positions=expected)


def _first_mark(data: list[Any]) -> list[Any]:
    return next(m for m in data[0] if m is not None)


def _set(path: Callable[[list[Any]], list[Any]], at: int, value: object) -> Callable[[list[Any]], None]:
    def damage(data: list[Any]) -> None:
        path(data)[at] = value
    return damage


# Positions as stored: [marks, topics, topic_of, digest, kind, tilt]; a mark: [figures, stance, stance_words, tilt,
# tilt_words, negation, actors_added, actors_removed, substantive]; a digest entry: [topic, items, editorial]; an
# item: [kind, change, text, words, tilt, edits, weight].
DAMAGE: dict[str, Callable[[list[Any]], None]] = {
    "unknown stance": _set(_first_mark, 1, "furious"),
    "a bool for an int": _set(lambda d: d[2], 0, True),
    "an int for a bool": _set(_first_mark, 5, 0),
    "a number for a string": _set(_first_mark, 2, [1]),
    "a missing field": lambda d: _first_mark(d).pop(),
    "an extra field": lambda d: _first_mark(d).append(None),
    "a topic index out of range": _set(lambda d: d[2], 0, 99),
    "a negative topic index": _set(lambda d: d[2], 0, -1),
    "an item pointing past the changes": _set(lambda d: d[3][0][1][0], 1, 99),
    "an unknown item kind": _set(lambda d: d[3][0][1][0], 0, "rumour"),
    "a topic change out of range": _set(lambda d: d[1][0], 1, [0, 99]),
    "one mark too few": lambda d: d[0].pop(),
    "one topic too few": lambda d: d[2].pop(),
    "a mark on an unchanged sentence": lambda d: d[0].__setitem__(d[0].index(None), _first_mark(d)),
    "no mark on a changed one": lambda d: d[0].__setitem__(d[0].index(_first_mark(d)), None),
    "a digest topic that is no topic": _set(lambda d: d[3][0][0], 0, "Elsewhere"),
    "an unknown tilt tally": lambda d: d[5].__setitem__("bullish", 1),
    "another kind": _set(lambda d: d, 4, "press-release"),
    "an item tilt that is no lean": _set(lambda d: d[3][0][1][0], 4, "neutral"),
    "a negative edit context": lambda d: d[3][0][1][0][5].append(["a", "b", -1]),
    "too large": _set(_first_mark, 2, ["x" * 2_000_000]),
    "a point quoting words its change does not have": _set(lambda d: d[3][0][1][0], 2, "We declare war."),
}


@pytest.mark.parametrize("damage", [*DAMAGE, "not JSON", "not a list", "deeply nested", "empty"])
def test_a_damaged_row_is_computed_again_and_replaced(damage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    c = comparison()
    expected = fresh(c, "monetary-policy")
    row = row_of(c, "monetary-policy")
    good = store.encode(expected)
    if damage in DAMAGE:
        data = json.loads(good)
        DAMAGE[damage](data)
        value = json.dumps(data)
    else:
        value = {"not JSON": good[:-1], "not a list": '"x"', "deeply nested": "[" * 100_000, "empty": ""}[damage]
    assert value != good
    put(row, value)
    computed = computations(monkeypatch)
    assert analyse(c, kind="monetary-policy") == expected and len(computed) == 1
    assert rows()[row] == good


def test_the_row_of_another_comparison_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # A well-formed result of another pair under this pair's key: the lengths and indices give it away.
    c, other = comparison(), comparison(OLD, NEW + "\nA new closing line.\n")
    expected = fresh(c)
    put(row_of(c), store.encode(fresh(other)))
    computed = computations(monkeypatch)
    assert analyse(c) == expected and len(computed) == 1


def test_a_changed_series_file_is_a_new_row_and_the_same_content_elsewhere_the_same(tmp_path: Path,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    c = statediff.compare(["We note the DPRK's repeated ballistic missile launches this year."],
                          ["We castigate the DPRK's repeated ballistic missile launches this year."], embedder=FakeEmbedder())
    for name, first, second in (("lexicon.txt", "condemnation 3 castigate*\n", "condemnation -3 castigate*\n"),
                                ("actors.txt", "organisation | Quadrilateral Group | QG\n", "country | DPRK | Pyongyang\n"),
                                ("topics.txt", "Korea: DPRK\n", "Missiles: ballistic\n")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_text(first, encoding="utf-8")
        files = files_in(folder)
        before = analyse(c, files=files)
        assert before == fresh(c, None, files)
        stat = (folder / name).stat()
        (folder / name).write_text(second, encoding="utf-8")
        import os

        os.utime(folder / name, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time: the content decides
        assert row_of(c, None, files) not in rows()
        assert analyse(c, files=files) == fresh(c, None, files)
        # The same content under another name: the same row (the path is not part of the result).
        other = tmp_path / f"copy-{name}"
        other.mkdir()
        shutil.copy(folder / name, other / name)
        assert row_of(c, None, files_in(other)) == row_of(c, None, files)
    assert analyse(c, files=files_in(tmp_path / "lexicon.txt")).marks[0].stance == "weaker"  # type: ignore[union-attr]


def test_a_malformed_series_file_is_its_error_even_with_a_stored_result_under_its_key(tmp_path: Path) -> None:
    c = comparison()
    (tmp_path / "lexicon.txt").write_text("condemnation 3 castigate*\n", encoding="utf-8")
    good = analyse(c, files=files_in(tmp_path))
    (tmp_path / "lexicon.txt").write_text("condemnation lots castigate*\n", encoding="utf-8")
    bad = files_in(tmp_path)
    put(row_of(c, None, bad), store.encode(good))  # a planted row: well-formed, right shape, for this very content
    with pytest.raises(statediff.StatediffError, match=r"lexicon.txt: line 1: weight 'lots'"):
        analyse(c, files=bad)


def test_through_the_cli_a_malformed_series_file_after_a_good_run_is_one_error_line(tmp_path: Path) -> None:
    from fake_statediff import run_cli

    old, new, mine, cache = tmp_path / "old.txt", tmp_path / "new.txt", tmp_path / "mine", tmp_path / "cache"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    mine.mkdir()
    env = {"STATEDIFF_CACHE_DIR": str(cache)}
    for name, good, bad in (("lexicon.txt", "condemnation 3 castigate*\n", "condemnation 3\n"),
                            ("actors.txt", "organisation | Quadrilateral Group | QG\n", "organisation |\n"),
                            ("topics.txt", "Korea: DPRK\n", "Korea DPRK\n")):
        (mine / name).write_text(good, encoding="utf-8")
        args = ("compare", str(old), str(new), "--format", "json", "--positions", str(mine))
        first, second = run_cli(*args, env=env), run_cli(*args, env=env)
        assert first.returncode == second.returncode == 1 and first.stdout == second.stdout, first.stderr
        (mine / name).write_text(bad, encoding="utf-8")
        failed = run_cli(*args, env=env)
        assert failed.returncode == 2 and failed.stdout == "", failed.stderr
        lines = failed.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("statediff: error: ") and f"{name}: line 1" in lines[0], lines
        (mine / name).unlink()
    db = sqlite3.connect(cache / store.FILE)
    # One row per good file, none for a bad one.
    assert db.execute("SELECT count(*) FROM positions WHERE key NOT LIKE 'code version %'").fetchone() == (3,)
    db.close()


@pytest.mark.parametrize("unusable", ["a file in its place", "a read-only empty folder", "a read-only filled folder"])
def test_an_unusable_cache_folder_gives_the_same_result_and_says_nothing(unusable: str, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    c = comparison()
    expected = fresh(c)
    folder = tmp_path / "cache"
    if unusable == "a file in its place":
        folder.write_text("not a folder", encoding="utf-8")
    elif unusable == "a read-only filled folder":
        monkeypatch.setattr(store, "folder", lambda: folder)
        store.close()
        analyse(c)
        store.close()
        assert (folder / store.FILE).is_file()
    else:
        folder.mkdir()
    monkeypatch.setattr(store, "folder", lambda: folder)
    store.close()
    capsys.readouterr()
    if unusable.startswith("a read-only"):
        with read_only(folder):
            got = [analyse(c), analyse(c)]
    else:
        got = [analyse(c), analyse(c)]
    assert got == [expected, expected]
    assert capsys.readouterr() == ("", "")


def test_the_key_follows_the_code_the_kind_the_model_the_vectors_and_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    c = comparison()
    base = row_of(c)
    sentence = c.new_sentences[0]
    variants = {
        "kind": row_of(c, "monetary-policy"),
        "model": row_of(dataclasses.replace(c, model=c.model + "+int8")),
        "no vectors": row_of(dataclasses.replace(c, vectors=None)),
        "other vectors": row_of(dataclasses.replace(c, vectors=(c.vectors[0], np.flip(c.vectors[1], axis=0)))),
        "a sentence's text": row_of(dataclasses.replace(c, new_sentences=(
            dataclasses.replace(sentence, text=sentence.text + " "), *c.new_sentences[1:]))),
        "an op's text": row_of(dataclasses.replace(c, changes=(
            dataclasses.replace(c.changes[0], ops=(*c.changes[0].ops, Op("+", "x"))), *c.changes[1:]))),
        "the front matter": row_of(dataclasses.replace(c, new=dataclasses.replace(c.new, meta={"kind": "x"}))),
    }
    monkeypatch.setattr(store, "code_version", lambda: "another")
    variants["code"] = row_of(c)
    assert len({base, *variants.values()}) == len(variants) + 1, variants
    monkeypatch.undo()
    # Where the files came from is not part of the result: the git driver compares temporary files.
    assert row_of(dataclasses.replace(c, old=dataclasses.replace(c.old, path="/tmp/a"))) == base


def test_every_field_of_a_comparison_is_in_the_key_or_left_out_on_purpose() -> None:
    # A new field must be added to store.key (or said here why a result cannot depend on it).
    names = {cls.__name__: {f.name for f in dataclasses.fields(cls)}
             for cls in (Comparison, Document, Sentence, Change, Op, SentenceHistory)}
    assert names == {
        "Comparison": {"old", "new", "old_sentences", "new_sentences", "changes", "model", "links", "vectors"},
        "Document": {"body", "title", "date", "source", "meta", "path"},  # path left out
        "Sentence": {"index", "text", "paragraph", "start", "end"},
        "Change": {"kind", "old", "new", "similarity", "ops", "rewritten", "weak", "also_new", "also_old", "closest",
                   "history"},
        "Op": {"tag", "text"},
        "SentenceHistory": {"lineage", "first_seen", "returns_from", "earlier"},  # by its repr
    }


def test_the_code_version_is_read_from_the_layers_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "positions"
    shutil.copytree(store.HERE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(store, "HERE", copy)
    versions = []
    for edit in (None, "lexicon.txt", "stance_model.json", "marking.py"):
        if edit is not None:
            target = copy / "data" / edit if (copy / "data" / edit).exists() else copy / edit
            target.write_bytes(target.read_bytes() + b"\n")
        store.code_version.cache_clear()
        versions.append(store.code_version())
    store.code_version.cache_clear()
    assert None not in versions and len(set(versions)) == len(versions)
    # The .marshal files are made from the files above (each checked by its tests): not hashed.
    for made in ("patterns.marshal", "prebuilt.marshal"):
        (copy / "data" / made).write_bytes(b"")
    store.code_version.cache_clear()
    assert store.code_version() == versions[-1]
    store.code_version.cache_clear()
    monkeypatch.setattr(store, "HERE", tmp_path / "gone")
    assert store.code_version() is None
    store.code_version.cache_clear()


def test_the_code_version_is_remembered_until_a_source_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "positions"
    shutil.copytree(store.HERE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(store, "HERE", copy)
    worked_out = []
    real = cachedb.code_version

    def counted(salt: str, sources: list[str]) -> str | None:
        worked_out.append(salt)
        version: str | None = real(salt, sources)
        return version

    monkeypatch.setattr(cachedb, "code_version", counted)
    store.code_version.cache_clear()
    first = store.code_version()
    store.close()  # as a new process: the version read back from the file, not worked out
    store.code_version.cache_clear()
    assert store.code_version() == first and len(worked_out) == 1
    memo = [k for k in sqlite3.connect(store.folder() / store.FILE).execute("SELECT key FROM positions")]
    assert len(memo) == 1 and memo[0][0].startswith("code version ")
    # A planted or damaged remembered version is worked out again and replaced.
    for planted in ("not a version", "0" * 19, "A" * 20, "0" * 21):
        with sqlite3.connect(store.folder() / store.FILE) as db:
            db.execute("UPDATE positions SET value = ? WHERE key = ?", (planted, memo[0][0]))
        store.close()
        store.code_version.cache_clear()
        assert store.code_version() == first
    assert len(worked_out) == 5
    # An edited source (same size, content changed) has another stamp: worked out again, another version.
    target = copy / "marking.py"
    target.write_bytes(target.read_bytes().replace(b"MONETARY", b"MONETARX", 1))
    store.close()
    store.code_version.cache_clear()
    assert store.code_version() != first and len(worked_out) == 6
    store.code_version.cache_clear()
    store.close()


def test_without_a_code_version_nothing_is_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "code_version", lambda: None)
    c = comparison()
    assert analyse(c) == fresh(c)
    assert not (store.folder() / store.FILE).exists()


def test_the_decoder_refuses_a_result_type_it_was_not_written_for() -> None:
    @dataclasses.dataclass(frozen=True)
    class Odd:
        value: float

    with pytest.raises(TypeError, match="cannot decode"):
        store.decode("[1.5]", Odd, 100)

"""The shipped lexicon and actor registry read back from data/prebuilt.marshal are what building them from the data
files gives; the file is used only for the very files it was built from (an edited lexicon, actors list or another
pycountry: built as usual), and a missing or damaged file only costs time."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statediff.positions import actors, lexicons
from statediff.positions.actors import registry_form
from statediff.positions.lexicons import lexicon_form

STORED = marshal.loads(lexicons.PREBUILT.read_bytes())
REGENERATE = 'regenerate it: python -c "from statediff.positions.actors import write_prebuilt; write_prebuilt()"'


def built_lexicon() -> tuple[object, ...]:
    entries = tuple(lexicons.parse_lexicon("lexicon.txt (shipped)", lexicons.shipped("lexicon.txt")))
    return lexicon_form(entries, lexicons.build_lexicon(entries))


def built_registry() -> tuple[object, ...]:
    return registry_form(actors._build([*actors._country_lines(), *lexicons.actor_lines()]))


@pytest.fixture
def fresh() -> Iterator[None]:
    """Nothing remembered: each look-up reads the stored file (or builds) again."""
    for cached in (lexicons._prebuilt, lexicons._shipped_lexicon, lexicons._lexicon_for, actors._registry_for):
        cached.cache_clear()
    yield
    for cached in (lexicons._prebuilt, lexicons._shipped_lexicon, lexicons._lexicon_for, actors._registry_for):
        cached.cache_clear()


def test_the_stored_builds_are_what_the_data_files_build_now() -> None:
    assert STORED[0] == lexicons._PREBUILT_FORMAT
    parts = STORED[1]
    assert parts["lexicon"][0] == {"lexicon.txt": (lexicons.DATA / "lexicon.txt").read_bytes()}, f"stale: {REGENERATE}"
    assert parts["registry"][0] == actors._sources(), f"stale (data file or pycountry changed): {REGENERATE}"
    assert parts["lexicon"][1] == built_lexicon(), f"stale (the lexicon is built otherwise now): {REGENERATE}"
    assert parts["registry"][1] == built_registry(), f"stale (the registry is built otherwise now): {REGENERATE}"


def test_the_layer_reads_the_stored_builds_and_they_equal_fresh_ones(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = built_lexicon()

    def refuse(*_: object) -> None:
        pytest.fail("built, not read back")

    monkeypatch.setattr(actors, "_build", refuse)
    monkeypatch.setattr(lexicons, "build_lexicon", refuse)
    lexicon, registry = lexicons.lexicon_for(), actors.registry_for()
    entries, _ = lexicons._shipped_lexicon()
    assert lexicon_form(entries, lexicon) == expected
    assert registry_form(registry) == STORED[1]["registry"][1]
    assert registry.self_keys == frozenset(STORED[1]["registry"][1][1]) and registry.self_keys


def test_a_changed_source_or_a_damaged_file_builds_as_usual(fresh: None, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    expected_lexicon, expected_registry = built_lexicon(), built_registry()

    def check() -> None:
        for cached in (lexicons._prebuilt, lexicons._shipped_lexicon, lexicons._lexicon_for, actors._registry_for):
            cached.cache_clear()
        entries, lexicon = lexicons._shipped_lexicon()
        assert lexicon_form(entries, lexicon) == expected_lexicon
        assert registry_form(actors.registry_for()) == expected_registry

    # Stored builds that differ from the real ones, under the real sources: used (the sources match) ...
    parts = STORED[1]
    planted: dict[str, Any] = {"lexicon": (parts["lexicon"][0], (parts["lexicon"][1][0], (0,), {}, {})),
               "registry": (parts["registry"][0], ({"Planted": "country:Planted"}, (), {"Planted": ("Planted",)}, ()))}
    path = tmp_path / "prebuilt.marshal"
    path.write_bytes(marshal.dumps((lexicons._PREBUILT_FORMAT, planted)))
    monkeypatch.setattr(lexicons, "PREBUILT", path)
    lexicons._prebuilt.cache_clear()
    assert lexicons.prebuilt("registry", actors._sources()) == planted["registry"][1]
    # ... and not once a source differs by a byte: built from the files.
    for part in ("lexicon", "registry"):
        sources = dict(planted[part][0])
        name = next(iter(sources))
        sources[name] = (sources[name] or b"") + b"\n"
        assert lexicons.prebuilt(part, sources) is None
    changed = {k: (({n: (b or b"") + b" " for n, b in v[0].items()}), v[1]) for k, v in planted.items()}
    path.write_bytes(marshal.dumps((lexicons._PREBUILT_FORMAT, changed)))
    check()
    for damaged in (b"", b"\x00not marshal", marshal.dumps((lexicons._PREBUILT_FORMAT + 1, planted)),
                    marshal.dumps((lexicons._PREBUILT_FORMAT, {"lexicon": "odd", "registry": (1, 2, 3)})),
                    marshal.dumps([1, 2, 3]),
                    marshal.dumps((lexicons._PREBUILT_FORMAT, {k: (v[0], (1, 2)) for k, v in planted.items()})),
                    marshal.dumps((lexicons._PREBUILT_FORMAT, {k: (v[0], ((1,), (5,), {}, {})) for k, v in planted.items()}))):
        path.write_bytes(damaged)
        check()
    path.unlink()
    check()


def test_write_prebuilt_writes_what_is_shipped(tmp_path: Path) -> None:
    actors.write_prebuilt(tmp_path / "prebuilt.marshal")
    assert marshal.loads((tmp_path / "prebuilt.marshal").read_bytes()) == STORED, REGENERATE

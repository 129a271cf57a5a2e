"""The layer's regexes built from their stored compiled form (positions/patterns.py) are the patterns re.compile
gives: equal (same text, flags and engine code) and finding the same; a pattern the file lacks, or a damaged entry,
is compiled as usual; and the figure-start pattern, now with its words in a fixed order, finds what it found."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest

import statediff.positions.digest  # noqa: F401 - compiles the layer's patterns through patterns.regex
from statediff.positions import figures, patterns

STORED = marshal.loads(patterns.TABLE.read_bytes())
SAME_PYTHON = STORED[0] == patterns._VERSION
REGENERATE = ('regenerate it: python -c "from statediff.positions.patterns import write_table; write_table()"')


def test_every_stored_form_is_what_re_compile_builds() -> None:
    assert STORED[1], "the table is empty"
    for (source, flags), entry in STORED[1].items():
        assert entry == patterns.compiled_form(source, flags) or not SAME_PYTHON, f"stale entry for {source[:60]!r}"


@pytest.mark.skipif(not SAME_PYTHON, reason="the stored compiled forms are for another Python version")
def test_every_pattern_the_layer_compiles_is_stored_and_equal_to_re_compile() -> None:
    assert patterns.asked, "no pattern went through patterns.regex"
    missing = [source[:60] for source, flags in list(patterns.asked) if (source, flags) not in patterns._TABLE]
    assert not missing, f"patterns.marshal lacks {missing}; {REGENERATE}"
    for source, flags in list(patterns.asked):
        built = patterns.regex(source, flags)
        plain = re.compile(source, flags)
        # Pattern equality compares the text, the flags and the engine code word for word.
        assert built == plain and built is not plain
        assert (built.pattern, built.flags, built.groups, built.groupindex) == (
            plain.pattern, plain.flags, plain.groups, plain.groupindex)


@pytest.mark.skipif(not SAME_PYTHON, reason="the stored compiled forms are for another Python version")
def test_the_stored_patterns_find_what_re_compile_finds() -> None:
    texts = ["The target range for the federal funds rate rose to 5-1/4 to 5-1/2 percent on July 26, 2023.",
             "President Joseph R. Biden and the Trilateral Secretariat; U.S.$5 billion; twenty-five; ROK’s; İı ſ",
             "Voting against the action was James Bullard. We will not, never; (iii) 3. - ", "", "   \n\t"]
    for source, flags in list(patterns.asked):
        built, plain = patterns.regex(source, flags), re.compile(source, flags)
        for text in texts:
            assert [m.span() for m in built.finditer(text)] == [m.span() for m in plain.finditer(text)]
            assert built.sub("<>", text) == plain.sub("<>", text)


def test_a_pattern_not_stored_is_compiled_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patterns, "asked", dict(patterns.asked))  # this pattern is not the layer's: leave no trace
    known, count = next(iter(patterns.asked)), len(patterns.asked)
    patterns.regex(*known)
    assert len(patterns.asked) == count  # asked again: nothing added (the record stays as small as the patterns)
    built = patterns.regex(r"(?P<odd>not\s+stored)+", re.IGNORECASE)
    assert built == re.compile(r"(?P<odd>not\s+stored)+", re.IGNORECASE)
    assert built.search("NOT  Stored").group("odd") == "NOT  Stored"


def test_a_damaged_entry_or_file_falls_back_to_re_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, flags = next(iter(patterns.asked))
    all_flags, code, groups, groupindex, indexgroup = patterns.compiled_form(source, flags)
    damaged = (all_flags, (99999, *code[1:]), groups, groupindex, indexgroup)  # an opcode the engine refuses
    monkeypatch.setitem(patterns._TABLE, (source, flags), damaged)
    assert patterns.regex(source, flags) == re.compile(source, flags)
    bad = tmp_path / "patterns.marshal"
    bad.write_bytes(b"\x00not marshal")
    monkeypatch.setattr(patterns, "TABLE", bad)
    assert patterns._read_table() == {}
    bad.write_bytes(marshal.dumps((("other", (2, 7), 0, 4), {(source, flags): damaged})))  # another Python's
    assert patterns._read_table() == {}


def test_the_layer_imports_and_finds_the_same_without_the_table(tmp_path: Path) -> None:
    # A fresh process whose table is missing compiles every pattern itself and marks a pair the same way.
    code = ("from pathlib import Path\nimport statediff.positions.patterns as p\n"
            "p.TABLE = Path('/nonexistent/patterns.marshal'); p._TABLE = p._read_table(); assert p._TABLE == {}\n"
            "import importlib, statediff.positions.figures as f, statediff.positions.marking as m\n"
            "importlib.reload(f); importlib.reload(m)\n"
            "print(repr(m.marks('The range rose to 5 percent in July 2023.', 'It fell to 4-3/4 percent in June.')))\n")
    without = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    from statediff.positions.marking import marks

    assert without == repr(marks("The range rose to 5 percent in July 2023.", "It fell to 4-3/4 percent in June.")) + "\n"


# _START_LOWER as it was written before its words were put in a fixed order (the set's order, longest first).
START_LOWER_BEFORE = re.compile(
    r"(?<!\w)(?:[$€£¥]|\d|(?:" + "|".join(sorted(figures._FIRST_WORDS, key=len, reverse=True)) + r")(?![^\W\d_]))"
)
ODD = ["this year, next-year, thisyear, u.s.$5, us$ usd5 eur 3 eur5 €5 £ ¥ $", "first second third fourth firsts",
       "one two three four five six seven eight nine ten eleven twelve hundred thousand million billion trillion",
       "january february march april may june july august september october november december mayday",
       "later earlier early late past coming previous end year years_ _year year1 1year", "", "   "]


def test_the_figure_start_pattern_finds_what_it_found(corpus: Path) -> None:
    lines = [line.lower() for f in sorted(corpus.glob("*/*.txt"))
             for line in f.read_text(encoding="utf-8").splitlines() if line.isascii()]
    assert len(lines) > 1000
    for text in ODD + lines:
        assert ([m.span() for m in figures._START_LOWER.finditer(text)]
                == [m.span() for m in START_LOWER_BEFORE.finditer(text)]), text


def test_the_figure_start_pattern_finds_what_it_found_on_odd_strings() -> None:
    for text in ODD:
        assert ([m.span() for m in figures._START_LOWER.finditer(text)]
                == [m.span() for m in START_LOWER_BEFORE.finditer(text)]), text

"""Issue 8, the readers attacked with hostile files (numbered as in the issue): deep HTML, YAML alias bombs, devices
and pipes, oversized statements. Each runs the real command in its own process (the fake embedder in place of the
model) and asks for one line on stderr, exit 2, quickly, and nothing written."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from fake_statediff import run_cli
from folder_support import FOMC_A, FOMC_B

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model

ALIAS_BOMB = """---
title: Laughs
date: 2023-05-03
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
issuers: *h
---

The Committee decided to maintain the target range.
"""


def deep_html(depth: int) -> str:
    return f"<html><body>{'<div>' * depth}<p>Inflation remains elevated.</p>{'</div>' * depth}</body></html>"


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("statediff: error: "), stderr
    return lines[0]


def refuses(tmp: Path, hostile: Path, *, expect: str, cwd: Path | None = None, timeout: float = 60) -> None:
    """``compare`` and ``add`` both refuse ``hostile`` with one line naming it, exit 2, nothing written."""
    other = tmp / "other.txt"
    other.write_text(FOMC_B, encoding="utf-8")
    (tmp / "statements").mkdir(exist_ok=True)
    for args in (["compare", str(other), str(hostile)], ["compare", str(hostile), str(other), "-o", str(tmp / "out.html")],
                 ["add", str(hostile), "--series", "fomc", "--issuer", "X", "--title", "T", "--date", "2023-05-03"]):
        started = time.monotonic()
        result = run_cli(*args, cwd=cwd or tmp, timeout=timeout)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        line = one_error_line(result.stderr)
        assert str(hostile) in line and expect in line, line
        assert time.monotonic() - started < timeout / 2
    assert not (tmp / "out.html").exists()
    assert list((tmp / "statements").rglob("*.md")) == []


# 2 -----------------------------------------------------------------------------------------------------------------

def test_2_html_nested_a_thousand_deep_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(deep_html(1000), encoding="utf-8")
    refuses(tmp_path, page, expect="HTML elements nest more than 250 deep")


def test_2_html_nested_eighty_thousand_deep_is_refused_quickly(tmp_path: Path) -> None:
    page = tmp_path / "deeper.html"
    page.write_text(deep_html(80_000), encoding="utf-8")  # 0.9 MB, under the input limit
    result = run_cli("compare", str(page), str(page), timeout=60)
    assert result.returncode == 2
    assert "nest more than 250 deep" in one_error_line(result.stderr)


def test_2_html_nested_within_the_limit_still_reads() -> None:
    from statediff.read.htmltext import html_to_document

    doc = html_to_document(deep_html(240), name="ok.html")
    assert doc.body == "Inflation remains elevated."


# 4 -----------------------------------------------------------------------------------------------------------------

def test_4_a_yaml_alias_bomb_in_front_matter_is_refused_before_it_expands(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.md"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    refuses(tmp_path, bomb, expect="front matter uses a YAML alias (*name)", timeout=30)


def test_4_the_alias_bomb_as_a_statement_in_the_folder_stops_report_and_list(project) -> None:  # type: ignore[no-untyped-def]
    path = project.statements / "fomc" / "2023-05-03-laughs.md"
    path.parent.mkdir()
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    for command in ("report", "list"):
        result = run_cli(command, cwd=project.root, timeout=30)
        assert result.returncode == 2
        assert "statements/fomc/2023-05-03-laughs.md: front matter uses a YAML alias" in result.stderr
    check = run_cli("check", cwd=project.root, timeout=30)
    assert check.returncode == 1 and "front matter uses a YAML alias" in check.stdout
    assert not (project.reports / "fomc").exists()


@pytest.mark.parametrize("front", [
    "title: " + "[" * 50 + "x" + "]" * 50,
    "title: x\nissuers:\n" + "".join("  " * k + "- \n" for k in range(40)),
    "title: '" + "x" * 70_000 + "'",
    "title: &anchor x\nkind: *anchor",
])
def test_4_front_matter_limits_depth_size_and_aliases(front: str) -> None:
    from statediff.errors import StatediffError
    from statediff.read.ingest import parse_text

    with pytest.raises(StatediffError, match=r"front matter (nests deeper|is over 64 KB|uses a YAML alias)"):
        parse_text(f"---\n{front}\ndate: 2023-05-03\n---\n\nText.\n", name="x.md")


# 5 -----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo"])
def test_5_a_device_or_a_fifo_is_refused_without_reading_it(tmp_path: Path, device: str) -> None:
    if device == "fifo":
        path = tmp_path / "statement.txt"
        os.mkfifo(path)
    else:
        path = Path(device)
    refuses(tmp_path, path, expect="is not a regular file", timeout=30)
    result = run_cli("git-textconv", str(path), timeout=30)
    assert result.returncode == 2
    assert "is not a regular file" in one_error_line(result.stderr)


def test_5_a_link_to_dev_zero_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "statement.txt"
    link.symlink_to("/dev/zero")
    refuses(tmp_path, link, expect="is not a regular file", timeout=30)


# 6 -----------------------------------------------------------------------------------------------------------------

def test_6_a_20_mb_statement_is_refused_at_once_naming_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Inflation remains elevated. " * 750_000, encoding="utf-8")  # 21 MB
    refuses(tmp_path, big, expect="21.0 MB, over the input limit of 1.0 MB for a statement; if it really is one, "
                                   "raise the limit: STATEDIFF_MAX_INPUT=22M", timeout=30)


def test_6_the_limit_is_configurable_and_a_bad_setting_is_one_line(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(FOMC_A, encoding="utf-8")
    b.write_text(FOMC_B, encoding="utf-8")
    small = run_cli("compare", str(a), str(b), env={"STATEDIFF_MAX_INPUT": "100"})
    assert small.returncode == 2
    size = a.stat().st_size
    assert f"{a}: {size} bytes, over the input limit of 100 bytes for a statement; if it really is one, raise the limit: " \
           f"STATEDIFF_MAX_INPUT=1K" == one_error_line(small.stderr).removeprefix("statediff: error: ")
    roomy = run_cli("compare", str(a), str(b), env={"STATEDIFF_MAX_INPUT": "1K"})
    assert roomy.returncode == 1, roomy.stderr
    bad = run_cli("compare", str(a), str(b), env={"STATEDIFF_MAX_INPUT": "lots"})
    assert bad.returncode == 2
    assert "STATEDIFF_MAX_INPUT='lots' is not a size" in one_error_line(bad.stderr)


def test_6_a_file_that_grows_past_the_limit_while_read_is_cut_off(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # The size the file claims is not trusted: at most limit + 1 bytes are ever read.
    from statediff.errors import StatediffError
    from statediff.read import ingest

    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 5000)
    monkeypatch.setenv("STATEDIFF_MAX_INPUT", "4000")
    real_stat = os.stat
    monkeypatch.setattr(ingest.os, "stat", lambda p, *a, **k: os.stat_result((*real_stat(p)[:6], 10, *real_stat(p)[7:])))
    with pytest.raises(StatediffError, match="over the input limit"):
        ingest.read_bytes(path)


def test_reading_a_hostile_file_stays_within_bounded_memory(tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text(deep_html(1000), encoding="utf-8")
    bomb = tmp_path / "bomb.md"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for path in (page, bomb, Path("/dev/zero")):
        run_cli("compare", str(path), str(path), timeout=30)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < max(600, before / 1024 + 1), f"a child used {peak_mb:.0f} MB"


@pytest.mark.parametrize("unit", ["<link rel=cano", '<link rel="cano', "<a b='c"])
def test_html_tags_that_never_close_are_refused_before_the_parser_rescans_them(tmp_path: Path, unit: str) -> None:
    # Found by the fuzz run: Python's html.parser rescans from each unclosed tag to the end (28 KB took 2.7 s).
    page = tmp_path / "unclosed.html"
    page.write_text("<html><body><p>Inflation remains elevated.</p>" + unit * 62_000, encoding="utf-8")  # 0.9 MB
    started = time.monotonic()
    result = run_cli("compare", str(page), str(page), timeout=60)
    assert result.returncode == 2
    assert "HTML tags that never close" in one_error_line(result.stderr)
    assert time.monotonic() - started < 20


def test_more_sentences_than_a_comparison_handles_is_refused_before_aligning(tmp_path: Path) -> None:
    many = tmp_path / "many.txt"
    many.write_text(" ".join(f"Rates held at meeting {k}." for k in range(6100)), encoding="utf-8")
    dots = tmp_path / "dots.txt"
    dots.write_text("A b. " * 150_000, encoding="utf-8")  # 750 KB: refused before the splitter runs
    for path, says in ((many, "6,100 sentences, more than the 6,000"), (dots, "far more sentences, more than the 6,000")):
        started = time.monotonic()
        result = run_cli("compare", str(path), str(path), timeout=120)
        assert result.returncode == 2, result.stderr
        assert f"{path}: {says} a comparison takes" in one_error_line(result.stderr)
        assert time.monotonic() - started < 60


def test_the_sentence_limit_is_a_setting(tmp_path: Path) -> None:
    text = tmp_path / "some.txt"
    text.write_text(" ".join(f"Rates held at meeting {k}." for k in range(150)), encoding="utf-8")
    lowered = run_cli("compare", str(text), str(text), env={"STATEDIFF_MAX_SENTENCES": "100"})
    assert lowered.returncode == 2
    assert "150 sentences, more than the 100 a comparison takes" in one_error_line(lowered.stderr)
    assert "STATEDIFF_MAX_SENTENCES" in lowered.stderr
    assert run_cli("compare", str(text), str(text), env={"STATEDIFF_MAX_SENTENCES": "200"}).returncode == 0
    bad = run_cli("compare", str(text), str(text), env={"STATEDIFF_MAX_SENTENCES": "lots"})
    assert bad.returncode == 2
    assert "STATEDIFF_MAX_SENTENCES='lots' is not a count of sentences" in one_error_line(bad.stderr)


def test_a_paragraph_longer_than_any_real_one_is_split_in_linear_time() -> None:
    from statediff.engine.segment import segment

    body = " ".join(f"Growth slowed in district {k} as prices rose" + ("." if k % 3 else "") for k in range(1500))
    started = time.monotonic()
    sentences = segment(body)
    assert time.monotonic() - started < 30
    assert "".join(s.text for s in sentences).replace(" ", "") == body.replace(" ", "")
    assert 900 <= len(sentences) <= 1100


def test_two_very_long_different_sentences_are_shown_whole_not_diffed_for_minutes() -> None:
    from statediff.engine.worddiff import word_ops

    old = " ".join(f"alpha{k % 97} beta{k % 89}" for k in range(1500))
    new = " ".join(f"alpha{k % 89} beta{k % 97}" for k in range(1500))
    started = time.monotonic()
    ops, rewritten = word_ops(old, new)
    assert time.monotonic() - started < 5
    assert rewritten and [op.tag for op in ops] == ["-", "+"]

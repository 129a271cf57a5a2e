"""`statediff compare` as a user runs it (a real subprocess, the real packaged model): exit codes, bad input, -o."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from fakes import use_fake_model
from statediff.cli import main

OLD = "The leaders met at Camp David. They agreed to hold annual summits.\n\nInflation remains elevated.\n"
NEW = "The leaders met at Camp David. They agreed to hold summits every year.\n\nInflation remains elevated.\n"


def statediff_command() -> list[str]:
    script = Path(sys.executable).parent / "statediff"
    return [str(script)] if script.exists() else [sys.executable, "-m", "statediff"]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*statediff_command(), *map(str, args)], capture_output=True, text=True, timeout=300, cwd=cwd, env=os.environ.copy()
    )


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *says: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("statediff: error: ")
    for word in says:
        assert word in lines[0], lines[0]
    assert proc.stdout == ""


@pytest.mark.model
def test_exit_codes_follow_diff(pair: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = pair
    same = tmp_path / "same.txt"
    # Only typography differs: the same statement.
    same.write_text(OLD.replace("Camp David", "Camp\u00a0David").replace("They", "They"), encoding="utf-8")
    differs = run("compare", old, new)
    assert differs.returncode == 1, differs.stderr
    assert differs.stderr == ""
    assert "{+every year+}" in differs.stdout or "every year" in differs.stdout
    identical = run("compare", old, same)
    assert identical.returncode == 0, identical.stderr
    assert "3 unchanged" in identical.stdout


def make_bad(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / {"binary": "statement.pdf", "front-matter": "statement.md"}.get(kind, "statement.txt")
    if kind == "missing":
        return path
    if kind == "directory":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01<< /Type /Catalog >>\x00")
    elif kind == "not-utf8":
        path.write_bytes("Pr\u00e9sident Macron a salu\u00e9 la d\u00e9claration.\n".encode("cp1252"))
    elif kind == "header-only":
        path.write_text("title: Joint Statement\ndate: 2024-11-15\nsource: https://example.org\n\n", encoding="utf-8")
    elif kind == "front-matter":
        path.write_text("---\ntitle: [unclosed\ndate: 2024-11-15\n---\n\nThe leaders met.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("missing", ["statement.txt", "no such file"]),
        ("directory", ["statement.txt", "folder"]),
        ("empty", ["statement.txt", "empty"]),
        ("binary", ["statement.pdf", "binary"]),
        ("not-utf8", ["statement.txt", "not UTF-8", "iconv"]),
        ("front-matter", ["statement.md", "front matter"]),
        ("header-only", ["statement.txt", "no statement text"]),
    ],
)
@pytest.mark.parametrize("side", ["old", "new"])
def test_bad_input_is_one_line_and_exit_2(pair: tuple[Path, Path], tmp_path: Path, kind: str, says: list[str], side: str) -> None:
    bad = make_bad(tmp_path, kind)
    old, new = pair
    proc = run("compare", bad, new) if side == "old" else run("compare", old, bad)
    assert_one_line_error(proc, *says)


@pytest.mark.parametrize(("model", "says"), [("/nonexistent", "does not exist"), ("some-hub-name", "cannot load")])
def test_a_model_that_cannot_be_loaded_offline_is_one_line(pair: tuple[Path, Path], model: str, says: str) -> None:
    proc = run("compare", *pair, "--model", model)
    assert_one_line_error(proc, model, says, "--model")


@pytest.mark.model
@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".json", lambda text: json.loads(text)["schema"] == "statediff/comparison/2"),
        (".md", lambda text: text.startswith("#") and "\x1b[" not in text),
        (".html", lambda text: text.lstrip().lower().startswith("<!doctype html")),
        (".txt", lambda text: text.startswith("--- ") and "\x1b[" not in text),
    ],
)
def test_output_format_follows_the_o_suffix(
    pair: tuple[Path, Path], tmp_path: Path, suffix: str, check: Callable[[str], bool]
) -> None:
    out = tmp_path / f"report{suffix}"
    proc = run("compare", *pair, "-o", out)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert check(out.read_text(encoding="utf-8"))
    assert out.stat().st_mode & 0o044 == 0o044  # readable like any file the user creates (umask 022)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.model
def test_format_option_wins_over_the_suffix_and_matches_stdout(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    written = run("compare", *pair, "--format", "json", "-o", out)
    printed = run("compare", *pair, "--format", "json")
    assert written.returncode == printed.returncode == 1
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(printed.stdout)


def test_a_failing_run_leaves_an_existing_output_untouched(pair: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")
    proc = run("compare", pair[0], tmp_path / "missing.txt", "-o", out)
    assert_one_line_error(proc, "missing.txt")
    assert out.read_text(encoding="utf-8") == "previous report\n"


def test_output_into_a_missing_folder_fails_before_comparing(pair: tuple[Path, Path], tmp_path: Path) -> None:
    cache = tmp_path / "fresh-cache"
    proc = subprocess.run(
        [*statediff_command(), "compare", *map(str, pair), "-o", str(tmp_path / "no-such-folder" / "report.json")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "STATEDIFF_CACHE_DIR": str(cache)},
    )
    assert_one_line_error(proc, "no-such-folder", "does not exist")
    assert not (tmp_path / "no-such-folder").exists()
    assert not cache.exists()  # nothing was segmented or embedded: the run stopped at once


def test_a_write_error_midway_leaves_no_partial_file(
    pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full disk cannot be arranged for a subprocess; fail the flush in-process instead.
    use_fake_model(monkeypatch, tmp_path / "c")
    out = tmp_path / "report.json"
    out.write_text("previous report\n", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    result = CliRunner().invoke(main, ["compare", *map(str, pair), "-o", str(out)])
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c", "new.txt", "old.txt", "report.json"]


def test_segmented_files_are_compared_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # In-process with the fake embedder: how lines become sentences does not depend on the model.
    use_fake_model(monkeypatch, tmp_path / "c")
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("The leaders met at Camp David. They agreed.\n\nInflation remains elevated.\n", encoding="utf-8")
    new.write_text("The leaders met at Camp David. They agreed.\nInflation remains elevated.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "--segmented", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["text"] for s in doc["new"]["sentences"]] == [
        "The leaders met at Camp David. They agreed.",
        "Inflation remains elevated.",
    ]
    assert [s["paragraph"] for s in doc["old"]["sentences"]] == [0, 1]


def test_usage_errors_exit_2(pair: tuple[Path, Path]) -> None:
    proc = run("compare", pair[0])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = run("compare", *pair, "--format", "pdf")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.mark.model
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings_and_crlf_read_as_the_same_statement(pair: tuple[Path, Path], tmp_path: Path, encoding: str) -> None:
    other = tmp_path / f"old-{encoding}.txt"
    other.write_bytes(OLD.replace("\n", "\r\n").encode(encoding))  # Python's utf-16 codec writes a BOM
    proc = run("compare", pair[0], other)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("which", [0, 1])
def test_o_never_overwrites_an_input_statement(pair: tuple[Path, Path], tmp_path: Path, which: int) -> None:
    target = pair[which]
    before = target.read_bytes()
    proc = run("compare", *pair, "-o", target.parent / "." / target.name)  # the same file, spelled differently
    assert_one_line_error(proc, "OLD" if which == 0 else "NEW", "overwrite")
    assert target.read_bytes() == before


def test_output_onto_a_folder_is_one_line(pair: tuple[Path, Path], tmp_path: Path) -> None:
    proc = run("compare", *pair, "-o", tmp_path)
    assert_one_line_error(proc, "is a folder")


@pytest.mark.parametrize("name", ["report.pdf", "report"])
def test_an_output_name_that_names_no_format_is_refused(pair: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    # -o report.pdf used to write plain text under a name promising a PDF; refused before any work is done.
    out = tmp_path / name
    result = CliRunner().invoke(main, ["compare", *map(str, pair), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot tell the output format" in result.stderr and "--format" in result.stderr
    assert not out.exists()


def test_swapped_dates_warn_and_compare_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_model(monkeypatch, tmp_path / "c")
    later, earlier = tmp_path / "later.md", tmp_path / "earlier.md"
    later.write_text("---\ntitle: B\ndate: 2023-09-20\n---\n\nThe rate was held.\n", encoding="utf-8")
    earlier.write_text("---\ntitle: A\ndate: 2023-07-26\n---\n\nThe rate was raised.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["compare", str(later), str(earlier), "--format", "json"])
    assert result.exit_code == 1
    assert "OLD is dated 2023-09-20, after NEW (2023-07-26); did you mean to swap them?" in result.stderr
    assert json.loads(result.stdout)["old"]["date"] == "2023-09-20"
    in_order = CliRunner().invoke(main, ["compare", str(earlier), str(later), "--format", "json"])
    assert in_order.exit_code == 1 and in_order.stderr == ""

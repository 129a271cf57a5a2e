"""Reading statement files: front matter, the corpus header, plain text, encodings, line endings, bad input."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from statediff.errors import StatediffError
from statediff.read.ingest import decode, parse_text, read_document

BODY = "The Committee decided to maintain the target range.\n\nInflation remains elevated."


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_yaml_front_matter_gives_title_date_source_and_the_body_after_it(tmp_path: Path) -> None:
    text = "---\ntitle: FOMC statement\ndate: 2023-07-26\nsource: https://example.org/a\nissuers: [FOMC]\n---\n\n" + BODY + "\n"
    doc = read_document(write(tmp_path, "a.md", text))
    assert (doc.title, doc.date, doc.source) == ("FOMC statement", dt.date(2023, 7, 26), "https://example.org/a")
    assert doc.meta["issuers"] == ["FOMC"]
    assert doc.body == BODY
    assert doc.path == str(tmp_path / "a.md")


def test_corpus_header_format_is_metadata_not_statement_text(corpus: Path) -> None:
    doc = read_document(corpus / "fomc" / "2023-07-26-fomc-statement.txt")
    assert doc.title is not None and "FOMC" in doc.title
    assert doc.date == dt.date(2023, 7, 26)
    assert doc.source is not None and doc.source.startswith("http")
    assert not doc.body.lower().startswith(("title:", "date:", "source:"))
    assert doc.body.startswith("Recent indicators")


def test_header_lines_without_a_blank_line_after_them_are_prose() -> None:
    doc = parse_text("Title: the committee met today\nand it decided to hold rates.")
    assert doc.title is None
    assert doc.body.startswith("Title: the committee")


def test_plain_text_has_no_metadata() -> None:
    doc = parse_text(BODY)
    assert (doc.title, doc.date, doc.source) == (None, None, None)
    assert doc.body == BODY


@pytest.mark.parametrize(
    "encoded",
    [
        codecs.BOM_UTF8 + BODY.encode("utf-8"),
        codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + BODY.encode("utf-16-be"),
        BODY.replace("\n", "\r\n").encode("utf-8"),
        codecs.BOM_UTF16_LE + BODY.replace("\n", "\r\n").encode("utf-16-le"),
        codecs.BOM_UTF32_LE + BODY.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + BODY.encode("utf-32-be"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "crlf", "utf-16-le-crlf", "utf-32-le-bom", "utf-32-be-bom"],
)
def test_encodings_and_line_endings_read_to_the_same_document(tmp_path: Path, encoded: bytes) -> None:
    doc = read_document(write(tmp_path, "s.txt", encoded))
    assert doc.body == BODY


def test_bom_and_crlf_do_not_hide_the_front_matter(tmp_path: Path) -> None:
    text = "---\r\ntitle: Lima\r\ndate: 2024-11-15\r\n---\r\n" + BODY.replace("\n", "\r\n")
    doc = read_document(write(tmp_path, "s.md", codecs.BOM_UTF8 + text.encode("utf-8")))
    assert doc.title == "Lima" and doc.date == dt.date(2024, 11, 15)
    assert doc.body == BODY


def test_non_ascii_utf8_is_kept_as_written(tmp_path: Path) -> None:
    text = "Prime Minister Kishida\u00a0Fumio welcomed the \u201cSpirit of Camp David\u201d \u2014 and Pre\u00adsident Yoon."
    assert read_document(write(tmp_path, "s.txt", text)).body == text


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n\t\n", "is empty"),
        ("binary.dat", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00", "binary"),
        ("latin1.txt", "Caf\u00e9 society met.".encode("latin-1"), "not UTF-8"),
        ("utf16-no-bom.txt", BODY.encode("utf-16-le"), "UTF-16"),
        ("unclosed.md", b"---\ntitle: x\nBody never closed.\n", "never closed"),
        ("bad-yaml.md", b"---\ntitle: [unclosed\n---\nBody.\n", "malformed YAML"),
        ("list.md", b"---\n- a\n- b\n---\nBody.\n", "mapping"),
        ("bad-date.md", b"---\ntitle: T\ndate: 2023-13-45\n---\nBody.\n", "impossible value"),
        ("word-date.md", b"---\ntitle: T\ndate: yesterday\n---\nBody.\n", "YYYY-MM-DD"),
        ("header-only.md", b"---\ntitle: T\n---\n", "no statement text"),
    ],
)
def test_bad_files_raise_one_line_naming_the_file(tmp_path: Path, name: str, data: bytes, says: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(StatediffError) as info:
        read_document(path)
    message = str(info.value)
    assert says in message
    assert message.startswith(str(path))
    assert "\n" not in message


def test_missing_path_and_folder_are_errors_not_text(tmp_path: Path) -> None:
    with pytest.raises(StatediffError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(StatediffError, match="folder"):
        read_document(tmp_path)


def test_utf16_bom_with_broken_body_is_an_error_not_garbage() -> None:
    with pytest.raises(StatediffError, match="UTF-16"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8A", "x.txt")  # a lone high surrogate
    with pytest.raises(StatediffError, match="binary"):
        decode(codecs.BOM_UTF16_LE + b"A\x00\x00\x00B\x00", "x.txt")  # decodes, but to NUL characters


def test_segmented_file_is_read_as_given(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "s.txt", "One sentence. Still the same line.\nSecond line.\n"), segmented=True)
    assert doc.body == "One sentence. Still the same line.\nSecond line."

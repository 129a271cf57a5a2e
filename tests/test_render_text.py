"""The terminal report: marks per kind, wdiff-style word changes, colour only when asked, statement text defused."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

import statediff
from fakes import FakeEmbedder
from statediff.render import render

OLD = "The leaders met at Camp David. They agreed to hold annual summits.\n\nInflation remains elevated.\n"
NEW = "The leaders met at Camp David. They agreed to hold summits every year.\n\nInflation remains elevated.\n"


def test_each_change_is_a_line_with_its_mark_then_the_counts(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(
        "Inflation remains elevated. The Committee decided to raise the target range. Growth was solid.",
        "Inflation remains elevated. The Committee decided to maintain the target range. A new sentence appears here.",
        embedder=fake_embedder,
    )
    lines = render(c, "text").splitlines()
    assert lines[:2] == ["--- old", "+++ new"]
    assert "  Inflation remains elevated." in lines
    assert "~ The Committee decided to [-raise-]{+maintain+} the target range." in lines
    # An added or removed sentence names the closest sentence of the other statement, so a reader can check it.
    added = next(line for line in lines if line.startswith("+ A new sentence appears here."))
    removed = next(line for line in lines if line.startswith("- Growth was solid."))
    assert re.fullmatch(r"\+ A new sentence appears here\.  \[closest in the old statement: old \d, 0\.\d\d\]", added)
    assert re.fullmatch(r"- Growth was solid\.  \[closest in the new statement: new \d, 0\.\d\d\]", removed)
    assert lines[-1] == "1 modified · 1 added · 1 removed · 1 unchanged"
    assert "\x1b[" not in "\n".join(lines)


def test_colour_marks_words_with_ansi_when_asked(fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare("They decided to raise rates.", "They decided to maintain rates.", embedder=fake_embedder)
    text = render(c, "text", color=True)
    assert "\x1b[31m\x1b[9mraise\x1b[0m" in text and "\x1b[32m\x1b[4mmaintain\x1b[0m" in text


def test_statement_typography_is_shown_as_written(fake_embedder: FakeEmbedder) -> None:
    sentence = "In this spirit, Pre\u00adsident Biden met Prime\u00a0Minister Kishida\u202fFumio."
    text = render(statediff.compare([sentence], [sentence, "New."], embedder=fake_embedder), "text")
    assert sentence in text and "\ufffd" not in text


@pytest.mark.parametrize("evil", ["\x1b[2J\x1b[31mred", "\x07bell", "\u202eevil", "\x9b31m"])
def test_control_and_bidi_characters_never_reach_the_terminal(evil: str, fake_embedder: FakeEmbedder) -> None:
    c = statediff.compare(["The leaders met."], [f"The leaders met {evil} here."], embedder=fake_embedder)
    plain, coloured = render(c, "text"), render(c, "text", color=True)
    assert evil[0] not in plain and "\ufffd" in plain
    assert evil[:4] not in coloured and "\ufffd" in coloured


@pytest.mark.model
def test_colour_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    script = Path(sys.executable).parent / "statediff"
    outputs = {}
    for no_color in ("", "1"):
        leader, follower = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | ({"NO_COLOR": no_color} if no_color else {})
        proc = subprocess.run(
            [str(script), "compare", str(old), str(new)], stdout=follower, stderr=subprocess.PIPE, env=env, timeout=300
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.returncode == 1, proc.stderr
        outputs[no_color] = b"".join(chunks).decode()
    assert "\x1b[" in outputs[""]
    assert "\x1b[" not in outputs["1"] and "{+" in outputs["1"]


def test_changed_date_and_source_of_one_statement_show_in_the_header(fake_embedder: FakeEmbedder) -> None:
    # A reviewer of an edited statement file must see a changed date or source even when no sentence changed.
    old = "---\ntitle: FOMC statement\ndate: 2023-09-20\nsource: https://example.org/a\nissuers: [FOMC]\n---\n\n" + OLD
    new = "---\ntitle: FOMC statement\ndate: 2023-09-21\nsource: https://example.org/b\nissuers: [FOMC]\n---\n\n" + OLD
    lines = render(statediff.compare(old, new, embedder=fake_embedder), "text").splitlines()
    assert lines[:3] == [
        "--- FOMC statement (2023-09-20)",
        "+++ FOMC statement (2023-09-21)",
        "# source: https://example.org/a -> https://example.org/b",
    ]
    assert not any(line.startswith("# issuers") for line in lines)

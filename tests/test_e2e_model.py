"""End to end with the real packaged model on real statements from ../shared/corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import statediff
from invariants import assert_sound
from model_support import cold_cache

pytestmark = pytest.mark.model

FOMC = ("fomc", "2023-07-26-fomc-statement.txt", "2023-09-20-fomc-statement.txt")
TRILATERAL = (
    "us-japan-rok-trilateral",
    "2023-08-18-spirit-of-camp-david-joint-statement.txt",
    "2024-11-15-lima-joint-leaders-statement.txt",
)


def paths(corpus: Path, pair: tuple[str, str, str]) -> tuple[Path, Path]:
    return corpus / pair[0] / pair[1], corpus / pair[0] / pair[2]


def cli_json(old: Path, new: Path, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, "-m", "statediff", "compare", str(old), str(new), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env or os.environ.copy(),
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_fomc_rate_decision_is_modified_from_raise_to_maintain(corpus: Path) -> None:
    old, new = paths(corpus, FOMC)
    doc = statediff.compare(old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")).to_dict()
    assert_sound(doc)
    assert doc["old"]["date"] == "2023-07-26" and doc["new"]["date"] == "2023-09-20"
    rate = [ch for ch in doc["changes"] if any("federal funds rate" in doc["new"]["sentences"][j]["text"] for j in ch["new"])]
    assert len(rate) == 1
    assert rate[0]["kind"] == "modified"
    assert ["-", "raise"] in rate[0]["ops"] and ["+", "maintain"] in rate[0]["ops"]
    kept = "".join(text for tag, text in rate[0]["ops"] if tag == "=")
    assert "5-1/4 to 5-1/2 percent" in kept  # the range itself did not change
    votes = next(ch for ch in doc["changes"] if any("Voting for" in doc["new"]["sentences"][j]["text"] for j in ch["new"]))
    assert votes["kind"] == "modified" and any(tag == "+" and "Kugler" in text for tag, text in votes["ops"])
    assert doc["summary"]["unchanged"] >= 10
    assert doc["summary"]["added"] == doc["summary"]["removed"] == 0


def test_trilateral_statements_cover_every_sentence_once_with_moves(corpus: Path) -> None:
    old, new = paths(corpus, TRILATERAL)
    code, doc = cli_json(old, new)
    assert code == 1
    assert_sound(doc)  # each old and new index in exactly one change, ops rebuild the texts, summary counts
    assert len(doc["old"]["sentences"]) > 50 and len(doc["new"]["sentences"]) > 50
    assert doc["summary"]["moved"] >= 1
    assert doc["summary"]["added"] >= 1 and doc["summary"]["removed"] >= 1


def test_python_api_and_cli_json_are_the_same_document(corpus: Path) -> None:
    old, new = paths(corpus, FOMC)
    code, from_cli = cli_json(old, new)
    comparison = statediff.compare(old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8"))
    from statediff.positions.digest import analyse
    from statediff.render.json import with_positions

    assert code == 1
    # The CLI's document is to_dict() plus the positions layer, computed the same way from Python.
    assert from_cli == json.loads(json.dumps(with_positions(comparison, analyse(comparison)), ensure_ascii=False))
    assert {k: v for k, v in from_cli.items() if k != "positions"} | {
        "changes": [{k: v for k, v in ch.items() if k != "marks"} for ch in from_cli["changes"]]
    } == comparison.to_dict()


DRIVER = """
import sys
from statediff.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
runtime = sorted(m for m in ("onnxruntime", "tokenizers") if m in sys.modules)
lazy = sorted(m for m in ("pysbd", "jinja2", "yaml", "bs4") if m in sys.modules)
print(f"EXIT {code} HEAVY {heavy} RUNTIME {runtime} LAZY {lazy}", file=sys.stderr)
"""


def test_a_cold_comparison_runs_without_torch_and_a_cached_one_without_any_model(
    corpus: Path, tmp_path: Path, prepared_model: Path
) -> None:
    old, new = paths(corpus, FOMC)
    env = {**os.environ, "STATEDIFF_CACHE_DIR": str(cold_cache(tmp_path / "cache", prepared_model))}
    args = [sys.executable, "-c", DRIVER, "compare", str(old), str(new), "--format", "json"]
    cold = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    warm = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    # Nothing else on stderr: no warnings or progress bars. Cold: the ONNX runtime embeds, torch is never imported.
    assert cold.stderr.strip() == "EXIT 1 HEAVY [] RUNTIME ['onnxruntime', 'tokenizers'] LAZY ['pysbd']", cold.stderr
    # Warm: sentence boundaries and vectors come from the caches; HTML and YAML support are not needed for text.
    assert warm.stderr.strip() == "EXIT 1 HEAVY [] RUNTIME [] LAZY []", warm.stderr
    assert json.loads(warm.stdout) == json.loads(cold.stdout)  # vectors from the cache give the same result


def test_same_statements_same_output_across_processes(corpus: Path) -> None:
    old, new = paths(corpus, TRILATERAL)
    runs = [cli_json(old, new) for _ in range(2)]
    assert runs[0] == runs[1]


def test_a_statement_against_itself_is_unchanged_and_exits_0(corpus: Path) -> None:
    old, _ = paths(corpus, TRILATERAL)
    code, doc = cli_json(old, old)
    assert code == 0
    assert set(doc["summary"]) >= {"unchanged"} and doc["summary"]["unchanged"] == len(doc["changes"]) == len(
        doc["new"]["sentences"]
    )


@pytest.mark.parametrize(
    ("series", "old", "new"),
    [
        ("g7-leaders", "2022-12-12-g7-leaders-statement.txt", "2023-02-24-g7-leaders-statement.txt"),
        ("quad-leaders", "2021-09-24-quad-leaders-joint-statement.txt", "2022-05-24-quad-joint-leaders-statement-tokyo.txt"),
    ],
)
def test_no_change_joins_several_old_to_several_new_sentences(corpus: Path, series: str, old: str, new: str) -> None:
    from statediff.read.ingest import read_document

    c = statediff.compare(read_document(corpus / series / old), read_document(corpus / series / new))
    many_to_many = [(ch.kind, ch.old, ch.new) for ch in c.changes if len(ch.old) > 1 and len(ch.new) > 1]
    assert many_to_many == []

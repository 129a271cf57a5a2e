"""Issue 8, how runs end (numbered as in the issue): usage errors, Ctrl-C, a full or closed standard output, and any
failure nobody foresaw. Each is the real command in its own process: one line on stderr, a diff-like exit code."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_statediff import HERE, run_cli
from git_support import STATEDIFF

pytest_plugins = ["folder_fixtures"]  # fixtures: project, fake_model, pair


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("statediff: error: "), stderr
    return lines[0]


# 7 -----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "says"), [
    (["compare", "a.txt", "-dash.txt"], "No such option '-d' (a file name starting with '-' goes after --"),
    (["compare", "a.txt"], "Missing argument 'NEW'"),
    (["compare", "a.txt", "b.txt", "--format", "pdf"], "Invalid value for '--format'"),
    (["review", "--out", "a.txt"], "Invalid value for '--out'"),
    (["report", "--series"], "Option '--series' requires an argument"),
    (["frobnicate"], "No such command 'frobnicate'"),
    (["list", "--format", "yaml"], "Invalid value for '--format'"),
    (["add", "a.txt", "--bogus"], "No such option '--bogus'"),
    (["check", "--statements"], "Option '--statements' requires an argument"),
])
def test_7_usage_errors_are_one_line_and_exit_2(pair: tuple[Path, Path], args: list[str], says: str) -> None:
    result = run_cli(*args, cwd=pair[0].parent)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert says in line and line.endswith("--help"), line
    assert result.stdout == ""


# 16 ----------------------------------------------------------------------------------------------------------------

def interrupt(args: list[str], cwd: Path, after: float, onnx: Path) -> subprocess.CompletedProcess[str]:
    """Run the real statediff with an empty vector cache (so it loads the model) and press Ctrl-C after ``after`` s.

    The model's one-time ONNX export (``onnx``, made once per session) is linked in, so the run loads and embeds
    instead of printing the export's status line first.
    """
    env = {k: v for k, v in os.environ.items() if k != "STATEDIFF_DEBUG"}
    cache = cwd / "empty-cache"
    cache.mkdir(exist_ok=True)
    (cache / "onnx").symlink_to(onnx, target_is_directory=True)
    env["STATEDIFF_CACHE_DIR"] = str(cache)
    child = subprocess.Popen([STATEDIFF, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    assert child.poll() is None, "finished before the interrupt"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


def long_statement(side: str) -> str:
    """Enough new sentences that embedding them takes several seconds even on the fast runtime, so the interrupt
    lands while the run is busy (a short statement now compares in under a second)."""
    return "\n\n".join(f"The {side} Committee reviewed item {k} of its agenda on regional matter number {k * 7}."
                         for k in range(2500))


def test_16_ctrl_c_during_compare_exits_130_with_one_line(tmp_path: Path, prepared_model: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(long_statement("first"), encoding="utf-8")
    b.write_text(long_statement("second"), encoding="utf-8")
    result = interrupt(["compare", str(a), str(b)], tmp_path, after=1.5, onnx=prepared_model)
    assert result.returncode == 130, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["statediff: interrupted; nothing half-written was left behind"], result.stderr


def test_16_ctrl_c_during_report_exits_130_and_leaves_no_half_report(project, prepared_model: Path) -> None:  # type: ignore[no-untyped-def]
    for n, side in enumerate(("first", "second")):
        text = f"title: Statement {n}\ndate: 2024-0{n + 1}-01\n\n" + long_statement(side)
        result = project.add(f"s{n}.txt", text, "--series", "fomc", "--issuer", "X", "--no-report", "--notes", "test")
        assert result.exit_code == 0, result.output
    result = interrupt(["report"], project.root, after=1.5, onnx=prepared_model)
    assert result.returncode == 130, result.stderr
    assert "statediff: interrupted" in result.stderr and "Traceback" not in result.stderr
    assert [p for p in project.reports.rglob("*") if p.suffix in (".html", ".json", ".tmp") and p.parent.name == "fomc"] == []


# 21 ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["compare", "a.txt", "b.txt"], ["compare", "a.txt", "b.txt", "--format", "json"],
                                  ["--help"], ["list"]])
def test_21_a_full_stdout_is_one_line_exit_2(pair: tuple[Path, Path], args: list[str]) -> None:
    (pair[0].parent / "statements" / "fomc").mkdir(parents=True, exist_ok=True)
    with open("/dev/full", "w") as full:
        result = run_cli(*args, cwd=pair[0].parent, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert "cannot write the output (No space left on device)" in one_error_line(result.stderr)


def test_a_closed_pipe_ends_quietly(pair: tuple[Path, Path]) -> None:
    script = f"{sys.executable} {HERE / 'fake_statediff.py'} compare {pair[0]} {pair[1]} --format json | head -c 10"
    env = {k: v for k, v in os.environ.items() if k != "STATEDIFF_DEBUG"}
    done = subprocess.run(["bash", "-o", "pipefail", "-c", script], capture_output=True, text=True, env=env, check=False)
    assert done.stdout == '{\n  "schem'
    assert done.stderr == "" and done.returncode in (0, 1)


# anything else ------------------------------------------------------------------------------------------------------

def test_an_unforeseen_failure_is_one_line_naming_it(pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import statediff.engine.pipeline
    from statediff.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk caught fire\nsecond line")

    monkeypatch.setattr(statediff.engine.pipeline, "compare", broken)
    monkeypatch.delenv("STATEDIFF_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["compare", str(pair[0]), str(pair[1])])
    assert result.exit_code == 2
    assert one_error_line(result.stderr) == (
        "statediff: error: unexpected RuntimeError: the disk caught fire second line; this is a statediff bug, "
        "please report it (run with STATEDIFF_DEBUG=1 for the traceback)")
    monkeypatch.setenv("STATEDIFF_DEBUG", "1")
    result = CliRunner().invoke(main, ["compare", str(pair[0]), str(pair[1])])
    assert isinstance(result.exception, RuntimeError)


def test_a_file_name_with_a_newline_or_escape_sequence_stays_one_line(pair: tuple[Path, Path]) -> None:
    result = run_cli("compare", str(pair[0]), "evil\nstatediff: ok\x1b[2J.txt", cwd=pair[0].parent)
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "\x1b" not in line and "evil\ufffdstatediff: ok\ufffd[2J.txt: no such file" in line

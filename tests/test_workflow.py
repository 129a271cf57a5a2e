"""The CI pieces: the pull-request workflow, the composite action and the pre-commit hook.

GitHub itself cannot run here. What can run does: the YAML is loaded and its triggers, permissions and steps
asserted; the shell of the review steps runs for real in a git repository; the comment script runs under
Node with a stand-in for GitHub's API; the hook's command runs on statement files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from git_support import STATEDIFF, Repo
from statediff.gitreview.markdown import MARKER

pytest_plugins = ["git_fixtures"]  # fixtures: git_env, history

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "statement-review.yml"
ACTION = ROOT / "action.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
PINNED = re.compile(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def workflow_steps() -> list[dict[str, Any]]:
    jobs = load(WORKFLOW)["jobs"]
    assert list(jobs) == ["review"]
    steps = jobs["review"]["steps"]
    assert isinstance(steps, list)
    return steps


def step(steps: list[dict[str, Any]], uses: str) -> dict[str, Any]:
    found = [s for s in steps if str(s.get("uses", "")).startswith(uses + "@")]
    assert len(found) == 1, f"one step using {uses}"
    return found[0]


def test_workflow_triggers_and_least_permissions() -> None:
    data = load(WORKFLOW)
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert triggers == {"pull_request": {"paths": ["statements/**"]}}  # never pull_request_target: no secrets for forks
    assert data["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert "permissions" not in data["jobs"]["review"]


def test_workflow_steps_are_pinned_and_in_order() -> None:
    steps = workflow_steps()
    uses = [s["uses"] for s in steps if "uses" in s]
    assert all(PINNED.fullmatch(u) for u in uses), uses
    assert [u.split("@")[0] for u in uses] == [
        "actions/checkout", "actions/setup-python", "actions/upload-artifact", "actions/github-script"]
    assert step(steps, "actions/checkout")["with"] == {"fetch-depth": 0, "persist-credentials": False}
    runs = [s for s in steps if "run" in s]
    install, review = runs
    assert "pip install" in install["run"]
    assert "statediff review --base \"$BASE_SHA\" --head HEAD --out \"$OUT\"" in review["run"]
    assert review["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert '>> "$GITHUB_STEP_SUMMARY"' in review["run"]
    upload = step(steps, "actions/upload-artifact")
    assert upload["with"]["path"].rstrip("/") == load(WORKFLOW)["jobs"]["review"]["env"]["OUT"]
    comment = step(steps, "actions/github-script")["with"]["script"]
    assert f"const marker = '{MARKER}';" in comment
    assert "updateComment" in comment and "createComment" in comment
    # Untrusted values reach the shell only through env, never pasted in by ${{ }} (script injection).
    for s in runs:
        assert "${{" not in s["run"]


def test_action_is_composite_with_the_same_steps() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert all(PINNED.fullmatch(s["uses"]) for s in steps if "uses" in s)
    assert [s["uses"].split("@")[0] for s in steps if "uses" in s] == [
        "actions/setup-python", "actions/upload-artifact", "actions/github-script"]
    for s in steps:
        if "run" in s:
            assert s["shell"] == "bash" and "${{" not in s["run"]
    assert '"$GITHUB_ACTION_PATH"' in steps[1]["run"]  # installs statediff from the action's own source
    assert {"base", "head", "out", "comment", "github-token"} <= set(action["inputs"])
    assert step(steps, "actions/github-script")["with"]["github-token"] == "${{ inputs.github-token }}"


def run_step(script: str, repo: Repo, tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], str, str]:
    """A step's shell as GitHub runs it (bash -e), with statediff on PATH and GitHub's output files."""
    output, summary = tmp_path / "github_output", tmp_path / "step_summary"
    output.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    full = {**os.environ, **env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
            "PATH": f"{Path(STATEDIFF).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-e", "-c", script], cwd=repo.root, env=full, capture_output=True, text=True,
                          timeout=600, check=False)
    return done, output.read_text(encoding="utf-8"), summary.read_text(encoding="utf-8")


def test_the_install_step_needs_to_be_told_what_to_install(history: Repo, tmp_path: Path) -> None:
    """In a repository of statements without STATEDIFF_SPEC it stops before pip, rather than guess a package."""
    script = next(s for s in workflow_steps() if "run" in s)["run"]
    done, _, _ = run_step(script, history, tmp_path, {"STATEDIFF_SPEC": ""})
    assert done.returncode == 2
    assert done.stdout.startswith("::error::set the repository variable STATEDIFF_SPEC")
    assert "pip" not in done.stderr


@pytest.mark.model
def test_the_review_steps_shell_runs(history: Repo, tmp_path: Path) -> None:
    base = history.git("rev-parse", "main").strip()
    script = [s for s in workflow_steps() if "run" in s][1]["run"]
    done, output, summary = run_step(script, history, tmp_path, {"BASE_SHA": base, "OUT": "statediff-review"})
    assert done.returncode == 0, done.stderr  # exit 1 of statediff review is the normal case: the step passes
    assert "exit-code=1" in output
    assert summary.startswith(MARKER) and "4 statements changed" in summary
    assert (history.root / "statediff-review/fomc/2023-09-20-fomc-statement.html").is_file()
    # The composite action's step: same command, inputs through env.
    action_script = [s for s in load(ACTION)["runs"]["steps"] if "run" in s][1]["run"]
    done, output, summary = run_step(action_script, history, tmp_path,
                                     {"BASE": base, "HEAD_REF": "HEAD", "STATEMENTS": "", "OUT": "out2"})
    assert done.returncode == 0, done.stderr
    assert "exit-code=1" in output and "summary=out2/review.md" in output
    assert (history.root / "out2/review.md").read_text(encoding="utf-8") == summary
    # An error fails the step.
    done, output, _ = run_step(script, history, tmp_path, {"BASE_SHA": "0" * 40, "OUT": "statediff-review"})
    assert done.returncode == 2 and "exit-code=2" in output
    assert done.stderr.strip().startswith("statediff: error: unknown ref")


NODE_HARNESS = """
const fs = require('fs');
const script = fs.readFileSync(process.argv[2], 'utf8');
const state = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const calls = [], warnings = [];
const record = (name) => async (args) => {
  calls.push([name, args]);
  if (state.fail) throw new Error('Resource not accessible by integration');
};
const github = {
  paginate: async (fn, args) => { calls.push(['list', args]); return state.comments; },
  rest: { issues: { listComments: 'listComments', updateComment: record('update'), createComment: record('create') } },
};
const context = { repo: { owner: 'o', repo: 'r' }, payload: { pull_request: { number: 7 } } };
const core = { warning: (m) => warnings.push(m) };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core)
  .then(() => console.log(JSON.stringify({ calls, warnings })))
  .catch((e) => { console.error(e); process.exit(3); });
"""


@pytest.fixture
def comment_script(tmp_path: Path) -> Any:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: cannot run the github-script step")
    harness = tmp_path / "harness.js"
    harness.write_text(NODE_HARNESS, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "review.md").write_text(f"{MARKER}\n## statediff: 1 statement changed\n", encoding="utf-8")

    def run(script: str, comments: list[dict[str, Any]], exit_code: str = "1", fail: bool = False,
            artifact: str = "") -> dict[str, Any]:
        (tmp_path / "script.js").write_text(script, encoding="utf-8")
        (tmp_path / "state.json").write_text(json.dumps({"comments": comments, "fail": fail}), encoding="utf-8")
        env = {**os.environ, "OUT": "out", "REVIEW_EXIT": exit_code, "ARTIFACT_URL": artifact}
        done = subprocess.run(["node", str(harness), "script.js", "state.json"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=False, timeout=60)
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result

    return run


@pytest.mark.parametrize("source", ["workflow", "action"])
def test_one_comment_updated_on_each_push(comment_script: Any, source: str) -> None:
    steps = workflow_steps() if source == "workflow" else load(ACTION)["runs"]["steps"]
    script = step(steps, "actions/github-script")["with"]["script"]
    bot = {"id": 11, "user": {"type": "Bot", "login": "github-actions[bot]"}, "body": f"{MARKER}\nold review"}
    human = {"id": 12, "user": {"type": "User", "login": "reviewer"}, "body": f"{MARKER}\nquoted by a person"}
    # First push: no comment yet -> one is created, with the summary and the artifact link.
    first = comment_script(script, [human], artifact="https://github.com/o/r/actions/runs/1/artifacts/2")
    created = [c for c in first["calls"] if c[0] == "create"]
    assert len(created) == 1 and created[0][1]["issue_number"] == 7
    assert created[0][1]["body"].startswith(MARKER)
    assert "[the statediff-review artifact](https://github.com/o/r/actions/runs/1/artifacts/2)" in created[0][1]["body"]
    # Later pushes: the bot's comment is updated in place, never a second one; the person's is left alone.
    later = comment_script(script, [human, bot])
    assert [c[0] for c in later["calls"]] == ["list", "update"]
    assert later["calls"][1][1]["comment_id"] == 11
    # Nothing changed and nothing posted before: no comment at all.
    assert [c[0] for c in comment_script(script, [], exit_code="0")["calls"]] == ["list"]
    # A fork's read-only token: a warning, not a failed job.
    failed = comment_script(script, [], fail=True)
    assert failed["warnings"] and "could not comment" in failed["warnings"][0]


def test_pre_commit_hook_runs_check_on_statement_files(history: Repo) -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["statediff-check"]
    hook = hooks[0]
    assert hook["entry"] == "statediff check" and hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.search("statements/fomc/2023-09-20-fomc-statement.md") and not files.search("README.md")
    # What pre-commit runs: the entry with the staged files that match.
    history.write("statements/fomc/2023-10-01-fomc-statement.md", "---\ntitle: Bad\ndate: 2023-10-02\n---\n\nText.\n")
    staged = ["statements/fomc/2023-09-20-fomc-statement.md", "statements/fomc/2023-10-01-fomc-statement.md"]
    done = subprocess.run([STATEDIFF, *hook["entry"].split()[1:], *staged], cwd=history.root, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert "statements/fomc/2023-10-01-fomc-statement.md: date 2023-10-02 does not match the file name" in done.stdout
    assert "2023-09-20" not in done.stdout

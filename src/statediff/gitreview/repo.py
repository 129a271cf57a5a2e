"""Running git for ``review`` and the git commands: the repository, refs, changed paths, blobs.

Every failure becomes a ``StatediffError`` in one line that says what to do; git's own stderr is kept to its
first line. Git runs with ``--no-ext-diff --no-textconv`` wherever it diffs, so our own installed driver never
feeds back into a review.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from statediff.errors import StatediffError

FileStatus = Literal["added", "modified", "renamed", "deleted"]
_STATUS: dict[str, FileStatus] = {"A": "added", "M": "modified", "T": "modified", "R": "renamed", "D": "deleted", "C": "added"}
_TIMEOUT = 300


@dataclass(frozen=True)
class ChangedPath:
    """One path that differs between two trees, as ``git diff --name-status -M`` reports it."""

    status: FileStatus
    """What happened to it."""
    path: str
    """Repository-relative path on the head side (on the base side for ``deleted``)."""
    old_path: str | None = None
    """Repository-relative path on the base side (``modified``, ``renamed``, ``deleted``)."""


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def run_git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """``git args...`` in ``root``; with ``check``, a failure is a StatediffError naming the command."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=_TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise StatediffError("git is not installed (or not on PATH); install git and run again") from exc
    except subprocess.TimeoutExpired as exc:
        raise StatediffError(f"git {args[0]} took over {_TIMEOUT} s; check the repository (git fsck) and run again") from exc
    if check and done.returncode != 0:
        raise StatediffError(f"git {args[0]} failed: {_first_line(done.stderr) or f'exit {done.returncode}'}")
    return done


def repo_root(cwd: Path) -> Path:
    """The top folder of the git working tree holding ``cwd``."""
    done = run_git(cwd, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise StatediffError(
            f"{cwd.resolve()}: not inside a git working tree; run this in a clone of your statements repository"
        )
    return Path(done.stdout.decode("utf-8").strip())


def is_shallow(root: Path) -> bool:
    """True for a shallow clone (history cut off, e.g. actions/checkout's default fetch-depth: 1)."""
    return run_git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip() == b"true"


_UNSHALLOW = "fetch the full history (git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"


def resolve_commit(root: Path, ref: str) -> str:
    """The commit id ``ref`` names, or a clear error (unknown ref; missing from a shallow clone)."""
    if not ref or ref.startswith("-") or any(ch in ref for ch in "\0\n"):
        raise StatediffError(f"{ref!r} is not a git ref; give a branch, tag or commit id")
    done = run_git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if done.returncode != 0:
        if is_shallow(root):
            raise StatediffError(f"ref {ref!r} is not in this shallow clone; {_UNSHALLOW}")
        raise StatediffError(f"unknown ref {ref!r}; check the name (git branch -a) or fetch it (git fetch origin {ref})")
    return done.stdout.decode("ascii").strip()


def default_branch(root: Path) -> str:
    """The default branch: origin/HEAD, else main, else master (local, then origin's)."""
    done = run_git(root, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", check=False)
    if done.returncode == 0 and done.stdout.strip():
        return done.stdout.decode("utf-8").strip().removeprefix("refs/remotes/")
    for name in ("main", "master", "origin/main", "origin/master"):
        if run_git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False).returncode == 0:
            return name
    raise StatediffError("cannot tell the default branch (no origin/HEAD, main or master); pass --base REF")


def merge_base(root: Path, branch: str, head: str) -> str:
    """The commit where ``head`` forked from ``branch``."""
    done = run_git(root, "merge-base", branch, head, check=False)
    if done.returncode != 0:
        if is_shallow(root):
            raise StatediffError(f"the merge base of {head} and {branch} is not in this shallow clone; {_UNSHALLOW}")
        raise StatediffError(f"{head} and {branch} share no history; pass --base REF to say what to compare with")
    return done.stdout.decode("ascii").strip()


def changed_paths(root: Path, base: str, head: str | None, folder: str) -> list[ChangedPath]:
    """Paths under ``folder`` that differ from ``base`` to ``head`` (``None``: the working tree, untracked files included)."""
    # Every option a user's config could change is given explicitly (color.ui=always, diff.relative, ...).
    args = ["diff", "--name-status", "-z", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", base]
    done = run_git(root, *args, *([head] if head else []), "--", folder)
    fields = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    found: list[ChangedPath] = []
    i = 0
    while i < len(fields) and fields[i]:
        code = fields[i][0]
        status = _STATUS.get(code)
        if code in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old = new = fields[i + 1]
            i += 2
        if status is None:  # U (unmerged), X: nothing sensible to compare
            raise StatediffError(f"{new}: unmerged or unknown state in git; resolve the merge first")
        if status == "added":
            found.append(ChangedPath("added", new))
        elif status == "deleted":
            found.append(ChangedPath("deleted", old, old))
        else:
            found.append(ChangedPath(status, new, old))
    if head is None:
        others = run_git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", folder)
        found += [ChangedPath("added", p) for p in others.stdout.decode("utf-8", "surrogateescape").split("\0") if p]
    return found


def blob_size(root: Path, ref: str, path: str) -> int | None:
    """Size in bytes of ``path`` at ``ref``, or ``None`` when it is not a file there."""
    done = run_git(root, "cat-file", "-s", f"{ref}:{path}", check=False)
    return int(done.stdout) if done.returncode == 0 else None


def show_blob(root: Path, ref: str, path: str) -> bytes:
    """The bytes of ``path`` at ``ref`` (``git show REF:path``, never converted)."""
    return run_git(root, "show", "--no-textconv", f"{ref}:{path}").stdout


def list_tree(root: Path, ref: str, folder: str) -> dict[str, int]:
    """Regular files under ``folder`` at ``ref`` with their sizes (links and submodules left out)."""
    done = run_git(root, "ls-tree", "-r", "-l", "-z", ref, "--", folder.rstrip("/") + "/")
    files: dict[str, int] = {}
    for entry in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        info, _, path = entry.partition("\t")
        mode, kind, _sha, size = info.split()
        if kind == "blob" and mode in ("100644", "100755"):
            files[path] = int(size)
    return files

"""One side of a review: the files of a commit, or of the working tree, as local files read as statements.

A commit's files are fetched with ``git show REF:path`` into a scratch folder that mirrors the repository, so
the statements folder's own reader (``read_statement``) and checker (``check_folder``) work on them unchanged.
Errors and problems name repository paths, never the scratch copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from statediff.errors import StatediffError
from statediff.folder.statements import FILE_NAME, SLUG, Statement, inside, read_statement, shown
from statediff.gitreview.repo import blob_size, list_tree, show_blob
from statediff.limits import max_input_bytes, too_large
from statediff.positions.digest import FILE_NAMES, SERIES_FOLDER, PositionsFiles, files_in


class Side:
    """One side of the review (a commit, or the working tree): repository paths -> readable local files."""

    def __init__(self, root: Path, commit: str | None, label: str, scratch: Path) -> None:
        self.root, self.commit, self.label = root, commit, label
        self.base = root if commit is None else scratch / commit

    def local(self, path: str) -> Path:
        """A local file with the content of ``path`` on this side; a clear error when huge or missing.

        Binary content is left to the statement reader, which says so (and accepts UTF-16 with a BOM).
        """
        target = self.base / path
        if self.commit is not None and target.is_file():
            return target  # fetched before
        if self.commit is None:
            # A link could point at any file on the machine (.git/config holds CI tokens): never follow one.
            if target.is_symlink() or (target.exists() and not inside(self.root, target)):
                raise StatediffError(f"{path}: is a symbolic link; a statement must be a plain file, not compared")
            size = target.stat().st_size if target.is_file() else None
        else:
            size = blob_size(self.root, self.commit, path)
        if size is None:
            raise StatediffError(f"{path}: not a file in {self.label}")
        if size > max_input_bytes():  # the one input limit (STATEDIFF_MAX_INPUT) every reader applies
            raise StatediffError(f"{too_large(path, size)}; not compared")
        if self.commit is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(show_blob(self.root, self.commit, path))
        return target

    def statement(self, path: str, series: str) -> Statement:
        """``path`` read as a statement; errors name the repository path, not the scratch copy."""
        local = self.local(path)
        try:
            return read_statement(local, series)
        except StatediffError as exc:
            message = str(exc).removeprefix(f"{shown(local)}: ")
            raise StatediffError(f"{path}: {message}") from exc

    def positions_files(self, series_dir: str) -> PositionsFiles:
        """The series' own lexicon.txt, actors.txt and topics.txt on this side, as local files (a malformed or
        linked one is a StatediffError naming its repository path)."""
        folder = f"{series_dir}/{SERIES_FOLDER}"
        local = self.base / folder
        if self.commit is None:
            if local.is_symlink() or not local.is_dir() or not inside(self.root, local):
                return PositionsFiles()  # as a report does: a linked folder is not read
        else:
            for name in FILE_NAMES:
                if blob_size(self.root, self.commit, f"{folder}/{name}") is not None:  # absent on this side: none
                    self.local(f"{folder}/{name}")  # too large: an error, as report and check say
            if not local.is_dir():
                return PositionsFiles()
        try:
            files = files_in(local)
            files.check()
        except StatediffError as exc:
            raise StatediffError(str(exc).replace(f"{self.base}/", "")) from exc
        return files

    def series_files(self, folder: str) -> list[str]:
        """Repository paths of the files named like statements directly in ``folder``."""
        if self.commit is None:
            here = self.root / folder
            names = [p.name for p in here.iterdir() if p.is_file()] if here.is_dir() else []
        else:
            prefix = folder.rstrip("/") + "/"
            names = [p[len(prefix) :] for p, size in list_tree(self.root, self.commit, folder).items()
                     if "/" not in p[len(prefix) :] and size <= max_input_bytes()]
        return sorted(f"{folder}/{n}" for n in names if FILE_NAME.fullmatch(n))


def series_of(path: str, folder: str) -> str | None:
    """The series of a statement path (``<folder>/<series>/<date>-<slug>.md``), ``None`` outside the layout."""
    parts = PurePosixPath(path).relative_to(folder).parts if folder != "." else PurePosixPath(path).parts
    if len(parts) == 2 and SLUG.fullmatch(parts[0]) and FILE_NAME.fullmatch(parts[1]):
        return parts[0]
    return None


def hidden(path: str, folder: str) -> bool:
    """True for dotfiles and files in dot-folders under the statements folder (``check`` skips them too)."""
    rel = PurePosixPath(path).relative_to(folder) if folder != "." else PurePosixPath(path)
    return any(part.startswith(".") for part in rel.parts)


def check_changed(head: Side, folder: str, paths: Sequence[str]) -> list[str]:
    """``statediff check`` problems of the changed files on the head side, named by repository path."""
    from statediff.folder.check import check_folder

    if not paths:
        return []
    problems: list[str] = []
    local: list[Path] = []
    for path in paths:
        series = series_of(path, folder)
        if head.commit is not None and series is not None:
            # The checker compares a file with its whole series (duplicates): bring the series along.
            for other in head.series_files(str(PurePosixPath(path).parent)):
                try:
                    head.local(other)
                except StatediffError:
                    continue
        try:
            local.append(head.local(path))
        except StatediffError as exc:
            problems.append(str(exc))
    root = head.base / folder
    changed = {PurePosixPath(p) for p in paths}
    wanted = changed | {parent for p in changed for parent in p.parents}
    for problem in check_folder(root, local) if local else []:
        rel = _relative(problem.path, root, folder)
        # The checker also reports unchanged files beside the changed ones: the review lists only its own.
        if rel in wanted:
            problems.append(f"{rel}: {problem.message}")
    return list(dict.fromkeys(problems))


def _relative(path: Path, root: Path, folder: str) -> PurePosixPath:
    """A path the checker reported, as a repository path (links are not followed: they are what it reports)."""
    for base in (root, root.resolve()):
        for candidate in (path, path.parent.resolve() / path.name):
            try:
                return PurePosixPath(folder) / candidate.relative_to(base).as_posix()
            except ValueError:
                continue
    return PurePosixPath(path.name)


def statements_folder(root: Path, statements: str | Path | None) -> str:
    """The statements folder relative to the repository top (POSIX), from ``--statements`` or statediff.toml."""
    from statediff.config import load_config

    config = load_config(statements=statements, cwd=root)
    try:
        rel = config.statements.resolve().relative_to(root.resolve())
    except ValueError as exc:
        raise StatediffError(
            f"statements folder {config.statements} is outside the git repository {root}; pass --statements DIR inside it"
        ) from exc
    return rel.as_posix()

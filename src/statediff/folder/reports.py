"""Reports of consecutive statements in every series, built incrementally, plus the index page.

``reports/<series>/<old-stem>__<new-stem>.html`` and ``.json`` for each pair of consecutive statements (by
date). A manifest (``reports/.statediff-manifest.json``) records, per report, a hash of its inputs: both
statement files, the series' own positions data files, the model identity and the statediff version. A report
whose hash is unchanged is not rebuilt, and when nothing is stale the model stack is never imported.

A statement ``check`` rejects as unreadable or empty is left out (its neighbours are paired with each other) and
named in ``BuildResult.left_out``; so is a series' positions file that does not parse (that series' stale reports
wait for it). One broken file costs its own reports, never the rest of the folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from statediff.errors import StatediffError
from statediff.folder.pairs import Pair, pairs_of
from statediff.folder.statements import (
    FILE_NAME,
    SLUG,
    LeftOut,
    Statement,
    read_folder,
    require_root,
    require_series,
    series_dir,
    shown,
)
from statediff.limits import POSITIONS_FILE_MAX, POSITIONS_FILES, SERIES_POSITIONS
from statediff.output import not_a_real_subfolder, write_all_atomic, write_atomic
from statediff.textnorm import terminal_safe

if TYPE_CHECKING:
    from statediff.engine.embed import Embedder
    from statediff.folder.prefetch import Prefetch
    from statediff.folder.statements import Statement
    from statediff.model import Comparison

MANIFEST = ".statediff-manifest.json"
SCHEMA = "statediff/manifest/1"
INDEX = "index.html"
_SAVE_EVERY = 25
_EMBED_CHUNK = 256


class Progress(Protocol):
    """Where a build reports how far it is (a bar on a terminal, lines otherwise). Phases run one after another."""

    def start(self, total: int, label: str) -> None:
        """A phase of ``total`` units begins (``embedding sentences``, ``building reports``)."""

    def step(self, done: int, item: str) -> None:
        """``done`` more units are finished; ``item`` says which (a report path and its counts)."""

    def finish(self) -> None:
        """The phase ended (also on errors)."""


class HistoryHook(Protocol):
    """What the series history (``statediff.history``, a layer above) does during a build; optional."""

    def prepare(self, series: dict[str, list[Statement]]) -> None:
        """Every series' statements, before anything is built."""

    def key(self, pair: Pair) -> str:
        """What the report's history notes depend on besides its two statements (folded into its key)."""

    def annotate(self, pair: Pair, comparison: Comparison, embedder: Embedder) -> Comparison:
        """The comparison with its rows' history notes (called in date order within a series)."""

    def finish(self, names: Sequence[str], embedder: Callable[[], Embedder]) -> dict[str, str]:
        """Complete and store the history of series ``names``; links to their history pages, by series."""


@dataclass
class BuildResult:
    """What a build did."""

    built: list[tuple[Pair, dict[str, int]]] = field(default_factory=list)
    """Reports written, with their counts by kind."""
    current: list[Pair] = field(default_factory=list)
    """Reports that were up to date."""
    removed: list[str] = field(default_factory=list)
    """Reports deleted because their statements are no longer consecutive (or gone)."""
    index: Path | None = None
    """The index page."""
    index_written: bool = False
    """False when the index was already current."""
    left_out: list[LeftOut] = field(default_factory=list)
    """Statements left out (unreadable, or no text) and positions files that do not parse, each with why."""


def positions_digest(series_folder: Path) -> str:
    """Hash of a series' own positions data files (``""`` when it has no positions folder): a report's key holds
    it, so editing ``lexicon.txt`` rebuilds that series' reports. Bytes only, nothing parsed: a no-op ``report``
    stays fast, and a malformed file is found when the reports it made stale are built."""
    folder = series_folder / SERIES_POSITIONS
    if folder.is_symlink() or not folder.is_dir():  # a linked folder is ignored by the reports (check flags it)
        return ""
    digest = hashlib.sha256()
    for name in POSITIONS_FILES:
        path = folder / name
        if path.is_symlink() or (path.exists() and not path.is_file()):
            state = b"not a plain file"  # refused when read; a FIFO is never opened here
        elif path.is_file():
            try:
                st = path.stat()
                if st.st_size > POSITIONS_FILE_MAX:  # refused when read: its size and time say when it changed
                    state = f"too large {st.st_size} {st.st_mtime_ns}".encode()
                else:
                    with path.open("rb") as handle:
                        state = hashlib.file_digest(handle, "sha256").digest()
            except OSError as exc:
                state = f"unreadable {exc.errno}".encode()
        else:
            continue
        digest.update(name.encode() + b"\0" + state + b"\0")
    return digest.hexdigest()


def check_positions(statements: Path, series: str) -> None:
    """Parse the series' own positions data files now: a malformed one is a StatediffError naming file and line."""
    folder = series_dir(statements, series)
    if folder.is_dir():
        from statediff.positions.digest import series_files

        series_files(folder).check()


def check_before_add(statements: Path, reports: Path, series: str, model: str | None) -> None:
    """What the report ``add`` builds needs, checked before the statement is written: then a failure writes
    nothing, and a fixed folder or data file plus a plain re-run finish the job (no ``--force``)."""
    series_dir(statements, series)  # a series name that would leave the folder: its own error first
    ensure_writable(reports, create=False)
    if not_a_real_subfolder(reports / series, reports):
        raise StatediffError(f"{shown(reports / series)}: is a link; a report folder must be a real folder, remove the link")
    check_positions(statements, series)
    model_identity(model)  # a --model folder that is not there


def model_identity(model: str | None) -> str:
    """The identity the vectors and reports of ``model`` are recorded under, without loading it."""
    from statediff.engine.embed import model_embedder

    return model_embedder(model).identity


def load_manifest(reports: Path) -> dict[str, Any]:
    """The manifest, or an empty one (a missing or damaged manifest only costs a rebuild)."""
    path = reports / MANIFEST
    empty: dict[str, Any] = {"schema": SCHEMA, "reports": {}, "index": None}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested 100,000 deep
        print(f"statediff: warning: {shown(path)} is unreadable; rebuilding every report", file=sys.stderr)
        return empty
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("reports"), dict):
        return empty
    index = data.get("index")
    return {"schema": SCHEMA, "reports": _clean_entries(data["reports"]), "index": index if isinstance(index, str) else None}


def _save_manifest(reports: Path, manifest: dict[str, Any]) -> None:
    write_atomic(reports / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def ensure_writable(folder: Path, *, create: bool = True) -> None:
    """Prove ``folder`` writable (creating it, unless ``create`` is false: then its parent must be) before slow work."""
    try:
        if create:
            folder.mkdir(exist_ok=True)
        with tempfile.TemporaryFile(dir=folder if folder.exists() else folder.parent):
            pass
    except OSError as exc:
        what = "does not exist" if isinstance(exc, FileNotFoundError) else f"is not writable ({exc.strerror})"
        raise StatediffError(
            f"{shown(folder)}: reports folder {what}; fix its permissions or set 'reports' in statediff.toml"
        ) from exc


#: The only names a report may have: ``<series>/<old-stem>__<new-stem>.html`` (what ``Pair.html`` builds).
_STEM = FILE_NAME.pattern.removesuffix(r"\.md")
_REPORT_NAME = re.compile(rf"({SLUG.pattern})/({_STEM})__({_STEM})\.html")
_GENERATOR = b'<meta name="generator" content="statediff">'
_JSON_SCHEMA = b'"schema": "statediff/comparison/'


def _ours(path: Path, marker: bytes) -> bool:
    """True for a regular file (not a link) whose first 4 KB carry statediff's own mark."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        with path.open("rb") as handle:
            return marker in handle.read(4096)
    except OSError:
        return False


def _remove(reports: Path, relative: str) -> bool:
    """Delete a report statediff wrote, named by a manifest key; False (nothing deleted) for any other key.

    The manifest is in the repository, so a pull request can plant keys such as ``../../victim.html``: only a
    name of the report layout, in a real series folder of ``reports``, holding statediff's mark, is removed.
    """
    if not isinstance(relative, str) or not _REPORT_NAME.fullmatch(relative):
        return False
    folder = reports / relative.split("/", 1)[0]
    if not folder.is_dir() or not_a_real_subfolder(folder, reports):
        return False
    html = reports / relative
    json_path = html.with_suffix(".json")
    if html.exists() and not _ours(html, _GENERATOR):
        return False
    if json_path.exists() and not _ours(json_path, _JSON_SCHEMA):
        return False
    for path in (html, json_path):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise StatediffError(f"{shown(path)}: cannot remove an outdated report ({exc.strerror}); check permissions") from exc
    return True


def _clean_entries(entries: dict[str, Any]) -> dict[str, Any]:
    """The manifest entries, each damaged one emptied: a damaged entry is a stale one (rebuilt, or removed)."""

    def good(entry: Any) -> bool:
        if not isinstance(entry, dict):
            return False
        if not all(isinstance(entry.get(k), str) for k in ("key", "old", "new", "model")):
            return False
        counts = entry.get("counts")
        return isinstance(counts, dict) and all(
            isinstance(k, str) and type(v) is int and 0 <= v < 10**7 for k, v in counts.items())

    return {k: v if good(v) else {} for k, v in entries.items()}


def _clean_temporaries(reports: Path) -> None:
    """Remove temporary files a killed run left (``.NAME.XXXXXXXX.tmp``, from ``write_atomic``).

    Called with the folder lock held, so no other report run is writing them now.
    """
    folders = [reports, *(p for p in reports.iterdir() if p.is_dir() and not p.is_symlink())]
    for folder in folders:
        for path in folder.glob(".*.tmp"):
            if _TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
                with contextlib.suppress(OSError):  # a read-only folder: harmless to leave
                    path.unlink()


_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")


def _prewarm(pairs: Sequence[Pair], embedder: Embedder, progress: Progress | None) -> tuple[Prefetch | None, list[int]]:
    """Embed every sentence the stale reports need that is not cached yet.

    A few (a statement or two added): now, in one call over sentences sorted by length, which pads far less than
    one small call per report. Many (a cold build): in a background thread, chunk by chunk in the order the reports
    need them, while the reports are built (``Prefetch``); then returns it and, for each pair, how many chunks must
    be finished before the pair is built.
    """
    from statediff.engine.embed import CachedEmbedder
    from statediff.engine.segment import segment
    from statediff.folder.prefetch import CHUNK, Prefetch
    from statediff.textnorm import normalize  # compare embeds the normalised text: the same keys

    cache = getattr(embedder, "cache", None)
    cached = embedder if isinstance(embedder, CachedEmbedder) and cache is not None else None
    sentences: dict[Path, list[str]] = {}

    def texts_of(statement: Statement) -> list[str]:
        if statement.path not in sentences:  # each statement is in two pairs: segmented once
            sentences[statement.path] = [normalize(s.text) for s in segment(statement.body)]
        return sentences[statement.path]

    seen: set[str] = set()
    new: list[str] = []
    need: list[int] = []
    prefetch: Prefetch | None = None
    for pair in pairs:
        texts = [t for t in dict.fromkeys([*texts_of(pair.old), *texts_of(pair.new)]) if t not in seen]
        seen.update(texts)
        if cache is not None and texts:
            known = cache.get(embedder.identity, texts)
            texts = [t for t in texts if t not in known]
        new += texts
        need.append(-(-len(new) // CHUNK))  # the chunks holding this pair's sentences and every earlier one's
        if cached is not None and len(new) >= (prefetch.submitted + 1 if prefetch else 2) * CHUNK:
            prefetch = prefetch or Prefetch(cached)  # enough to be worth a thread: start embedding now
            while len(new) >= (prefetch.submitted + 1) * CHUNK:
                prefetch.submit(new[prefetch.submitted * CHUNK : (prefetch.submitted + 1) * CHUNK])
    if prefetch is not None:
        if len(new) > prefetch.submitted * CHUNK:
            prefetch.submit(new[prefetch.submitted * CHUNK :])
        return prefetch, need
    _embed_now(new, embedder, progress)
    return None, [0] * len(pairs)


def _embed_now(texts: list[str], embedder: Embedder, progress: Progress | None) -> None:
    if not texts:
        return
    texts.sort(key=len)
    if progress:
        progress.start(len(texts), "embedding sentences")
    try:
        for k in range(0, len(texts), _EMBED_CHUNK):
            chunk = texts[k : k + _EMBED_CHUNK]
            embedder.encode(chunk)
            if progress:
                progress.step(len(chunk), f"{k + len(chunk)} of {len(texts)} new sentences")
    finally:
        if progress:
            progress.finish()


def _build_one(pair: Pair, reports: Path, embedder: Embedder, history: HistoryHook | None) -> dict[str, int]:
    from statediff.engine.pipeline import compare
    from statediff.positions.digest import analyse, series_files
    from statediff.render import render

    comparison = compare(pair.old.document(), pair.new.document(), embedder=embedder)
    if history is not None:
        comparison = history.annotate(pair, comparison, embedder)
    # The series' own lexicon/actors/topics files, if it has a positions/ folder beside its statements.
    positions = analyse(comparison, files=series_files(pair.new.path.parent))
    html, js = render(comparison, "html", positions=positions), render(comparison, "json", positions=positions)
    folder = reports / pair.series
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise StatediffError(f"{shown(folder)}: cannot create the report folder ({exc.strerror}); check permissions") from exc
    if not_a_real_subfolder(folder, reports):
        raise StatediffError(f"{shown(folder)}: is a link; a report folder must be a real folder, remove the link")
    # Both complete on disk before either is renamed: a full disk leaves neither half of a report.
    write_all_atomic([(reports / pair.json, js), (reports / pair.html, html)])
    return comparison.summary()


def build_reports(
    statements: Path,
    reports: Path,
    *,
    series: str | None = None,
    since: dt.date | None = None,
    force: bool = False,
    model: str | None = None,
    embedder: Embedder | None = None,
    only: Sequence[tuple[Path, Path]] | None = None,
    progress: Progress | None = None,
    history: HistoryHook | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build the stale reports (of one ``series``, from ``since``, or the ``only`` pairs given as file paths), then the index.

    One embedder serves every comparison, so the model loads at most once and each distinct sentence is
    embedded once (the on-disk cache holds the rest). ``jobs`` threads embed the new sentences.
    """
    require_root(statements)
    if series is not None:
        require_series(statements, series)  # a clear error for an unknown or unsafe series name
    every, left_out = read_folder(statements)
    ensure_writable(reports)
    from statediff.folder.lock import folder_lock

    with folder_lock(reports):  # a second run waits, then reads the manifest this one wrote
        _clean_temporaries(reports)
        result = _build_locked(every, left_out, statements, reports, series=series, since=since, force=force,
                               model=model, embedder=embedder, only=only, progress=progress, history=history, jobs=jobs)
    result.left_out[:0] = left_out
    return result


def _build_locked(
    every: dict[str, list[Statement]],
    left_out: list[LeftOut],
    statements: Path,
    reports: Path,
    *,
    series: str | None,
    since: dt.date | None,
    force: bool,
    model: str | None,
    embedder: Embedder | None,
    only: Sequence[tuple[Path, Path]] | None,
    progress: Progress | None,
    history: HistoryHook | None,
    jobs: int | None,
) -> BuildResult:
    manifest = load_manifest(reports)
    entries: dict[str, Any] = manifest["reports"]
    all_pairs = pairs_of(every)
    wanted = [p for p in pairs_of(every, since) if series is None or p.series == series]
    if only is not None:
        chosen = {(a.resolve(), b.resolve()) for a, b in only}
        wanted = [p for p in wanted if (p.old.path.resolve(), p.new.path.resolve()) in chosen]
    identity = embedder.identity if embedder is not None else model_identity(model)
    if history is not None:
        history.prepare(every)

    own_data = {name: positions_digest(statements / name) for name in every}

    def key(pair: Pair) -> str:
        return pair.key(identity, history.key(pair) if history is not None else "", own_data[pair.series])

    result = BuildResult()
    stale: list[Pair] = []
    for pair in wanted:
        entry = entries.get(pair.html)
        fresh = isinstance(entry, dict) and entry.get("key") == key(pair)
        if fresh and not force and (reports / pair.html).is_file() and (reports / pair.json).is_file():
            result.current.append(pair)
        else:
            stale.append(pair)
    # A series' positions files are parsed before its stale reports are built (and before the model loads): a
    # malformed one is named once, and that series' reports stay stale (rebuilt once it is fixed).
    unusable = _unparsable_positions(statements, sorted({p.series for p in stale if own_data[p.series]}))
    result.left_out += unusable
    stale = [p for p in stale if p.series not in {u.series for u in unusable}]

    if stale:
        if embedder is None:
            from statediff.engine.embed import default_embedder

            embedder = default_embedder(model, jobs=jobs)
        prefetch, need = _prewarm(stale, embedder, progress)
        if progress:
            progress.start(len(stale), "building reports")
        try:
            for n, pair in enumerate(stale, 1):
                if prefetch is not None:
                    prefetch.ready(need[n - 1])
                counts = _build_one(pair, reports, embedder, history)
                entries[pair.html] = {
                    "key": key(pair),
                    "old": pair.old.path.name,
                    "new": pair.new.path.name,
                    "counts": counts,
                    "model": identity,
                }
                result.built.append((pair, counts))
                if progress:
                    progress.step(1, f"{pair.html}: {counts_line(counts)}")
                if n % _SAVE_EVERY == 0:
                    _save_manifest(reports, manifest)
        except BaseException:
            # Keep what was built; but the first error is the one to report, never a second one it caused.
            with contextlib.suppress(StatediffError, OSError):
                _save_manifest(reports, manifest)
            raise
        finally:
            if prefetch is not None:
                prefetch.close()
            if progress:
                progress.finish()
        _save_manifest(reports, manifest)

    # Reports of pairs that no longer exist (a statement added between them, renamed or removed) go; not those of a
    # statement left out for now (a typo in its front matter must not cost its reports).
    live = {p.html for p in all_pairs}
    dropped = False
    for relative in [r for r in entries if r not in live and not _of_left_out(r, left_out)]:
        if _remove(reports, relative):
            result.removed.append(relative)
        else:
            print(f"statediff: warning: {shown(reports / MANIFEST)} names {terminal_safe(relative)!r}, not a report "
                  "statediff wrote; left it alone and dropped the entry", file=sys.stderr)
            dropped = True
        del entries[relative]

    pages: dict[str, str] = {}
    if history is not None:
        def get_embedder() -> Embedder:
            nonlocal embedder
            if embedder is None:
                from statediff.engine.embed import default_embedder

                embedder = default_embedder(model)
            return embedder

        pages = history.finish([series] if series is not None else list(every), get_embedder)

    from statediff.folder.index import index_data

    data = index_data(every, entries, all_pairs, statements, reports, identity, key, pages)
    index_key = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    result.index = reports / INDEX
    if manifest.get("index") != index_key or not result.index.is_file():
        from statediff.render.index import render_index

        write_atomic(result.index, render_index(data))
        manifest["index"] = index_key
        result.index_written = True
    if result.built or result.removed or result.index_written or dropped:
        _save_manifest(reports, manifest)
    return result


def _unparsable_positions(statements: Path, names: Sequence[str]) -> list[LeftOut]:
    found = []
    for name in names:
        try:
            check_positions(statements, name)
        except StatediffError as exc:
            found.append(LeftOut(name, statements / name / SERIES_POSITIONS,
                                 f"{exc}; the reports of series {name!r} are not rebuilt until it is fixed", "positions"))
    return found


def _of_left_out(relative: str, left_out: Sequence[LeftOut]) -> bool:
    """True for a report name (``<series>/<old>__<new>.html``) of a statement, or series, left out of this build."""
    series, _, name = relative.partition("/")
    stems = set(name.removesuffix(".html").split("__"))
    return any(item.what == "statement" and item.series == series and (item.path.name == series or item.path.stem in stems)
               for item in left_out)


def counts_line(counts: dict[str, int]) -> str:
    """``3 modified, 1 added (14 unchanged)``: the kinds present, unchanged last."""
    shown_kinds = [f"{n} {kind}" for kind, n in counts.items() if n and kind != "unchanged"]
    same = f"{counts.get('unchanged', 0)} unchanged"
    return f"{', '.join(shown_kinds)} ({same})" if shown_kinds else f"no changes ({same})"

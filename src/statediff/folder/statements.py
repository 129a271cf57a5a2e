"""The versioned statements folder: ``<root>/<series>/<YYYY-MM-DD>-<slug>.md``, front matter then body.

A series is a sequence of statements of the same kind. This module reads and lists the folder, writes new
statements (``add_statement``) and keeps every name inside the folder. ``statements_check`` validates it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from statediff.errors import StatediffError
from statediff.model import Document
from statediff.read.dates import parse_date
from statediff.read.ingest import decode, front_matter, read_bytes, read_document
from statediff.textnorm import normal_kind, normalize, terminal_safe

#: Front-matter fields in the order they are written. The first five are required (``source`` may be
#: replaced by ``notes`` saying where the text came from).
FIELDS = ("title", "date", "source", "issuers", "language", "kind", "notes")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FILE_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md")
_URL = re.compile(r"https?://[^\s()<>]+\Z")
_MAX_SLUG = 50
#: A series name or slug a user gives (or an older statediff made) may be longer, up to this; past it, some
#: file systems refuse the path (ENAMETOOLONG).
_MAX_NAME = 80
_INITIALISM = re.compile(r"\b(?:[a-z]\.){2,}")
_RESERVED = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))])


@dataclass(frozen=True)
class Statement:
    """One statement file of the folder."""

    series: str
    """The series (the folder name under the statements root)."""
    path: Path
    """The file."""
    date: dt.date
    """Date of the statement (front matter)."""
    title: str
    """Title (front matter)."""
    body: str
    """The statement text (Markdown), without front matter."""
    digest: str
    """SHA-256 of the file's bytes: reports built from it are current while it is unchanged."""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Every front-matter field as read."""

    @property
    def stem(self) -> str:
        """The file name without ``.md`` (reports are named after it)."""
        return self.path.stem

    def document(self) -> Document:
        """The statement as the comparison pipeline's ``Document``."""
        source = self.meta.get("source")
        return Document(body=self.body, title=self.title, date=self.date, source=str(source) if source else None,
                        meta=self.meta, path=str(self.path))


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current folder when inside it."""
    # Not resolved: a link is named by its own path, never by where it points (which may be a secret's path).
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# A date written out in a title ("December 14, 2022", "14 December 2022", "2022-12-14"): the file name starts
# with the date already, so the slug leaves it out.
_TITLE_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b",
    re.I,
)
#: Words a file name does without (it is a handle, not the title).
STOP_WORDS = frozenset({"a", "an", "the", "and", "or", "of", "for", "on", "in", "to", "by", "with", "at", "from", "as", "its",
                        "their", "into", "upon"})


def legacy_slugify(title: str) -> str:
    """The slug statediff 0.1 wrote (every word, the date too, cut at 80 characters): existing files keep it."""
    ascii_text = unicodedata.normalize("NFKD", normalize(title)).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = ascii_text.replace("'", "")
    ascii_text = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0] if "-" in slug[:80] else slug[:80]
    return slug


def slugify(title: str) -> str:
    """A short lowercase ASCII slug from a title: no written-out date, no stop words, whole words, at most 50 characters.

    "Federal Reserve issues FOMC statement (December 14, 2022)" -> "federal-reserve-issues-fomc-statement".
    """
    ascii_text = unicodedata.normalize("NFKD", normalize(title)).encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = ascii_text.replace("'", "")  # "Leaders' Statement" -> "leaders-statement", not "leaders-s-..."
    ascii_text = _INITIALISM.sub(lambda m: m.group(0).replace(".", ""), ascii_text)  # "u.s." -> "us", not "u-s"
    ascii_text = _TITLE_DATE.sub(" ", ascii_text)
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w]
    kept = [w for w in words if w not in STOP_WORDS] or words
    slug = ""
    for word in kept:  # whole words only: never "...-partnership-fo"
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > _MAX_SLUG:
            break
        slug = longer
    slug = slug or (kept[0][:_MAX_SLUG] if kept else "")
    return f"{slug}-statement" if reserved(slug) else slug


def reserved(name: str) -> bool:
    """True for names Windows cannot hold as a file or folder (``con``, ``nul``, ``com1``...): a clone there would fail."""
    return name.lower() in _RESERVED


def check_name(name: str, what: str) -> str:
    """``name`` if it is a safe series name or slug (lowercase ASCII, digits, hyphens), else a clear error."""
    if name in ("", ".", "..") or "/" in name or "\\" in name or os.path.isabs(name) or ".." in name:
        raise StatediffError(f"{what} {terminal_safe(name)!r} would leave the statements folder; "
                             "use a plain name like 'g7-leaders'")
    if len(name) > _MAX_NAME:
        raise StatediffError(f"{what} {terminal_safe(name[:40])!r}... is {len(name)} characters long; "
                             f"use at most {_MAX_NAME}")
    if not SLUG.fullmatch(name):
        # A name from every word given ('a b' -> 'a-b'): slugify would drop stop words and dates ('b').
        example = legacy_slugify(name) or "g7-leaders"
        example = f"{example}-statements" if reserved(example) else example
        raise StatediffError(f"{what} {terminal_safe(name)!r} is not a lowercase ASCII name (letters, digits, hyphens); "
                             f"use e.g. {example!r}")
    if reserved(name):
        raise StatediffError(f"{what} {name!r} is a reserved device name on Windows (a clone there would fail); "
                             f"use e.g. {name + '-statements'!r}")
    return name


def require_root(root: Path) -> Path:
    """The statements folder, which must exist."""
    if not root.is_dir():
        hint = "it is a file, not a folder" if root.exists() else "it does not exist"
        raise StatediffError(
            f"{shown(root)}: no statements folder ({hint}); create it (mkdir {shown(root)}) or set 'statements' in statediff.toml"
        )
    return root


def inside(root: Path, path: Path) -> bool:
    """True when ``path``, symlinks followed, is inside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop (Python 3.11's resolve)
        return False
    return True


def series_dir(root: Path, series: str) -> Path:
    """The folder of ``series``, refused when the name would lead outside ``root`` or the folder is a link."""
    folder = root / check_name(series, "series")
    if folder.is_symlink() and not inside(root, folder):  # its files would be published
        raise StatediffError(f"{shown(folder)}: is a link pointing outside {shown(root)}; replace it with a real folder")
    if folder.is_symlink():  # a second name for a series: every report twice
        raise StatediffError(f"{shown(folder)}: is a link, not a series folder; replace it with a real folder")
    return folder


def linked_out(root: Path, path: Path) -> bool:
    """True when ``path`` is a link (or lies under one) that leads outside ``root``."""
    return not inside(root, path)


def body_key(body: str) -> str:
    """Identity of a body for the duplicate check: typography and whitespace do not count."""
    return hashlib.sha256(normalize(body).encode("utf-8")).hexdigest()


def split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    """Front matter (YAML mapping) and body of a statement file's text; errors name the file."""
    parsed = front_matter(text, name)
    if parsed is None:
        raise StatediffError(f"{name}: no front matter; begin the file with a --- block: title, date, source, issuers, language")
    meta, body = parsed
    return meta, body.strip("\n")


def read_statement(path: Path, series: str) -> Statement:
    """One statement file, or a clear error (``statediff check`` lists every problem at once)."""
    name = shown(path)
    data = read_bytes(path, name)  # a regular file, within the input limit
    text = decode(data, name).lstrip("\ufeff").replace("\r\n", "\n")
    meta, body = split_front_matter(text, name)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise StatediffError(f"{name}: front matter has no title; add a title field")
    date = parse_date(meta.get("date"), name)
    if date is None:
        raise StatediffError(f"{name}: front matter has no date; add date: YYYY-MM-DD")
    return Statement(series, path, date, title.strip(), body, hashlib.sha256(data).hexdigest(), meta)


def require_series(root: Path, series: str) -> Path:
    """The folder of ``series``, which must exist (a clear error naming the series there are)."""
    folder = series_dir(root, series)
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in root.iterdir() if p.is_dir() and SLUG.fullmatch(p.name))) or "none yet"
        raise StatediffError(
            f"series {series!r}: no such folder in {shown(root)} (series: {known}); add a statement with --series {series}"
        )
    return folder


def statement_files(folder: Path) -> list[Path]:
    """The statement files of a series folder (names in the layout), by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and FILE_NAME.fullmatch(p.name))


def list_series(
    root: Path, series: str | None = None, unreadable: list[tuple[Path, str]] | None = None
) -> dict[str, list[Statement]]:
    """Every series (or one) with its statements in date order; folders outside the layout are left to ``check``.

    A statement file that cannot be read stops the listing with its error, unless ``unreadable`` is given:
    then it is skipped and recorded there as (path, error).
    """
    require_root(root)
    if series is not None:
        require_series(root, series)
        names = [series]
    else:
        names = sorted(p.name for p in root.iterdir() if p.is_dir() and SLUG.fullmatch(p.name))
    found: dict[str, list[Statement]] = {}
    for name in names:
        items = []
        try:
            folder = series_dir(root, name)
        except StatediffError as exc:
            if unreadable is None:
                raise
            unreadable.append((root / name, str(exc)))
            continue
        for path in statement_files(folder):
            try:
                if linked_out(root, path):
                    raise StatediffError(f"{shown(path)}: is a link leading outside {shown(root)}; "
                                         "replace it with the statement file itself")
                items.append(read_statement(path, name))
            except StatediffError as exc:
                if unreadable is None:
                    raise
                unreadable.append((path, str(exc)))
        found[name] = sorted(items, key=lambda s: (s.date, s.path.name))
    return found


EMPTY_BODY = "empty body; the statement text goes after the front matter"
"""What ``check`` says of a statement with no text (the reports leave it out: there is nothing to compare)."""


@dataclass(frozen=True)
class LeftOut:
    """A statement file (or series folder, or a series' positions data file) a build could not use, and why."""

    series: str
    """The series it belongs to."""
    path: Path
    """The file or folder."""
    message: str
    """What is wrong and what to do, naming the file (one line)."""
    what: Literal["statement", "positions"] = "statement"
    """A statement file (or series folder), left out of the pairs; or a positions data file, whose series' stale
    reports were not rebuilt."""


def comparable(statement: Statement) -> bool:
    """False for a statement with no text: ``check`` flags it, and a comparison with it would be meaningless."""
    return bool(statement.body.strip())


def read_folder(root: Path) -> tuple[dict[str, list[Statement]], list[LeftOut]]:
    """Every series with the statements a report can compare, and each file left out (one ``check`` flags too:
    unreadable, or no text), so one broken file costs its own reports, never the rest of the folder."""
    unreadable: list[tuple[Path, str]] = []
    found = list_series(root, None, unreadable)
    for name, items in found.items():
        unreadable += [(s.path, f"{shown(s.path)}: {EMPTY_BODY}") for s in items if not comparable(s)]
        found[name] = [s for s in items if comparable(s)]
    return found, [LeftOut(path.name if path.parent == root else path.parent.name, path,
                           f"{message}; left out of the reports until it is fixed") for path, message in unreadable]


def previous_in_series(statements: Sequence[Statement], date: dt.date, path: Path) -> Statement | None:
    """The statement just before (``date``, file name) in a date-ordered series, other than ``path`` itself."""
    before = [s for s in statements if (s.date, s.path.name) < (date, path.name) and s.path != path]
    return before[-1] if before else None


def _source_and_notes(raw: str | None, notes: str | None) -> tuple[str | None, str | None]:
    """Split a source such as ``https://... (text via ...)`` into the URL and a note, so ``source`` stays a URL."""
    if not raw:
        return None, notes
    first, _, rest = raw.strip().partition(" ")
    if _URL.match(first):
        extra = f"Source note: {rest.strip()}" if rest.strip() else None
    else:
        first, extra = "", f"Source: {raw.strip()}"
    joined = "\n".join(n for n in (notes, extra) if n) or None
    return first or None, joined


# Kinds that describe a whole series, carried over to its next statement like the issuers (an FOMC series stays
# monetary-policy). Others describe one document (a news-article about a meeting) and are not.
SERIES_KINDS = frozenset({"monetary-policy"})


def _series_kind(previous: Statement | None) -> str | None:
    found = normal_kind(_text(previous.meta.get("kind"))) if previous else None
    return found if found in SERIES_KINDS else None


def format_statement(meta: dict[str, Any], body: str) -> str:
    """The file text: YAML front matter (fields in the usual order), a blank line, the body."""
    import yaml

    ordered = {k: meta[k] for k in FIELDS if meta.get(k) not in (None, "", [])}
    ordered.update({k: v for k, v in meta.items() if k not in FIELDS and v not in (None, "", [])})
    front = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return f"---\n{front}---\n\n{body.strip()}\n"


@dataclass(frozen=True)
class AddResult:
    """What ``add_statement`` did."""

    path: Path
    """The statement file written."""
    statement: Statement
    """The statement as now stored."""
    previous: Statement | None
    """The statement with text before it in the series by date (what its report compares against)."""
    warnings: tuple[str, ...] = ()
    """Things worth a look that did not stop the write (e.g. a date in the future)."""
    replaced: bool = False
    """True when an existing file was replaced (``force``)."""
    others: int = 0
    """How many other statements the series holds."""
    created_root: bool = False
    """True when the statements folder itself was created (a new project)."""


def _date_from_name(path: Path) -> dt.date | None:
    match = re.match(r"(\d{4}-\d{2}-\d{2})", path.name)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def add_statement(
    root: Path,
    source_file: str | Path,
    *,
    series: str,
    date: str | None = None,
    title: str | None = None,
    source: str | None = None,
    issuers: Iterable[str] = (),
    language: str | None = None,
    kind: str | None = None,
    notes: str | None = None,
    slug: str | None = None,
    force: bool = False,
    rename: bool = False,
    today: dt.date | None = None,
) -> AddResult:
    """Store ``source_file`` (.txt, .md, .html, corpus header format) as a statement of ``series``.

    Values given here win over those found in the file. Refuses a name leaving the folder, an existing file
    (unless ``force``) and a body already in the series under another name; writes atomically. A statement
    stored under the name older versions gave it (date repeated in the slug) keeps that name, unless ``rename``.
    """
    if root.exists() or root.is_symlink():
        require_root(root)  # a file, or a dangling link, where the folder should be: an error
    folder = series_dir(root, series)
    name = str(source_file)
    doc = read_document(source_file)
    chosen_title = (title or doc.title or "").strip()
    if not chosen_title:
        raise StatediffError(f"{name}: has no title; pass --title 'The statement title'")
    when = parse_date(date, "--date") if date else doc.date or _date_from_name(Path(name))
    if when is None:
        raise StatediffError(f"{name}: has no date; pass --date YYYY-MM-DD")
    warnings: list[str] = []
    if when > (today or dt.date.today()) + dt.timedelta(days=1):
        warnings.append(f"{name}: date {when} is in the future; check it (pass --date to correct it)")
    chosen_slug = check_name(slug, "slug") if slug else slugify(chosen_title)
    if not chosen_slug:
        raise StatediffError(f"{name}: title {chosen_title!r} gives an empty file name; pass --slug some-ascii-words")
    if source and not _URL.match(source.strip()):
        raise StatediffError(f"--source {source!r} is not an http(s) URL; give the statement's web address")
    target = folder / f"{when.isoformat()}-{chosen_slug}.md"
    legacy = folder / f"{when.isoformat()}-{legacy_slugify(chosen_title)}.md"
    old_name = None
    if not slug and legacy != target and legacy.is_file() and not target.exists():
        if rename and force:
            old_name = legacy  # written under the new name below, then the old file goes
        else:
            target = legacy  # links and reports keep working: no file changes its name behind the user's back
    if target.is_symlink() or not inside(root, target):
        raise StatediffError(f"{shown(target)}: is a link; refusing to write through it, remove it first")
    existed = target.exists()
    if existed and not force:
        raise StatediffError(f"{shown(target)}: already exists; use --force to replace it")

    # The file being replaced does not count: it may be the very thing being fixed.
    existing = [s for s in list_series(root, series)[series] if s.path not in (target, old_name)] if folder.is_dir() else []
    existing.sort(key=lambda s: (s.date, s.path.name))
    key = body_key(doc.body)
    for other in existing:
        if other.path != target and body_key(other.body) == key:
            raise StatediffError(f"{name}: the same text is already in series {series!r} as {shown(other.path)}; nothing to add")
    before = previous_in_series(existing, when, target)  # issuers and kind carry over from it
    # Its report compares it with the statement before it that has text, as `report` pairs them.
    previous = previous_in_series([s for s in existing if comparable(s)], when, target)

    found_source, found_notes = _source_and_notes(source or doc.source, notes or _text(doc.meta.get("notes")))
    if found_source is None and found_notes is None:
        # `check` rejects a statement that says nowhere where it came from: never write one.
        raise StatediffError(
            f"{name}: no source known; pass --source https://... (its web address) or --notes 'where the text came from'"
        )
    chosen_issuers = [i.strip() for i in issuers if i.strip()] or _issuers(doc.meta.get("issuers")) or (
        _issuers(before.meta.get("issuers")) if before else []
    )
    if not chosen_issuers:
        raise StatediffError(f"{name}: no issuer known for the first statement of {series!r}; pass --issuer 'Who issued it'")
    meta: dict[str, Any] = {
        "title": chosen_title,
        "date": when,
        "source": found_source,
        "issuers": chosen_issuers,
        "language": language or _text(doc.meta.get("language")) or "en",
        "kind": kind or _text(doc.meta.get("kind")) or _series_kind(before),
        "notes": found_notes,
    }
    text = format_statement(meta, doc.body)
    from statediff.output import write_atomic

    # The configured statements folder (never a name from the file), then the series: a new project needs no mkdir.
    made = [d for d in (root, folder) if not d.exists()]
    try:
        for made_dir in made:
            try:
                made_dir.mkdir()
            except OSError as exc:
                what = "statements" if made_dir == root else "series"
                raise StatediffError(f"{shown(made_dir)}: cannot create the {what} folder ({exc.strerror}); check the "
                                     "path and its permissions") from exc
        write_atomic(target, text, overwrite=force)
    except BaseException:
        for made_dir in reversed(made):  # a failed add leaves no empty folder behind either
            with contextlib.suppress(OSError):
                made_dir.rmdir()
        raise
    if old_name is not None:
        old_name.unlink()
        existed = True
    return AddResult(target, read_statement(target, series), previous, tuple(warnings), existed, len(existing),
                     root in made)


def _text(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def _issuers(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []

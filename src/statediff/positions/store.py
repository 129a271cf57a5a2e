"""Positions results seen before, on disk beside the other caches (``positions.sqlite3``).

Marks, topics and the digest were a fifth of a warm compare of Camp David vs Lima (~255 of 1,130 M instructions)
while every other stage read its result from a cache; a comparison always gives the same positions, so the whole
result of ``analyse`` is stored, keyed by the layer's own code and data, the series' positions files (by content),
the kind asked for and the comparison itself, and reused. The file is untrusted (a cache folder can come with a pull
request): a row is decoded strictly against the result's types (``decode``) and then checked against its comparison
by the caller; anything else is computed again and the row replaced. A cache that cannot be opened only costs time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import os
import sys
import types
import typing
import unicodedata
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from statediff import cachedb, limits, model
from statediff.model import Comparison, Document

T = TypeVar("T")
FILE = "positions.sqlite3"
_SCHEMA = "CREATE TABLE IF NOT EXISTS positions (key TEXT PRIMARY KEY, value TEXT)"
HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def code_version() -> str | None:
    """A hash of what the layer's results depend on besides its input: every module of the layer and every data file
    (lexicon, actors, stance model), the records it reads (model.py, limits.py), pycountry's country list as
    actors.py reads it, numpy's and scipy's versions (topics' arithmetic), and Python's version and Unicode tables
    (its regexes). Read from the files, so no edit or upgrade meets rows of the old code; ``None`` (nothing cached)
    when one cannot be read. About 0.8 ms to work out (plain ``os`` calls: pathlib's took twice as long); remembered
    in the file under the sources' identity, size and times (``_stamp``), much as Python keeps its compiled modules:
    later processes read it back. Not the ``.marshal`` files (compiled patterns, the prebuilt lexicon and registry,
    170 kB, a third of the bytes): each is made from files hashed here and used only where it is what they make
    (patterns.py, lexicons.PREBUILT; the tests fail when one is stale)."""
    import numpy  # imported by the layer anyway (topics)

    here, data = str(HERE), os.path.join(HERE, "data")
    try:
        sources = [*(os.path.join(here, n) for n in sorted(os.listdir(here)) if n.endswith(".py")),
                   *(os.path.join(data, n) for n in sorted(os.listdir(data)) if not n.endswith(".marshal")),
                   str(model.__file__), str(limits.__file__)]
    except OSError:
        return None
    for package, inside in (("pycountry", ("databases", "iso3166-1.json")), ("scipy", ("version.py",))):
        found = cachedb.package_file(package, *inside)
        if found is not None:
            sources.append(found)
    salt = f"numpy {numpy.__version__}"
    memo = _stamp(salt, sources)
    conn = _db().connect() if memo is not None else None
    if conn is not None and memo is not None:
        known = cachedb.stored(conn, "positions", "value", [memo]).get(memo)
        if isinstance(known, str) and len(known) == 20 and not known.strip("0123456789abcdef"):
            return known  # what cachedb.code_version gives (anything else is worked out again)
    version = cachedb.code_version(salt, sources)
    if conn is not None and memo is not None and version is not None:
        cachedb.put(conn, "positions", [(memo, version)])
    return version


def _stamp(salt: str, sources: list[str]) -> str | None:
    """The row that remembers the code version of ``sources`` as they are: Python's version, ``salt``, and each
    file's path, device, inode, size, modification and change times (an edit changes the change time, which no tool
    sets back; a file put in place by rename is another inode). Its key cannot be a result's (40 hex digits). None
    when a file cannot be looked at (the version is then worked out, and fails as it does)."""
    try:
        parts = [f"{sys.version}|{unicodedata.unidata_version}|{salt}"]
        for source in sources:
            st = os.stat(source)
            parts.append(f"{source}|{st.st_dev}|{st.st_ino}|{st.st_size}|{st.st_mtime_ns}|{st.st_ctime_ns}")
    except OSError:
        return None
    return "code version " + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def _document(d: Document) -> tuple[object, ...]:
    # Not ``path``: no positions module reads it, and the git driver compares temporary files under new names.
    return (d.body, d.title, None if d.date is None else d.date.isoformat(), d.source, repr(d.meta))


def _vectors(c: Comparison) -> str | None:
    """The sentence vectors as topics read them (float32), hashed: topics group sentences by them."""
    if c.vectors is None:
        return None
    import numpy as np

    digest = hashlib.sha256()
    for side in c.vectors:
        array = np.ascontiguousarray(side, dtype=np.float32)
        digest.update(f"{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _series(paths: tuple[str, ...]) -> tuple[bytes, ...]:
    out = []
    for path in paths:
        with open(path, "rb") as f:  # the caller parsed it already (a file over the limit is an error there)
            out.append(f.read(limits.POSITIONS_FILE_MAX + 1))
    return tuple(out)


def key(c: Comparison, kind: str | None, lexicon: tuple[str, ...], actors: tuple[str, ...],
        topics: tuple[str, ...]) -> str | None:
    """The row of one analysis: the code, the series' files by content (not name), the kind as asked, and every
    field of the comparison a result can depend on (the vectors by their values, the model by name). ``None``
    when some part cannot be read or written down (then nothing is cached). About 0.5 ms for Camp David vs Lima."""
    version = code_version()
    if version is None:
        return None
    try:
        form: Any = (version, kind, _series(lexicon), _series(actors), _series(topics), c.model, _vectors(c), c.links,
                _document(c.old), _document(c.new),
                tuple((s.index, s.text, s.paragraph, s.start, s.end) for s in c.old_sentences),
                tuple((s.index, s.text, s.paragraph, s.start, s.end) for s in c.new_sentences),
                tuple((ch.kind, ch.old, ch.new, ch.similarity, tuple((op.tag, op.text) for op in ch.ops), ch.rewritten,
                       ch.weak, ch.also_new, ch.also_old, ch.closest, None if ch.history is None else repr(ch.history))
                      for ch in c.changes))
        return hashlib.sha256(marshal.dumps(form)).hexdigest()[:40]
    except (OSError, ValueError, TypeError):  # an unreadable file (the parser reports it), an unusual value
        return None


def folder() -> Path:
    """Where the file lives: the cache folder of the other caches (tests point it elsewhere)."""
    return cachedb.cache_dir()


@lru_cache(maxsize=1)
def _db() -> cachedb.LazyCache:
    # The vector cache already warns if unusable. No sync at each commit (WAL keeps the file whole; a power cut can
    # only lose the last rows): a compare whose positions are new pays ~1 ms, not a disk flush.
    return cachedb.LazyCache(lambda: folder(), FILE, _SCHEMA, pragmas=("synchronous=NORMAL",))


def close() -> None:
    """Close the file, if open; the next use opens it again (in ``folder()`` as it is then)."""
    conn = _db().connect() if _db.cache_info().currsize else None
    if conn is not None:
        conn.close()
    _db.cache_clear()


def load(row: str) -> str | None:
    """The stored value of ``row`` (unchecked), or None."""
    conn = _db().connect()
    if conn is None:
        return None
    value = cachedb.stored(conn, "positions", "value", [row]).get(row)
    return value if isinstance(value, str) else None


def save(row: str, value: object) -> None:
    """Store ``value`` (a result of ``decode``'s types) as ``row``, replacing any damaged one."""
    conn = _db().connect()
    if conn is None:
        return
    cachedb.put(conn, "positions", [(row, encode(value))])


def encode(value: object) -> str:
    """JSON of a result: a dataclass as the list of its fields in order, tuples as lists (json's own C encoder
    writes all but the dataclasses: three times faster than building plain lists first)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False, default=_fields)


def _fields(value: object) -> list[object]:
    names = _NAMES.get(type(value))
    if names is None:
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"cannot encode {type(value).__name__}")
        names = _NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    # A frozen record's __init__ fills its __dict__ in field order and nothing can add to it: its values are the
    # fields' (one C call; a getattr per field took half of encode's time). Anything else is read field by field.
    found = vars(value)
    if len(found) == len(names) and tuple(found) == names:
        return list(found.values())
    return [getattr(value, name) for name in names]


_NAMES: dict[type, tuple[str, ...]] = {}


class _Bad(Exception):
    """A stored value that does not have the result's shape."""


def decode(raw: str, cls: type[T], limit: int) -> T | None:
    """``raw`` as a ``cls``, checked against the type hints of every field all the way down (exact types: a bool
    is not an int; a Literal only its values; ``X | None``; ``tuple[X, ...]``; ``dict[str, X]``; dataclasses as
    lists of exactly their fields), or None when it is not one or longer than ``limit`` characters."""
    if len(raw) > limit:
        return None
    try:
        return typing.cast(T, _decoder(cls)(json.loads(raw)))
    except (_Bad, ValueError, RecursionError):
        return None


Decoder = Callable[[object], object]
_DECODERS: dict[object, Decoder] = {}


def _decoder(hint: object) -> Decoder:
    """The checking decoder of one type, made once per type (a generic walk of the hints per value took 5 ms for
    Camp David vs Lima, as long as the rest of a cached analysis)."""
    found = _DECODERS.get(hint)
    if found is None:
        found = _DECODERS[hint] = _make_decoder(hint)
    return found


def _make_decoder(hint: Any) -> Decoder:
    if hint in (str, int, bool):
        return partial(_exact, hint)
    if hint is type(None):
        return partial(_exact, type(None))
    origin = get_origin(hint)
    if origin is Literal:
        return partial(_one_of, frozenset(get_args(hint)))
    if origin in (Union, types.UnionType):
        rest = [a for a in get_args(hint) if a is not type(None)]
        if len(rest) != 1 or len(get_args(hint)) != 2:
            raise TypeError(f"cannot decode {hint}")  # a result type this decoder was not written for
        return partial(_optional, _decoder(rest[0]))
    if origin is tuple:
        item, dots = get_args(hint)
        if dots is not Ellipsis:
            raise TypeError(f"cannot decode {hint}")
        return partial(_strings, item) if item in (str, int) else partial(_tuple, _decoder(item))
    if origin is dict:
        key_type, value_type = get_args(hint)
        if key_type is not str:
            raise TypeError(f"cannot decode {hint}")
        return partial(_dict, _decoder(value_type))
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return partial(_record, hint, tuple(_decoder(hints[f.name]) for f in dataclasses.fields(hint)))
    raise TypeError(f"cannot decode {hint}")


def _exact(kind: type, data: object) -> object:
    if type(data) is not kind:
        raise _Bad
    return data


def _one_of(values: frozenset[str], data: object) -> object:
    if type(data) is not str or data not in values:
        raise _Bad
    return data


def _optional(inner: Decoder, data: object) -> object:
    return None if data is None else inner(data)


def _strings(kind: type, data: object) -> object:
    if type(data) is not list or not all(type(v) is kind for v in data):
        raise _Bad
    return tuple(data)


def _tuple(inner: Decoder, data: object) -> object:
    if type(data) is not list:
        raise _Bad
    return tuple(map(inner, data))


def _dict(inner: Decoder, data: object) -> object:
    if type(data) is not dict:
        raise _Bad
    return {k: inner(v) for k, v in data.items()}


def _record(cls: type, fields: tuple[Decoder, ...], data: object) -> object:
    if type(data) is not list or len(data) != len(fields):
        raise _Bad
    return cls(*[decode(v) for decode, v in zip(fields, data, strict=True)])

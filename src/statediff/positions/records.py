"""Frozen dataclasses for the layer's public records, made without compiling their methods at every start-up.

``dataclasses.dataclass`` writes the source of six methods per class (``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, ``__setattr__``, ``__delattr__``) and compiles each one when the module is imported: ~0.8 ms per
record, 6.4 ms for the layer's eight (Figure, Marks, Topic, Edit, Item, TopicDigest, Positions, PositionsFiles),
half of its import and paid by every compare, a cached one too. :func:`dataclass` makes the same classes with one
small compiled ``__init__`` and the other methods shared (``operator.attrgetter`` reads the fields in C): ~0.1 ms
each. They are dataclasses as ``dataclasses`` knows them (``fields``, ``replace``, ``asdict``, ``is_dataclass``),
with the same signature, repr, equality, hash and frozenness (tests/test_positions_records.py checks each against
the standard decorator's class). What it was not written for — a base class, a field option, a method of its own
with a dataclass name, another Python's private ``dataclasses`` API — gets the standard decorator: slower, never
different. Type checkers see the standard decorator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")

_METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__match_args__")
_DEFAULT = dataclasses.field()
"""A field without options: a field's options must be these for the fast path."""
_OPTIONS = ("init", "repr", "hash", "compare", "metadata", "kw_only")

try:
    _PARAMS: Any = dataclasses._DataclassParams(True, True, True, False, False, True)  # type: ignore[attr-defined]
    _FIELD_TYPE: Any = dataclasses._FIELD  # type: ignore[attr-defined]
    _recursive_repr: Any = dataclasses._recursive_repr  # type: ignore[attr-defined]
    FAST = True
except (AttributeError, TypeError):  # another Python's dataclasses: the standard decorator only
    FAST = False


def _frozen(cls: type[T]) -> type[T]:
    """``dataclasses.dataclass(frozen=True)(cls)``, the fast way when ``cls`` is as the layer writes records."""
    made = _fast(cls) if FAST else None
    return made if made is not None else dataclasses.dataclass(frozen=True)(cls)


def _fast(cls: type[T]) -> type[T] | None:
    namespace = cls.__dict__
    if cls.__bases__ != (object,) or cls.__doc__ is None or any(name in namespace for name in _METHODS):
        return None
    fields: dict[str, dataclasses.Field[Any]] = {}
    for name, kind in namespace.get("__annotations__", {}).items():
        if not isinstance(kind, str) or "ClassVar" in kind or "InitVar" in kind or name == "self" or name.startswith("_"):
            return None  # pseudo-fields, or a name the compiled __init__ uses: the standard decorator knows them
        default = namespace.get(name, dataclasses.MISSING)
        if isinstance(default, dataclasses.Field):
            if any(getattr(default, option) != getattr(_DEFAULT, option) for option in _OPTIONS):
                return None
            made = default
        else:
            made = dataclasses.field(default=default)
        if made.default is not dataclasses.MISSING and made.default.__class__.__hash__ is None:
            return None  # a mutable default: the standard decorator's error
        made.name, made.type, made._field_type = name, kind, _FIELD_TYPE  # type: ignore[attr-defined]
        made.kw_only = False  # as the standard decorator sets it (no kw_only class)
        if made.default is dataclasses.MISSING and made.default_factory is dataclasses.MISSING and any(
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING for f in fields.values()
        ):
            return None  # a field without a default after one with: the standard decorator's error
        fields[name] = made
    names = tuple(fields)
    for name, f in fields.items():  # class attributes as the standard decorator leaves them
        if isinstance(namespace.get(name), dataclasses.Field):
            if f.default is dataclasses.MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
    read: Callable[[Any], tuple[Any, ...]] = (
        attrgetter(*names) if len(names) > 1 else (lambda self: tuple(getattr(self, name) for name in names))
    )

    def __repr__(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{n}={v!r}' for n, v in zip(names, read(self), strict=True))})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return read(self) == read(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(read(self))

    def __setattr__(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    methods: dict[str, Any] = {"__init__": _init(cls, fields), "__repr__": _recursive_repr(__repr__), "__eq__": __eq__,
                               "__hash__": __hash__, "__setattr__": __setattr__, "__delattr__": __delattr__}
    for name, method in methods.items():
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    cls.__match_args__ = names  # type: ignore[attr-defined,misc]
    cls.__dataclass_params__ = _PARAMS  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    return cls


def _init(cls: type, fields: dict[str, dataclasses.Field[Any]]) -> Callable[..., None]:
    """The ``__init__`` the standard decorator writes (same parameters, defaults and annotations), compiled as one
    short function: it fills the instance's ``__dict__`` in field order, as its ``object.__setattr__`` calls do."""
    scope: dict[str, Any] = {"_FACTORY": _HAS_DEFAULT_FACTORY}
    parameters, values = [], []
    for name, f in fields.items():
        if f.default is not dataclasses.MISSING:
            scope[f"_dflt_{name}"] = f.default
            parameters.append(f"{name}=_dflt_{name}")
            values.append(f"{name}={name}")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{name}"] = f.default_factory
            parameters.append(f"{name}=_FACTORY")
            values.append(f"{name}=_factory_{name}() if {name} is _FACTORY else {name}")
        else:
            parameters.append(name)
            values.append(f"{name}={name}")
    source = f"def __init__(self, {', '.join(parameters)}):\n    self.__dict__.update({', '.join(values)})\n"
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), scope)  # field names only: no text from outside
    init: Callable[..., None] = scope["__init__"]
    init.__annotations__ = {**{name: f.type for name, f in fields.items()}, "return": None}
    return init


class _HasDefaultFactory:
    def __repr__(self) -> str:
        return "<factory>"  # as the standard decorator's sentinel shows in a signature


_HAS_DEFAULT_FACTORY = getattr(dataclasses, "_HAS_DEFAULT_FACTORY", _HasDefaultFactory())


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass  # re-exported: the form type checkers know
else:

    def dataclass(*, frozen: bool) -> Callable[[type[T]], type[T]]:
        """``@dataclass(frozen=True)``: the only form the layer's records use."""
        if frozen is not True:
            raise TypeError("records are frozen: @dataclass(frozen=True)")
        return _frozen

"""The layer's public records (positions/records.py makes them without compiling six methods each at start-up) are
the classes ``dataclasses.dataclass(frozen=True)`` makes: the same fields, signature, repr, equality, hash,
frozenness and ``dataclasses`` functions; what the fast path was not written for gets the standard decorator."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from statediff.positions import records
from statediff.positions.digest import Edit, Item, Positions, PositionsFiles, TopicDigest
from statediff.positions.figures import Figure
from statediff.positions.marking import Marks
from statediff.positions.records import dataclass
from statediff.positions.topics import Topic

RECORDS = (Figure, Marks, Topic, Edit, Item, TopicDigest, Positions, PositionsFiles)


def standard(cls: type) -> Any:
    """``cls`` as the standard decorator makes it, from the same annotations, defaults and docstring."""
    namespace: dict[str, Any] = {"__annotations__": dict(cls.__annotations__), "__doc__": cls.__doc__,
                                 "__module__": cls.__module__, "__qualname__": cls.__qualname__}
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:
            namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
        elif f.default is not dataclasses.MISSING:
            namespace[f.name] = f.default
    return dataclasses.dataclass(frozen=True)(type(cls.__name__, (), namespace))


def samples(cls: type) -> list[dict[str, Any]]:
    """Field values for a few instances, the two last ones equal to each other."""
    figure = Figure("5 percent", None)
    topic = Topic("DPRK", (1, 2))
    item = Item("figure", 3, "5 → 6", ("+condemn",), None, (Edit("a", "b", 1),), 2)
    marks = Marks((figure,), "stronger", ("+condemn",), None, (), False, ("Russia",), (), True)
    values: dict[type, list[tuple[Any, ...]]] = {
        Figure: [("1", "2"), ("4", None), ("4", None)],
        Marks: [tuple(marks.__dict__.values()), (*list(marks.__dict__.values())[:-1], False),
                (*list(marks.__dict__.values())[:-1], False)],
        Topic: [("A", ()), ("B", (3,), True), ("B", (3,), True)],
        Edit: [("old", "new"), ("a", "", 2), ("a", "", 2)],
        Item: [("new", 1, "x"), tuple(item.__dict__.values()), tuple(item.__dict__.values())],
        TopicDigest: [(topic, (item,), 1), (topic, (), 0), (topic, (), 0)],
        Positions: [((marks, None), (topic,), (0, 0), ()), ((None,), (), (0,), (), "monetary-policy", {"hawkish": 1}),
                    ((None,), (), (0,), (), "monetary-policy", {"hawkish": 1})],
        PositionsFiles: [(), (("a.txt",), (), ("t.txt",)), (("a.txt",), (), ("t.txt",))],
    }
    names = [f.name for f in dataclasses.fields(cls)]
    return [dict(zip(names, v, strict=False)) for v in values[cls]]


def test_the_fast_path_is_taken_on_this_python() -> None:
    # Else every record silently pays the standard decorator's start-up cost again.
    assert records.FAST
    for cls in RECORDS:
        assert cls.__init__.__code__.co_filename == f"<record {cls.__qualname__}>", cls


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_a_record_is_the_class_the_standard_decorator_makes(cls: Any) -> None:
    ref = standard(cls)
    assert dataclasses.is_dataclass(cls) is True
    assert repr(cls.__dataclass_params__) == repr(ref.__dataclass_params__)
    assert cls.__match_args__ == ref.__match_args__
    assert str(inspect.signature(cls)) == str(inspect.signature(ref))
    assert [repr(f) for f in dataclasses.fields(cls)] == [repr(f) for f in dataclasses.fields(ref)]
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        assert getattr(cls, name).__qualname__ == getattr(ref, name).__qualname__
    for name in cls.__annotations__:  # class attributes: defaults stay, a factory's field is gone
        assert (name in cls.__dict__) == (name in ref.__dict__) and getattr(cls, name, None) == getattr(ref, name, None)
    values = samples(cls)
    made, theirs = [cls(**v) for v in values], [ref(**v) for v in values]
    positional = [cls(*v.values()) for v in values]
    for a, b, c in zip(made, theirs, positional, strict=True):
        assert repr(a) == repr(b) and a == c and vars(a) == vars(b) and list(vars(a)) == list(vars(b))
        assert dataclasses.astuple(a) == dataclasses.astuple(b) and dataclasses.asdict(a) == dataclasses.asdict(b)
        assert dataclasses.replace(a) == a and copy.deepcopy(a) == a and pickle.loads(pickle.dumps(a)) == a
        assert a != b  # another class, as two standard dataclasses of one shape are unequal
        assert (a == object()) is False and a.__eq__(object()) is NotImplemented
        for name in [*cls.__annotations__, "other"]:
            for change in (lambda o, n=name: setattr(o, n, 1), lambda o, n=name: delattr(o, n)):
                assert failure(change, a) == failure(change, b) and "FrozenInstanceError" in failure(change, a)
    assert (made[0] == made[1]) == (theirs[0] == theirs[1]) and made[1] == made[2] and theirs[1] == theirs[2]
    for a, b in zip(made, theirs, strict=True):
        assert failure(hash, a) == failure(hash, b)  # a dict field: unhashable, as a tuple holding one is
    for wrong in ({}, {**values[0], "nonsense": 1}, {"nonsense": 1}):
        assert failure(lambda kw: cls(**kw), wrong) == failure(lambda kw: ref(**kw), wrong)
    assert failure(lambda v: cls(*v, 1), list(values[0].values())) == failure(lambda v: ref(*v, 1), list(values[0].values()))


def failure(call: Any, value: object) -> str:
    """What ``call(value)`` raised (type and message), or what it returned."""
    try:
        return repr(call(value))
    except Exception as error:
        return f"{type(error).__name__}: {error}"


def test_a_default_factory_makes_a_new_value_per_instance() -> None:
    a, b = Positions((), (), (), ()), Positions((), (), (), ())
    assert a.tilt == {} and a.tilt is not b.tilt
    assert Positions((), (), (), (), None, {"dovish": 2}).tilt == {"dovish": 2}


def test_what_the_fast_path_was_not_written_for_gets_the_standard_decorator() -> None:
    class Base:
        pass

    def odd(body: dict[str, Any], bases: tuple[type, ...] = ()) -> Any:
        cls = type("Odd", bases, {"__doc__": "odd", "__annotations__": {"a": "int"}, "__module__": __name__, **body})
        return dataclass(frozen=True)(cls)

    for made in (odd({}, (Base,)), odd({"a": dataclasses.field(default=1, repr=False)}), odd({"__repr__": lambda s: "x"})):
        assert not made.__init__.__code__.co_filename.startswith("<record")
        assert dataclasses.is_dataclass(made)
    with pytest.raises(ValueError, match="mutable default"):
        odd({"a": []})  # the standard decorator's own error
    with pytest.raises(TypeError, match="non-default argument"):
        dataclass(frozen=True)(type("Late", (), {"__doc__": "d", "__annotations__": {"a": "int", "b": "int"}, "a": 1}))
    with pytest.raises(TypeError, match="frozen"):
        dataclass(frozen=False)
    undocumented: Any = dataclass(frozen=True)(type("Plain", (), {"__annotations__": {"a": "int"}}))
    assert undocumented.__doc__ == "Plain(a: 'int')"  # the standard decorator writes the docstring

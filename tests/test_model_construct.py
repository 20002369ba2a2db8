"""``wsla.model.construct.constructor`` builds exactly what the class builds."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path
from typing import Any

import pytest

import wsla.model as m
from wsla.check.scope import MetricEntry, ObjectScope, ParameterEntry
from wsla.model.construct import constructor
from wsla.xml.reader import load_xml

ROOT = Path(__file__).resolve().parents[1]
MODEL_CLASSES = sorted(
    {
        v
        for v in vars(m).values()
        if isinstance(v, type) and dataclasses.is_dataclass(v) and v.__module__.startswith("wsla")
    },
    key=lambda c: c.__qualname__,
)


def _signature(function: Any) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize(
    "cls",
    [*MODEL_CLASSES, MetricEntry, ObjectScope, ParameterEntry],
    ids=lambda c: c.__qualname__,
)
def test_same_parameters_as_the_class(cls: type) -> None:
    made = constructor(cls)
    assert made is not cls  # every model class is slotted: the shortcut applies
    assert _signature(made) == _signature(cls)


def _nodes(value: object) -> list[object]:
    out: list[object] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if dataclasses.is_dataclass(node) and not isinstance(node, type):
            out.append(node)
            stack.extend(getattr(node, f.name) for f in dataclasses.fields(node))
        elif isinstance(node, tuple):
            stack.extend(node)
    return out


SPECS = sorted(
    [*(ROOT / "specs").glob("*.xml"), *(ROOT / "tests" / "xsd_cases" / "valid").glob("*.xml")]
)


def test_rebuilding_every_node_gives_an_identical_node() -> None:
    seen: set[type] = set()
    for path in SPECS:
        spec, _ = load_xml(path.read_bytes(), str(path))
        if spec is None:
            continue  # fragments (X021): no Spec to walk
        for node in _nodes(spec):
            cls = type(node)
            seen.add(cls)
            values = {f.name: getattr(node, f.name) for f in dataclasses.fields(node)}
            rebuilt = constructor(cls)(**values)
            assert type(rebuilt) is cls
            assert rebuilt == node and hash(rebuilt) == hash(node) and repr(rebuilt) == repr(node)
            # Fields that equality ignores (spans) are set too.
            for name, value in values.items():
                assert getattr(rebuilt, name) is value
    # The specs exercise most of the model, not a handful of classes.
    assert len(seen) >= 40, sorted(c.__name__ for c in seen)


def test_defaults_and_immutability() -> None:
    ref = constructor(m.MetricRef)(name="RT")
    assert ref.span is None
    assert ref == m.MetricRef(name="RT")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ref.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        constructor(m.MetricRef)("RT")  # type: ignore[misc]  # keyword-only, like the class
    span = constructor(m.Span)("a.xml", 2)
    assert span == m.Span("a.xml", 2) and span.column == 1 and span.end_line is None


def test_classes_the_shortcut_cannot_build_are_returned_as_they_are() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        x: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError("negative")

    for cls in (NoSlots, Factory, Checked):
        assert constructor(cls) is cls
    with pytest.raises(ValueError, match="negative"):
        constructor(Checked)(x=-1)

"""Fast constructors for the frozen, slotted model classes.

A frozen dataclass's ``__init__`` sets every field through ``object.__setattr__`` (the
class's own ``__setattr__`` refuses). Readers build a hundred thousand nodes for a 10 MB
spec, and for them :func:`constructor` gives a function with the same parameters that
sets the slots directly: half the time for a ``Metric``. What it builds is an ordinary
instance of the class, equal to what the class builds, and as immutable.

>>> from wsla.model import MetricRef, Span
>>> make = constructor(MetricRef)
>>> make(name="RT", span=Span("a.xml", 3, 5)) == MetricRef(name="RT")
True
>>> type(make(name="RT")) is MetricRef
True
"""

from __future__ import annotations

import dataclasses
from functools import cache
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["constructor"]

T = TypeVar("T")


def _build(cls: type) -> Any:
    """A function that builds ``cls`` as ``cls(...)`` does, typed as ``cls`` so callers
    keep the checks of its signature; ``cls`` itself when the shortcut does not apply
    (no slots, a ``__post_init__``, default factories or fields outside ``__init__``)."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        return cls
    names: dict[str, Any] = {"_new_object_": object.__new__, "_class_": cls}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for i, f in enumerate(dataclasses.fields(cls)):
        slot = getattr(cls, f.name, None)
        if (
            not isinstance(slot, MemberDescriptorType)
            or not f.init
            or f.default_factory is not dataclasses.MISSING
        ):
            return cls
        names[f"_set{i}_"] = slot.__set__
        parameter = f.name
        if f.default is not dataclasses.MISSING:
            names[f"_default{i}_"] = f.default
            parameter = f"{f.name}=_default{i}_"
        (keyword if f.kw_only else positional).append(parameter)
        body.append(f"    _set{i}_(_made_, {f.name})")
    parameters = ", ".join([*positional, *(["*", *keyword] if keyword else [])])
    source = "\n".join(
        [
            f"def construct({parameters}):",
            "    _made_ = _new_object_(_class_)",
            *body,
            "    return _made_",
        ]
    )
    # Generated once per class, as dataclasses generates __init__ itself.
    exec(source, names)
    function = names["construct"]
    function.__qualname__ = f"constructor({cls.__qualname__})"
    return function


if TYPE_CHECKING:

    def constructor(cls: type[T]) -> type[T]:
        """Typed as the class itself, so that calls are checked against its fields."""

else:
    # Cached per class; no wrapper around the cache, which every node would pay for.
    constructor = cache(_build)

"""The runtime node protocol shared by directive and function implementations.

A compiled plan becomes a list of :class:`Node` objects. Each has a current ``value``
and the ``stamp`` (step number) of its last new value; the engine visits nodes in
topological order and calls ``on_change`` when an input got a new value in the step,
``on_tick`` when the node's schedule ticks in the step. Both return whether the node
took a new value. Nodes are plain mutable objects with ``__slots__`` for speed: they
are the engine's private state, never part of an outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wsla.runtime.values import Value

if TYPE_CHECKING:
    from wsla.runtime.plan import PlanNode


class Const:
    """A constant operand (scalar or named constant): quacks like a node's ``value``."""

    __slots__ = ("value",)

    def __init__(self, value: Value) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Const({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Const)
            and type(other.value) is type(self.value)
            and (other.value == self.value)
        )

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


class Node:
    """Base runtime node: holds the current value; recomputes nothing by default."""

    __slots__ = ("args", "index", "inputs", "note", "params", "plan", "stamp", "value")

    listens = True
    """Whether ``on_change`` does anything (TSConstructor only acts at ticks)."""
    changes_on_input = True
    """Whether an input's new value can give this node a new value in the same step."""

    def __init__(self, plan: PlanNode, args: tuple[Any, ...]) -> None:
        self.plan = plan
        self.index = plan.index
        self.args: tuple[Any, ...] = args
        self.inputs: tuple[Node, ...] = tuple(a for a in args if isinstance(a, Node))
        self.value: Value = None
        self.stamp = -1
        # indices of the SLA parameters that expose this node (set by the engine)
        self.params: tuple[int, ...] = ()
        # provenance of the current value (only filled when tracing)
        self.note: Any = None

    def on_change(self, time: int) -> bool:
        return False

    def on_tick(self, time: int) -> bool:
        return False

    def sample(self, time: int) -> Value:
        """The value as read at a sampling instant (a TSConstructor tick)."""
        return self.value

    def reset(self) -> None:
        self.value = None
        self.stamp = -1

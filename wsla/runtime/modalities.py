"""Execution modalities: when an action guarantee's evaluation requests its actions
(reference §5 "Obligations").

Each rule sees the evaluation's result (True, False or None = unknown) and the guarantee's
last *known* result (None when it has none yet); an unknown result never changes that
remembered state (the engine keeps it).
"""

from __future__ import annotations

from collections.abc import Callable

from wsla.model.types import ExecutionModality

Truth = bool | None


def always(result: Truth, last_known: Truth) -> bool:
    """Every true evaluation."""
    return result is True


def on_every_evaluation(result: Truth, last_known: Truth) -> bool:
    """Every evaluation, unknown included."""
    return True


def on_entering(result: Truth, last_known: Truth) -> bool:
    """A true evaluation whose last known result was not true (or none)."""
    return result is True and last_known is not True


def on_entering_and_leaving(result: Truth, last_known: Truth) -> bool:
    """Entering as above, or a false evaluation whose last known result was true."""
    return on_entering(result, last_known) or (result is False and last_known is True)


MODALITIES: dict[ExecutionModality, Callable[[Truth, Truth], bool]] = {
    ExecutionModality.ALWAYS: always,
    ExecutionModality.ON_EVERY_EVALUATION: on_every_evaluation,
    ExecutionModality.ON_ENTERING_CONDITION: on_entering,
    ExecutionModality.ON_ENTERING_AND_ON_LEAVING_CONDITION: on_entering_and_leaving,
}
"""Whether to request the actions, by modality."""

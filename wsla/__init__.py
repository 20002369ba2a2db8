"""wsla: machine-readable, checkable service level agreements (WSLA 1.0).

>>> import wsla
>>> spec = wsla.load("specs/stock-quote.xml")         # WSLA XML or .wsla, by content
>>> [d.code for d in wsla.validate(spec)]              # XSD + semantic rules
[]
>>> "slo UpTimeSLO" in wsla.dumps(spec, format="wsla")
True

The public API:

* reading and writing: :func:`load`, :func:`loads`, :func:`dumps`, :func:`read_spec`;
* checking: :func:`validate`, :func:`check`, :func:`graph` (networkx);
* evaluating: :func:`evaluate` (files, tables, iterables), :class:`Evaluator`
  (per-event engine), :class:`Monitor` (live, inside a service);
* values: :class:`Spec` (the object model, :mod:`wsla.model`), :class:`Diagnostic`,
  :class:`Severity`;
* errors: :class:`WslaError` ⊃ :class:`SpecError`, :class:`EvaluationError`;
  :class:`CheckpointError`.

Importing ``wsla`` loads nothing but its version; each name loads its module on first
use, and none of them loads xmlschema, networkx or numpy before it needs them.
"""

from typing import TYPE_CHECKING, Any

from wsla._version import __version__

if TYPE_CHECKING:
    from wsla.api import (
        SpecError,
        WslaError,
        check,
        dumps,
        graph,
        load,
        loads,
        read_spec,
        validate,
    )
    from wsla.checkpoint import CheckpointError
    from wsla.diagnostics import Diagnostic, Severity
    from wsla.evaluation import EvaluationError, evaluate
    from wsla.model import Spec
    from wsla.monitor import FakeClock, Monitor, WallClock
    from wsla.runtime.engine import Evaluator

__all__ = [
    "CheckpointError",
    "Diagnostic",
    "EvaluationError",
    "Evaluator",
    "FakeClock",
    "Monitor",
    "Severity",
    "Spec",
    "SpecError",
    "WallClock",
    "WslaError",
    "__version__",
    "check",
    "dumps",
    "evaluate",
    "graph",
    "load",
    "loads",
    "read_spec",
    "validate",
]

_LAZY = {
    **{
        name: ("wsla.api", name)
        for name in (
            "SpecError",
            "WslaError",
            "check",
            "dumps",
            "graph",
            "load",
            "loads",
            "read_spec",
            "validate",
        )
    },
    "Diagnostic": ("wsla.diagnostics", "Diagnostic"),
    "Severity": ("wsla.diagnostics", "Severity"),
    "Spec": ("wsla.model", "Spec"),
    "evaluate": ("wsla.evaluation", "evaluate"),
    "EvaluationError": ("wsla.evaluation", "EvaluationError"),
    "Evaluator": ("wsla.runtime.engine", "Evaluator"),
    "Monitor": ("wsla.monitor", "Monitor"),
    "FakeClock": ("wsla.monitor", "FakeClock"),
    "WallClock": ("wsla.monitor", "WallClock"),
    "CheckpointError": ("wsla.checkpoint", "CheckpointError"),
}
"""Every public name loads its module on first use: ``import wsla`` (and so
``wsla --version``) costs next to nothing."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'wsla' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

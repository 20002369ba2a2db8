"""wsla: machine-readable, checkable service level agreements (WSLA 1.0)."""

from typing import Any

from wsla._version import __version__
from wsla.diagnostics import Diagnostic, Severity
from wsla.model import Spec

__all__ = ["Diagnostic", "Evaluator", "Severity", "Spec", "__version__", "evaluate"]

_LAZY = {
    "evaluate": ("wsla.evaluation", "evaluate"),
    "Evaluator": ("wsla.runtime.engine", "Evaluator"),
}
"""Public names whose modules load on first use, so that ``import wsla`` stays light."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'wsla' has no attribute {name!r}")

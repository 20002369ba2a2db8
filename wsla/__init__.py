"""wsla: machine-readable, checkable service level agreements (WSLA 1.0)."""

from wsla._version import __version__
from wsla.diagnostics import Diagnostic, Severity
from wsla.model import Spec

__all__ = ["Diagnostic", "Severity", "Spec", "__version__"]

"""The top-level Python API: load, dump, validate and check specs.

>>> import wsla
>>> spec = wsla.load("specs/stock-quote.xml")
>>> spec.parties.provider.name
'ACMEProvider'
>>> wsla.loads(wsla.dumps(spec, format="wsla")) == spec
True

Readers never raise for a user's mistake inside a document: :func:`read_spec` returns
the diagnostics, and :func:`load`/:func:`loads` raise :class:`SpecError` carrying them
when a spec cannot be built.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from wsla.diagnostics import Diagnostic, has_errors
from wsla.model.spec import Spec

if TYPE_CHECKING:
    import networkx

    from wsla.limits import Limits

Format = Literal["xml", "wsla"]

__all__ = [
    "Format",
    "SpecError",
    "WslaError",
    "check",
    "dumps",
    "graph",
    "load",
    "loads",
    "read_spec",
    "validate",
]


class WslaError(Exception):
    """Base of the exceptions that wsla raises for a caller's input.

    Exception tree::

        WslaError
         ├── SpecError             a spec could not be read or built (.diagnostics)
         └── EvaluationError       (wsla.evaluation) a spec or data cannot be evaluated

    Runtime-specific errors (``wsla.runtime.plan.PlanError``,
    ``wsla.checkpoint.CheckpointError``, ``wsla.actions.outbox.OutboxError``) carry
    their own diagnostics or messages.
    """


class SpecError(WslaError):
    """A spec could not be loaded; :attr:`diagnostics` says why and where."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.is_error] or diagnostics
        first = str(errors[0]) if errors else "the spec could not be read"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")


def read_spec(
    data: bytes | str, path: str | None = None, *, limits: Limits | None = None
) -> tuple[Spec | None, list[Diagnostic]]:
    """Build a :class:`Spec` from WSLA XML or ``.wsla`` content (detected from content).

    XML goes through the hardened parser, the 2002-dialect normalisation, the XSD and
    the model reader; DSL text through the DSL reader and the XSD on its XML form.
    Semantic rules are not run here (see :func:`check`). Never raises for bad input;
    content over ``limits.max_input_bytes`` is ``L101``.
    """
    from wsla.limits import DEFAULT_LIMITS
    from wsla.validation import detect_format

    limits = limits or DEFAULT_LIMITS
    raw = data.encode("utf-8") if isinstance(data, str) else data
    name = path if path is not None else "<string>"
    if len(raw) > limits.max_input_bytes:
        return None, [_too_large(name, limits.max_input_bytes)]
    if detect_format(raw) == "xml" or (name.endswith(".xml") and not raw.strip()):
        from wsla.xml.reader import load_xml

        return load_xml(raw, path, limits=limits)
    if isinstance(data, str):
        text: str | Diagnostic = data
    else:
        from wsla.validation import decode_dsl

        text = decode_dsl(data, name)
    if isinstance(text, Diagnostic):
        return None, [text]
    from wsla.dsl.reader import loads_dsl

    spec, found = loads_dsl(text, path, limits=limits)
    if spec is not None and not has_errors(found):
        from wsla.xml.schema import validate_model

        found = [*found, *validate_model(spec)]
    return spec, found


def _too_large(name: str, cap: int) -> Diagnostic:
    from wsla.codes import diagnostic
    from wsla.model.span import Span

    return diagnostic(
        "L101",
        f"the input is larger than the limit of {cap:,} bytes",
        Span(name, 1, 1),
        help="raise Limits.max_input_bytes if the file is trusted",
    )


def loads(data: str | bytes, *, path: str | None = None, limits: Limits | None = None) -> Spec:
    """Load a spec from WSLA XML or ``.wsla`` text; :class:`SpecError` when it has errors."""
    spec, diagnostics = read_spec(data, path, limits=limits)
    if spec is None or has_errors(diagnostics):
        raise SpecError(diagnostics)
    return spec


def load(path: str | os.PathLike[str], *, limits: Limits | None = None) -> Spec:
    """Load a spec file (``.xml`` or ``.wsla``; the format is detected from content).

    Raises :class:`SpecError` for a spec with errors (``L101`` for a file over
    ``limits.max_input_bytes``, of which no more is read) and ``OSError`` when the file
    cannot be read.
    """
    from wsla.limits import DEFAULT_LIMITS

    limits = limits or DEFAULT_LIMITS
    p = Path(path)
    with p.open("rb") as f:
        data = f.read(limits.max_input_bytes + 1)
    if len(data) > limits.max_input_bytes:
        raise SpecError([_too_large(str(p), limits.max_input_bytes)])
    return loads(data, path=str(p), limits=limits)


def dumps(spec: Spec, format: Format = "xml") -> str:
    """Write ``spec`` as WSLA XML (``format="xml"``) or as ``.wsla`` text."""
    if format == "xml":
        from wsla.xml.writer import dumps_xml

        return dumps_xml(spec).decode("utf-8")
    if format == "wsla":
        from wsla.dsl.printer import dumps_dsl

        return dumps_dsl(spec)
    raise ValueError(f"unknown format {format!r}; expected 'xml' or 'wsla'")


def validate(source: str | os.PathLike[str] | Spec) -> list[Diagnostic]:
    """Every finding for a spec file or directory, or for an in-memory :class:`Spec`.

    Files get the XSD and the semantic rules, exactly as ``wsla validate``; a
    :class:`Spec` gets the XSD check of its XML form and the semantic rules.
    """
    if isinstance(source, Spec):
        from wsla.xml.schema import validate_model

        found = validate_model(source)
        return found if has_errors(found) else [*found, *check(source)]
    from wsla.validation import validate_paths

    return validate_paths([os.fspath(source)])


def check(spec: Spec) -> list[Diagnostic]:
    """The semantic rules (names, parties, actions, types, units, time, graph)."""
    from wsla.check import check as run_checks

    return run_checks(spec)


def graph(spec: Spec) -> networkx.DiGraph[str]:
    """The metric dependency graph: measurements → metrics → parameters → obligations
    → actions (see :mod:`wsla.graph`)."""
    from wsla.graph import build_graph

    return build_graph(spec)

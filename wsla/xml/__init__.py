"""WSLA XML: the hardened reader, the writer, XSD validation and the 2002 dialect.

``load_xml(data, path)`` runs the whole pipeline (parse → XSD → model, normalising the
2002 dialect first when the document is not valid as written) and returns ``(spec or
None, diagnostics)``; ``dumps_xml(spec)`` writes a spec back.

Each name loads its module on first use: ``wsla validate`` on XML never needs the
writer, nor the 2002 dialect for a valid document.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wsla.xml.legacy import normalize
    from wsla.xml.reader import load_xml, parse_xml, read_tree
    from wsla.xml.schema import validate_model, validate_tree
    from wsla.xml.writer import dumps_xml, to_tree

__all__ = [
    "dumps_xml",
    "load_xml",
    "normalize",
    "parse_xml",
    "read_tree",
    "to_tree",
    "validate_model",
    "validate_tree",
]

_LAZY = {
    "normalize": "wsla.xml.legacy",
    "load_xml": "wsla.xml.reader",
    "parse_xml": "wsla.xml.reader",
    "read_tree": "wsla.xml.reader",
    "validate_model": "wsla.xml.schema",
    "validate_tree": "wsla.xml.schema",
    "dumps_xml": "wsla.xml.writer",
    "to_tree": "wsla.xml.writer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wsla.xml' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)

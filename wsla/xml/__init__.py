"""WSLA XML: the hardened reader, the writer, XSD validation and the 2002 dialect.

``load_xml(data, path)`` runs the whole pipeline (parse → legacy normalisation → XSD →
model) and returns ``(spec or None, diagnostics)``; ``dumps_xml(spec)`` writes a spec back.
"""

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

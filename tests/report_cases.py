"""A fixed list of diagnostics and sources shared by the renderer golden tests.

It exercises what renderers get wrong: labels in the same and in another file, help and
notes, multi-line spans, tabs, wide unicode, a span at the very end of a file, a
diagnostic without a span, a file missing from the sources, and characters that need
escaping in JSON, XML and GitHub workflow commands (``%``, ``:``, ``,``, newlines).
Codes are ``Z…`` (never registered, so other families' titles cannot make the goldens
drift) and two of our own ``C`` codes, whose registry entries feed SARIF rules.
"""

from __future__ import annotations

import os
from pathlib import Path

from wsla.diagnostics import Diagnostic, Label, Severity
from wsla.model.span import Span

GOLDEN_DIR = Path(__file__).parent / "cases" / "report"

XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<SLA xmlns="http://www.ibm.com/wsla" name="Demo">\n'
    "\t<Parties>\n"
    '\t\t<ServiceProvider name="ACME">\n'
    "\t\t\t<Contact>Zürich 日本</Contact>\n"
    "\t\t</ServiceProvider>\n"
    "\t</Parties>\n"
    "  <Obligations>\n"
    '    <ServiceLevelObjective name="G1"\n'
    '        serviceObject="Quote">\n'
    "      <Obliged>ACMEProvider</Obliged>\n"
    "    </ServiceLevelObjective>\n"
    "  </Obligations>\n"
    "</SLA>"
)

DSL = (
    "// 100% uptime, demo\n"
    "sla Demo {\n"
    "  provider ACME\n"
    "  slo G1 obliged ACMEProvider on new value {\n"
    "    Availability >= 99.9 %\n"
    "  }\n"
    "}\n"
)

SOURCES: dict[str, str] = {
    "specs/demo.xml": XML,
    "specs/demo, 100%.wsla": DSL,
    "specs/empty.xml": "",
}

DIAGNOSTICS: list[Diagnostic] = [
    Diagnostic(
        "Z101",
        Severity.ERROR,
        "undefined party 'ACMEProvider' (obliged by SLO 'G1')",
        Span("specs/demo.xml", 11, 16, 11, 27),
        labels=(Label(Span("specs/demo.xml", 4, 26, 4, 29), "the provider is named 'ACME'"),),
        help="did you mean 'ACME'?",
        notes=("parties are referred to by their @name", "names are case-sensitive"),
    ),
    Diagnostic(
        "Z102",
        Severity.ERROR,
        "element 'ServiceLevelObjective' is missing 'Validity'",
        Span("specs/demo.xml", 9, 5, 12, 28),
    ),
    Diagnostic(
        "Z103",
        Severity.WARNING,
        "contact text is not ASCII: 'Zürich 日本'",
        Span("specs/demo.xml", 5, 13, 5, 21),
        help="this is only a warning",
    ),
    Diagnostic(
        "Z104",
        Severity.ERROR,
        "unexpected end of file",
        Span("specs/demo.xml", 14, 7),
    ),
    Diagnostic(
        "Z105",
        Severity.ERROR,
        "unit '%' does not match 'ratio': 100%, a:b, c\r\nsecond line",
        Span("specs/demo, 100%.wsla", 5, 21, 5, 26),
        labels=(
            Label(Span("specs/demo, 100%.wsla", 4, 31, 4, 32), "evaluated on"),
            Label(Span("specs/demo.xml", 9, 34, 9, 35), "also declared here"),
        ),
    ),
    Diagnostic("C005", Severity.ERROR, "empty input", Span("specs/empty.xml", 1, 1)),
    Diagnostic(
        "Z106",
        Severity.INFO,
        "internal note without a location",
        None,
        notes=("multi\nline note",),
    ),
    Diagnostic(
        "C001",
        Severity.ERROR,
        "file not found",
        Span("specs/missing.xml", 1, 1),
    ),
]


def check_golden(name: str, actual: str) -> None:
    """Compare with ``tests/cases/report/<name>``; ``WSLA_UPDATE_GOLDEN=1`` rewrites it."""
    path = GOLDEN_DIR / name
    if os.environ.get("WSLA_UPDATE_GOLDEN") == "1":
        path.write_bytes(actual.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8") if path.exists() else None
    assert actual == expected, f"{name} drifted; rerun with WSLA_UPDATE_GOLDEN=1 and review"

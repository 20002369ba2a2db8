"""JUnit XML, as CI systems (GitLab, Jenkins, Azure) display test results.

One ``testcase`` per checked file; it fails when the file has an error (or, under
``strict``, a warning). The failure's text lists the file's findings one per line;
findings without a file go to a ``testcase`` named ``wsla``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from wsla.diagnostics import Diagnostic, Severity

__all__ = ["render_junit"]

_NO_FILE = "wsla"


def _line(d: Diagnostic) -> str:
    out = [" ".join(str(d).split())]
    if d.help:
        out.append(f"  help: {d.help}")
    out.extend(f"  note: {n}" for n in d.notes)
    return "\n".join(out)


def _clean(text: str) -> str:
    # XML 1.0 cannot hold most control characters, even escaped.
    return "".join(
        ch
        if ch in "\t\n\r"
        or (" " <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd")
        or ch > "\uffff"
        else "\ufffd"
        for ch in text
    )


def render_junit(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    color: bool = False,
    strict: bool = False,
) -> str:
    by_file: dict[str, list[Diagnostic]] = {path: [] for path in sorted(sources)}
    for d in diagnostics:
        path = d.span.path if d.span is not None and d.span.path is not None else _NO_FILE
        by_file.setdefault(path, []).append(d)
    threshold = Severity.WARNING.rank if strict else Severity.ERROR.rank

    suite = etree.Element("testsuite", name="wsla validate")
    failures = 0
    for path, found in by_file.items():
        case = etree.SubElement(suite, "testcase", classname="wsla.validate", name=_clean(path))
        if path != _NO_FILE:
            case.set("file", _clean(path))
        failing = [d for d in found if d.severity.rank >= threshold]
        if failing:
            failures += 1
            worst = failing[0]
            count = f"{len(failing)} finding{'s' if len(failing) != 1 else ''}"
            summary = f"{count}: {worst.code} {worst.message}"
            failure = etree.SubElement(
                case, "failure", type=worst.code, message=_clean(" ".join(summary.split()))
            )
            failure.text = _clean("\n".join(_line(d) for d in failing) + "\n")
        rest = [d for d in found if d.severity.rank < threshold]
        if rest:
            out = etree.SubElement(case, "system-out")
            out.text = _clean("\n".join(_line(d) for d in rest) + "\n")
    tests = str(len(by_file))
    suite.set("tests", tests)
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    root = etree.Element("testsuites", name="wsla", tests=tests, failures=str(failures), errors="0")
    root.append(suite)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode(
        "utf-8"
    )

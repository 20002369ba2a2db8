"""Golden and behavioural tests of the text renderer."""

from __future__ import annotations

import click
from report_cases import DIAGNOSTICS, SOURCES, check_golden

from wsla.diagnostics import Diagnostic, Label, Severity
from wsla.model.span import Span
from wsla.report.text import render_text, source_lines


def test_golden_plain() -> None:
    check_golden("text.txt", render_text(DIAGNOSTICS, SOURCES))


def test_golden_colour() -> None:
    check_golden("text-color.txt", render_text(DIAGNOSTICS, SOURCES, color=True))


def test_colour_changes_nothing_but_escapes() -> None:
    plain = render_text(DIAGNOSTICS, SOURCES)
    coloured = render_text(DIAGNOSTICS, SOURCES, color=True)
    assert coloured != plain
    assert click.unstyle(coloured) == plain


def test_header_is_path_line_col_code_message() -> None:
    d = Diagnostic("X002", Severity.ERROR, "boom", Span("a.xml", 2, 3))
    assert render_text([d], {}).splitlines()[0] == "a.xml:2:3: X002 boom"


def test_empty_list_renders_nothing() -> None:
    assert render_text([], SOURCES) == ""


def test_caret_under_tabbed_and_wide_text() -> None:
    src = "\tx = 日本 + y\n"
    # 'y' is code point 11 on the line; displayed after a 4-space tab and two wide chars.
    d = Diagnostic("T001", Severity.ERROR, "m", Span("f.wsla", 1, 11, 1, 11))
    lines = render_text([d], {"f.wsla": src}).splitlines()
    src_row, caret_row = lines[2], lines[3]
    assert src_row == "1 |     x = 日本 + y"
    assert caret_row.index("^") == len("1 |     x = ") + 4 + len(" + ")
    assert caret_row.count("^") == 1


def test_span_past_end_of_line() -> None:
    d = Diagnostic("D001", Severity.ERROR, "eof", Span("f", 1, 4))
    caret = render_text([d], {"f": "abc"}).splitlines()[3]
    assert caret == "  |    ^ error"


def test_crlf_and_form_feed_do_not_shift_lines() -> None:
    assert source_lines("a\r\nb\x0cc\nd") == ["a", "b\x0cc", "d"]
    d = Diagnostic("D001", Severity.ERROR, "m", Span("f", 3, 1))
    assert "3 | d" in render_text([d], {"f": "a\r\nb\x0cc\nd"})


def test_control_characters_are_not_written_raw() -> None:
    d = Diagnostic("X004", Severity.ERROR, "binary", Span("f", 1, 1))
    out = render_text([d], {"f": "\x00\x1b[31mPNG"})
    assert "\x00" not in out
    assert "\x1b" not in out


def test_label_in_unknown_file_is_skipped_but_header_kept() -> None:
    d = Diagnostic(
        "N001",
        Severity.ERROR,
        "m",
        Span("a", 1, 1),
        labels=(Label(Span("elsewhere", 1, 1), "x"),),
    )
    out = render_text([d], {"a": "abc"})
    assert "elsewhere" not in out
    assert out.startswith("a:1:1: N001 m\n")


def test_deterministic() -> None:
    assert render_text(DIAGNOSTICS, SOURCES) == render_text(list(DIAGNOSTICS), dict(SOURCES))


def test_labels_of_a_spanless_diagnostic_name_their_file() -> None:
    d = Diagnostic("N001", Severity.ERROR, "m", None, labels=(Label(Span("a", 1, 2), "here"),))
    assert render_text([d], {"a": "abc"}) == (
        "<input>: N001 m\n ::: a:1:2\n  |\n1 | abc\n  |  - here\n\n"
    )

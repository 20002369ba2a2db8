"""Renderers never fail, whatever the diagnostics and sources look like."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from test_report_sarif_schema import SCHEMA, errors

from wsla.diagnostics import Diagnostic, Label, Severity
from wsla.model.span import Span
from wsla.report import FORMATS, get_renderer

PATHS = ["a.xml", "b c.wsla", "d%,:e.xml"]
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
lines = st.integers(min_value=1, max_value=8)
spans = st.builds(
    Span,
    path=st.sampled_from([*PATHS, "missing.xml"]),
    line=lines,
    column=st.integers(min_value=1, max_value=50),
    end_line=st.none() | lines,
    end_column=st.none() | st.integers(min_value=1, max_value=50),
)
diagnostics = st.lists(
    st.builds(
        Diagnostic,
        code=st.from_regex(r"[A-Z][0-9]{3}", fullmatch=True),
        severity=st.sampled_from(Severity),
        message=text,
        span=st.none() | spans,
        labels=st.lists(st.builds(Label, span=spans, message=text), max_size=3).map(tuple),
        help=st.none() | text,
        notes=st.lists(text, max_size=2).map(tuple),
    ),
    max_size=5,
)
sources = st.fixed_dictionaries({p: st.lists(text, max_size=8).map("\n".join) for p in PATHS})


@given(diagnostics, sources, st.booleans())
def test_every_renderer_copes(ds: list[Diagnostic], src: dict[str, str], strict: bool) -> None:
    for name in FORMATS:
        out = get_renderer(name)(ds, src, color=True, strict=strict)
        assert isinstance(out, str)


@given(diagnostics, sources)
def test_text_headers(ds: list[Diagnostic], src: dict[str, str]) -> None:
    out = get_renderer("text")(ds, src)
    headers = [line for line in out.split("\n") if line and not line.startswith((" ", "."))]
    heads = [h for h in headers if any(h.startswith(f"{d.span}: {d.code} ") for d in ds if d.span)]
    assert len(heads) >= sum(1 for d in ds if d.span is not None)


@given(diagnostics, sources)
def test_machine_formats_parse(ds: list[Diagnostic], src: dict[str, str]) -> None:
    doc = json.loads(get_renderer("json")(ds, src))
    assert [d["code"] for d in doc["diagnostics"]] == [d.code for d in ds]
    sarif = json.loads(get_renderer("sarif")(ds, src))
    assert errors(sarif, SCHEMA) == []
    junit = etree.fromstring(get_renderer("junit")(ds, src).encode("utf-8"))
    assert junit.tag == "testsuites"
    github = get_renderer("github")(ds, src)
    assert github.count("\n") == len(ds)
    assert all(line.startswith("::") for line in github.split("\n")[:-1])
    concise = get_renderer("concise")(ds, src)
    assert concise.count("\n") == len(ds)

"""The top-level API: what ``import wsla`` offers and how it behaves on bad input."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

import wsla
import wsla.api

ROOT = Path(__file__).resolve().parents[1]
STOCK = ROOT / "specs" / "stock-quote.xml"


def test_every_public_name_resolves() -> None:
    for name in wsla.__all__:
        assert getattr(wsla, name) is not None, name
    assert set(dir(wsla)) >= set(wsla.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = wsla.nope  # type: ignore[attr-defined]


def test_load_dumps_loads_both_syntaxes() -> None:
    spec = wsla.load(STOCK)
    assert spec.name == "DemoSLA123"
    as_dsl = wsla.dumps(spec, format="wsla")
    as_xml = wsla.dumps(spec)
    assert as_xml.startswith("<?xml")
    assert wsla.loads(as_dsl) == spec
    assert wsla.loads(as_xml) == spec
    assert wsla.load(ROOT / "specs" / "stock-quote.wsla") == spec
    with pytest.raises(ValueError, match="unknown format"):
        wsla.dumps(spec, format="yaml")  # type: ignore[arg-type]


def test_spans_point_into_the_source() -> None:
    spec = wsla.load(STOCK)
    provider = spec.parties.provider
    assert provider.span is not None
    assert provider.span.path == str(STOCK)
    line = STOCK.read_text().splitlines()[provider.span.line - 1]
    assert "<ServiceProvider" in line


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("<SLA", "X"),  # not well-formed XML
        ("sla X {", "D"),  # DSL syntax error
        (b"\xff\xfe\x00garbage", "X"),
    ],
)
def test_loads_raises_spec_error_with_diagnostics(text: str | bytes, code: str) -> None:
    with pytest.raises(wsla.SpecError) as err:
        wsla.loads(text)
    assert err.value.diagnostics
    assert err.value.diagnostics[0].code.startswith(code)
    assert isinstance(err.value, wsla.WslaError)
    assert str(err.value).split(": ", 1)[1].startswith(err.value.diagnostics[0].code)


def test_read_spec_never_raises_and_reports_invalid_utf8_in_dsl() -> None:
    spec, found = wsla.read_spec(b"sla X {\n  provider \xff\n}", "bad.wsla")
    assert spec is None
    assert [d.code for d in found] == ["C004"]
    assert found[0].span is not None
    assert (found[0].span.line, found[0].span.column) == (2, 12)


def test_validate_paths_and_models() -> None:
    assert wsla.validate(ROOT / "specs") == []
    spec = wsla.load(STOCK)
    assert wsla.validate(spec) == []
    assert wsla.check(spec) == []
    broken = wsla.loads(
        wsla.dumps(spec).replace("<Obliged>ACMEProvider</Obliged>", "<Obliged>ACME</Obliged>")
    )
    codes = [d.code for d in wsla.validate(broken)]
    assert codes
    assert all(c[0] in "NR" for c in codes)


def test_graph_reaches_from_measurements_to_actions() -> None:
    g = wsla.graph(wsla.load(STOCK))
    assert g.number_of_nodes() > 20
    assert g.number_of_edges() > 20


def test_doctests_of_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for module in (wsla, wsla.api):
        failures, tried = doctest.testmod(module)
        assert tried > 0
        assert failures == 0


def test_load_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):  # noqa: PT011 - any OSError subclass is right here
        wsla.load(os.fspath(tmp_path / "missing.xml"))

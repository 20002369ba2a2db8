"""``load_xml`` skips the 2002-dialect walk for documents valid as written.

That is sound only if every construct the normalisation rewrites makes the document
invalid against the 1.0 schema: each construct kind is checked alone here, in a copy of
the 2002 stock quote spec where every other construct is already written the 1.0 way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wsla.xml import legacy, schema
from wsla.xml.reader import load_xml, parse_xml

LEGACY = Path(__file__).parent / "cases" / "xml" / "legacy" / "stock-quote-2002.xml"

# The 1.0 way of writing each construct of the legacy spec, by the code it is reported as.
FIXES: dict[str, list[tuple[str, str]]] = {
    "X050": [
        (
            '<SupportingParty name="YMeasurement" role="MeasurementService">\n'
            "      <Sponsor>ACMEProvider</Sponsor>\n",
            '<SupportingParty name="YMeasurement">\n'
            "      <Sponsor>ACMEProvider</Sponsor>\n"
            "      <Role>MeasurementService</Role>\n",
        )
    ],
    "X051": [
        (
            'partyName="ACMEProvider"\n              xsi:type="WSDLSOAPOperationDescriptionType">',
            'partyName="ACMEProvider"\n              xsi:type="WSDLSOAPActionDescriptionType">',
        ),
        (
            'partyName="XInc" xsi:type="WSDLSOAPOperationDescriptionType">',
            'partyName="XInc" xsi:type="WSDLSOAPActionDescriptionType">',
        ),
    ],
    "X052": [
        (
            "<RequestURL>http://ymeasurement.example/utilization</RequestURL>",
            "<MeasurementURI>http://ymeasurement.example/utilization</MeasurementURI>",
        ),
        (
            "<RequestURL>http://acme.example/quote/ping</RequestURL>",
            "<RequestURI>http://acme.example/quote/ping</RequestURI>",
        ),
    ],
    "X053": [("<LongScalar>0.8</LongScalar>", "<FloatScalar>0.8</FloatScalar>")],
    "X054": [
        (
            "          <Schedule>fiveMinutes</Schedule>\n          <Metric>Probed",
            "          <Metric>Probed",
        )
    ],
}


def _text(keep: str | None) -> str:
    text = LEGACY.read_text()
    for code, pairs in FIXES.items():
        if code == keep:
            continue
        for old, new in pairs:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
    return text


def test_the_spec_written_the_1_0_way_is_valid_and_left_alone() -> None:
    tree, found = parse_xml(_text(None).encode(), "fixed.xml")
    assert tree is not None, found
    assert schema.is_valid(tree)
    assert legacy.normalize(tree, "fixed.xml") == []


@pytest.mark.parametrize("code", sorted(FIXES))
def test_each_2002_construct_alone_breaks_the_schema(code: str) -> None:
    data = _text(code).encode()
    tree, found = parse_xml(data, "one.xml")
    assert tree is not None, found
    assert not schema.is_valid(tree)
    warnings = legacy.normalize(tree, "one.xml", source=data)
    assert {d.code for d in warnings} == {code}
    # And the whole pipeline still reports it and reads the spec.
    spec, diagnostics = load_xml(data, "one.xml")
    assert spec is not None, diagnostics
    assert [d.code for d in diagnostics] == [d.code for d in warnings]


def test_is_valid_agrees_with_validate_tree() -> None:
    for text in (_text(None), _text("X053")):
        tree, _ = parse_xml(text.encode(), "a.xml")
        assert tree is not None
        assert schema.is_valid(tree) == (schema.validate_tree(tree, "a.xml") == [])

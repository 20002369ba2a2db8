"""XML codes (``X``): syntax, safety, schema validation, values and the 2002 dialect.

Ranges: ``X00x`` input that is not XML, ``X01x`` hostile or oversized input, ``X02x``
the document root, ``X03x`` XSD validation, ``X04x`` values the model cannot hold,
``X05x`` legacy (2002) constructs rewritten on reading, ``X09x`` a broken installation.
"""

from __future__ import annotations

from wsla.codes import Code
from wsla.diagnostics import Severity

_E = Severity.ERROR
_W = Severity.WARNING
_I = Severity.INFO

_SLA_OPEN = '<SLA xmlns="http://www.ibm.com/wsla" name="DemoSLA">'

CODES: tuple[Code, ...] = (
    Code(
        "X001",
        _E,
        "empty document",
        "The file holds no XML at all (zero bytes, or only whitespace). A WSLA document needs "
        "at least a root element, normally `SLA`.",
        "",
        _SLA_OPEN + "…</SLA>",
    ),
    Code(
        "X002",
        _E,
        "XML is not well-formed",
        "The XML parser stopped at the given line and column: a tag is not closed, tags are "
        "mismatched, an attribute is repeated, an entity is undefined or a character is not "
        "allowed there. Nothing after that point can be read.",
        "<SLA><Parties></SLA>",
        "<SLA><Parties>…</Parties></SLA>",
    ),
    Code(
        "X003",
        _E,
        "invalid character encoding",
        "The bytes do not match the document's declared (or default UTF-8) encoding. Save the "
        "file as UTF-8, or declare its real encoding in the XML declaration.",
        '<?xml version="1.0" encoding="UTF-8"?>  (file saved as Latin-1)',
        '<?xml version="1.0" encoding="ISO-8859-1"?>',
    ),
    Code(
        "X004",
        _E,
        "binary content, not XML",
        "The input contains NUL bytes without a UTF-16 byte-order mark: it is a binary file "
        "(an archive, an image, a compiled file), not an XML document.",
        "\\x89PNG\\r\\n\\x1a\\n\\x00\\x00…",
        _SLA_OPEN + "…</SLA>",
        "text",
    ),
    Code(
        "X010",
        _E,
        "entity declarations are not allowed",
        "The DOCTYPE declares entities. wsla never expands entities: expansion is the "
        "mechanism of 'billion laughs' memory bombs, and WSLA documents do not need it. The "
        "document is rejected; write the text out instead of using an entity.",
        '<!DOCTYPE SLA [<!ENTITY who "ACMEProvider">]>\n<SLA …><Obliged>&who;</Obliged>',
        "<SLA …><Obliged>ACMEProvider</Obliged>",
    ),
    Code(
        "X011",
        _E,
        "external entity declared",
        "The DOCTYPE declares an entity whose content lives in another file or at a URL "
        "(`SYSTEM` / `PUBLIC`). Such entities can leak local files or contact servers (XXE). "
        "wsla never reads them and rejects the document.",
        '<!DOCTYPE SLA [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        "(no DOCTYPE)",
    ),
    Code(
        "X012",
        _E,
        "external DTD referenced",
        "The DOCTYPE points at an external DTD. wsla never loads DTDs (no file or network "
        "access while parsing); WSLA documents are checked against the XSD instead. Remove "
        "the DOCTYPE.",
        '<!DOCTYPE SLA SYSTEM "http://example.com/wsla.dtd">',
        "(no DOCTYPE)",
    ),
    Code(
        "X013",
        _E,
        "elements nested too deeply",
        "The parser stops at 256 levels of nesting to protect against stack and memory "
        "exhaustion. No real SLA comes near this; the input is probably generated or hostile. "
        "Flatten deeply nested functions into named metrics.",
        "<Function><Operand><Function><Operand>… (thousands of levels)",
        "<Metric name='Step1'>…</Metric><Metric name='Step2'>…<Metric>Step1</Metric>…",
    ),
    Code(
        "X014",
        _E,
        "parser resource limit exceeded",
        "A single text node, name or attribute exceeds the parser's safety limits (about "
        "10 MB of text per node). The input is probably not a hand-written SLA.",
        "<Description>(50 MB of text)</Description>",
        "<Description>a short description</Description>",
    ),
    Code(
        "X020",
        _E,
        "root element is not in the WSLA namespace",
        "The root element must be in the namespace `http://www.ibm.com/wsla` (usually as "
        "the default namespace). A missing or misspelt `xmlns` is the usual cause.",
        '<SLA name="DemoSLA">…</SLA>',
        _SLA_OPEN + "…</SLA>",
    ),
    Code(
        "X021",
        _I,
        "document is a WSLA fragment, not an SLA",
        "The root is a global WSLA element other than `SLA` (for example a bare `Metric`). "
        "It was checked against the XSD, but only a whole `SLA` can be loaded as a spec and "
        "checked further.",
        '<Metric xmlns="http://www.ibm.com/wsla" name="RT">…</Metric>',
        _SLA_OPEN + "…<Metric name='RT'>…</Metric>…</SLA>",
    ),
    Code(
        "X022",
        _E,
        "unknown root element",
        "The root element is in the WSLA namespace but is not one of its global elements "
        "(SLA, Parties, Schedule, Operation, Metric, SLAParameter, …).",
        '<Agreement xmlns="http://www.ibm.com/wsla">',
        _SLA_OPEN,
    ),
    Code(
        "X030",
        _E,
        "unexpected or missing element",
        "An element appears where the WSLA schema does not allow it, is missing, or the "
        "children are in the wrong order. WSLA content models are sequences: children must "
        "come in the order the schema gives. The help line lists what was expected.",
        "<Metric name='RT'><MetricURI>…</MetricURI><Source>YMeasurement</Source>…",
        "<Metric name='RT'><Source>YMeasurement</Source><MetricURI>…</MetricURI>…",
    ),
    Code(
        "X031",
        _E,
        "invalid value",
        "An element's text or an attribute value does not match its XSD datatype or "
        "enumeration (a number that is not a number, a role or type that does not exist, a "
        "malformed dateTime).",
        "<Window>twelve</Window>",
        "<Window>12</Window>",
    ),
    Code(
        "X032",
        _E,
        "missing or unknown xsi:type",
        "Abstract WSLA elements (`MeasurementDirective`, `Function`, `Predicate`, a party's "
        "`Action`) need an `xsi:type` that names one of their subtypes, as a QName resolved "
        'in scope (e.g. `xsi:type="Gauge"` with WSLA as the default namespace).',
        '<Function xsi:type="Average2" resultType="double">',
        '<Function xsi:type="Mean" resultType="double">',
    ),
    Code(
        "X033",
        _E,
        "invalid attribute",
        "An attribute is not allowed on this element, or a required one is missing.",
        "<Metric name='RT' kind='gauge'>",
        "<Metric name='RT' type='long'>",
    ),
    Code(
        "X034",
        _E,
        "schema violation",
        "The document violates the WSLA XSD in a way not covered by a more specific code; "
        "the message quotes the validator.",
        "",
        "",
    ),
    Code(
        "X040",
        _E,
        "value out of range",
        "The value is valid for the XSD datatype but cannot be represented by wsla: a "
        "dateTime before year 1 or after year 9999, or an integer of more than 4300 digits "
        "(Python's limit for converting text to integers).",
        "<Start>10000-01-01T00:00:00Z</Start>",
        "<Start>2026-01-01T00:00:00Z</Start>",
    ),
    Code(
        "X050",
        _W,
        "legacy `role` attribute on SupportingParty",
        "The 2002 dialect gave a supporting party its role as an attribute. WSLA 1.0 uses "
        "`Role` elements after the `Sponsor`s. wsla rewrites it when reading; `wsla fmt` / "
        "`wsla convert` write the 1.0 form.",
        '<SupportingParty name="Y" role="MeasurementService">…',
        '<SupportingParty name="Y">…<Sponsor>ACMEProvider</Sponsor>'
        "<Role>MeasurementService</Role></SupportingParty>",
    ),
    Code(
        "X051",
        _W,
        "legacy operation type on a party's Action",
        "The 2002 dialect typed a party's action as `WSDLSOAPOperationDescriptionType`. In "
        "WSLA 1.0 that type describes service operations; party actions use "
        "`WSDLSOAPActionDescriptionType`. wsla rewrites it when reading.",
        '<Action name="notification" xsi:type="WSDLSOAPOperationDescriptionType">',
        '<Action name="notification" xsi:type="WSDLSOAPActionDescriptionType">',
    ),
    Code(
        "X052",
        _W,
        "legacy `RequestURL` element",
        "The 2002 dialect used `RequestURL` in measurement directives. WSLA 1.0 calls it "
        "`MeasurementURI` (and `RequestURI` in a `StatusRequest`). wsla renames it when "
        "reading.",
        '<MeasurementDirective xsi:type="Gauge"><RequestURL>http://…</RequestURL>',
        '<MeasurementDirective xsi:type="Gauge"><MeasurementURI>http://…</MeasurementURI>',
    ),
    Code(
        "X053",
        _W,
        "non-integer `LongScalar`",
        "A `LongScalar` must hold an integer (xs:long). The 2002 example wrote thresholds "
        "such as 0.8 as LongScalar; wsla reads them as `FloatScalar`.",
        "<Value><LongScalar>0.8</LongScalar></Value>",
        "<Value><FloatScalar>0.8</FloatScalar></Value>",
    ),
    Code(
        "X054",
        _W,
        "legacy `Schedule` inside a function",
        "The 2002 dialect put a `Schedule` inside functions such as "
        "`PercentageGreaterThanThreshold`. WSLA 1.0 has no such child: sampling on a "
        "schedule is done by a `TSConstructor` (Schedule, input, Window). wsla drops the "
        "element when reading; make the function's input a metric computed by a "
        "TSConstructor on that schedule.",
        '<Function xsi:type="PercentageGreaterThanThreshold"><Schedule>s</Schedule>'
        "<Metric>M</Metric>…",
        '<Function xsi:type="PercentageGreaterThanThreshold"><Metric>MSeries</Metric>… '
        "(MSeries = TSConstructor with Schedule s over M)",
    ),
    Code(
        "X090",
        _E,
        "WSLA schema unavailable",
        "The XSD files (`xsd/wsla.xsd`) could not be found or compiled; the installation is "
        "incomplete. Reinstall wsla.",
        "",
        "",
        "text",
    ),
)

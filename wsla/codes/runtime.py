"""Codes ``E``: evaluation. A spec that cannot be evaluated is refused with these before
any record is read (``wsla.runtime.plan.compile_plan`` raises ``PlanError``)."""

from __future__ import annotations

from wsla.codes import Code
from wsla.diagnostics import Severity

_E = Severity.ERROR

CODES: tuple[Code, ...] = (
    Code(
        "E001",
        _E,
        "unresolved metric",
        "A function names a metric that is neither in its own service object nor in an "
        "enclosing one (Operation → OperationGroup → ServiceDefinition). The runtime cannot "
        "compute a value from a metric that does not exist.",
        bad='<Function xsi:type="Mean">\n  <Metric>RTSeries</Metric>  <!-- no such metric -->\n'
        "</Function>",
        good='<Metric name="RTSeries">…</Metric>\n'
        '<Function xsi:type="Mean"><Metric>RTSeries</Metric></Function>',
    ),
    Code(
        "E002",
        _E,
        "unresolved constant",
        "A `Constant` operand names a constant that is not declared in its service object, an "
        "enclosing one, or `Obligations`.",
        bad="<Value><Constant>Limit</Constant></Value>",
        good='<Constant name="Limit"><Float>0.8</Float></Constant>\n…\n'
        "<Value><Constant>Limit</Constant></Value>",
    ),
    Code(
        "E003",
        _E,
        "unresolved schedule",
        "A TSConstructor, ReadingSchedule or evaluation `Schedule` names a schedule that does "
        "not exist (or a name shared by several schedules, seen from outside their scope).",
        bad="<Schedule>hourly</Schedule>  <!-- no schedule named hourly -->",
        good='<Schedule name="hourly">…</Schedule>',
    ),
    Code(
        "E004",
        _E,
        "unresolved SLA parameter",
        "An obligation's predicate or a notification names an SLA parameter that no service "
        "object declares, so it can never have a value.",
        bad='<Predicate xsi:type="Less">\n  <SLAParameter>Latency</SLAParameter><Value>5</Value>\n'
        "</Predicate>",
        good='<SLAParameter name="Latency"><Metric>AvgRT</Metric></SLAParameter>',
    ),
    Code(
        "E005",
        _E,
        "unresolved service level objective",
        "A `Violation` predicate names a service level objective that does not exist.",
        bad='<Predicate xsi:type="Violation">\n'
        "  <ServiceLevelObjective>G9</ServiceLevelObjective>\n</Predicate>",
        good='<ServiceLevelObjective name="G1">…</ServiceLevelObjective>\n…\n'
        "<ServiceLevelObjective>G1</ServiceLevelObjective>",
    ),
    Code(
        "E006",
        _E,
        "unknown macro definition",
        "A `MetricMacroExpansion` names a `MetricMacroDefinition` that is neither in its own "
        "service object nor in an enclosing one.",
        bad='<MetricMacroExpansion macroName="Avail" expansionName="A"/>  <!-- no macro Avail -->',
        good='<MetricMacroDefinition name="Avail">…</MetricMacroDefinition>',
    ),
    Code(
        "E007",
        _E,
        "macro hole not filled",
        "A `MeasurementDirectiveVariable` is a hole that a macro expansion must fill with a "
        "`MeasurementDirectiveAssignment`. A spec with an unfilled hole is valid, but it cannot "
        "be evaluated: the metric would have no way to get values.",
        bad='<MetricMacroExpansion macroName="Avail" expansionName="A"/>',
        good='<MetricMacroExpansion macroName="Avail" expansionName="A">\n'
        '  <MeasurementDirectiveAssignment metricName="Probe">\n'
        '    <MeasurementDirective xsi:type="StatusRequest">\n'
        "      <RequestURI>http://p</RequestURI>\n"
        "    </MeasurementDirective>\n"
        "  </MeasurementDirectiveAssignment>\n</MetricMacroExpansion>",
    ),
    Code(
        "E008",
        _E,
        "metric dependency cycle",
        "Metrics depend on each other in a cycle, so no evaluation order exists.",
        bad='<Metric name="A">…<Metric>B</Metric>…</Metric>\n'
        '<Metric name="B">…<Metric>A</Metric>…</Metric>',
        good='<Metric name="A">\n  <MeasurementDirective xsi:type="Gauge">…'
        "</MeasurementDirective>\n"
        "</Metric>",
    ),
    Code(
        "E009",
        _E,
        "construct cannot be evaluated",
        "The construct has no defined evaluation: a function given a series where it needs a "
        "single value or the reverse, a positive TSSelect element, a RateOfChange interval in "
        "months or years, a negative window, or a type the runtime has no implementation for.",
        bad='<Function xsi:type="Mean">\n  <Metric>CurrentLatency</Metric>  <!-- a scalar -->\n'
        "</Function>",
        good='<Function xsi:type="Mean"><Metric>LatencySeries</Metric></Function>',
    ),
    Code(
        "E010",
        _E,
        "ambiguous name",
        "Two SLA parameters, two service level objectives, or two metrics of one service object "
        "share a name, so references to it are ambiguous.",
        bad='<SLAParameter name="Uptime">…</SLAParameter>\n'
        '<SLAParameter name="Uptime">…</SLAParameter>',
        good='<SLAParameter name="UptimeA">…</SLAParameter>\n'
        '<SLAParameter name="UptimeB">…</SLAParameter>',
    ),
    Code(
        "E011",
        _E,
        "assignment names no hole",
        "A `MeasurementDirectiveAssignment` names a metric of the macro definition that does not "
        "exist or is not a `MeasurementDirectiveVariable`.",
        bad='<MeasurementDirectiveAssignment metricName="Nope">…</MeasurementDirectiveAssignment>',
        good='<MeasurementDirectiveAssignment metricName="Probe">…'
        "</MeasurementDirectiveAssignment>",
    ),
    Code(
        "E012",
        _E,
        "period or interval cannot be interpreted",
        "A schedule's interval is not positive, or a calendar period has a mask of the wrong "
        "length or characters, an unknown time zone, a `ConditionTime` that is not ISO 8601, or "
        "a `ConditionLocalOrUtcTime` other than `Local`/`UTC`.",
        bad="<ConditionDayOfWeekMask>11111</ConditionDayOfWeekMask>",
        good="<ConditionDayOfWeekMask>1111100</ConditionDayOfWeekMask>",
    ),
)

"""Codes of the semantic rules (:mod:`wsla.check`).

``N`` names, ``R`` parties and roles, ``A`` actions, ``T`` types, ``U`` units,
``S`` schedules and time, ``G`` the dependency graph.
"""

from __future__ import annotations

from wsla.codes import Code
from wsla.diagnostics import Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[Code, ...] = (
    # --- names ---------------------------------------------------------------------
    Code(
        "N001",
        E,
        "missing name",
        "A construct that other parts of the SLA refer to has no `name` (or, for macro "
        "expansions, directive assignments and qualified actions: no `macroName`, "
        "`expansionName`, `metricName` or `actionName`). The XSD leaves these attributes "
        "optional, but without them nothing can refer to the construct: an unnamed metric "
        "cannot be exposed by a parameter, an unnamed SLO cannot be named by a Violation "
        "predicate, and reports cannot say which obligation was violated.",
        "<Schedule>\n  <Period>…</Period>\n  <Interval><Minutes>5</Minutes></Interval>\n"
        "</Schedule>",
        '<Schedule name="FiveMinutes">\n  <Period>…</Period>\n'
        "  <Interval><Minutes>5</Minutes></Interval>\n</Schedule>",
    ),
    Code(
        "N002",
        E,
        "undefined party",
        "A party name (an obliged party, a metric or parameter `Source`, a `Push` or "
        "`Pull` receiver, a `Sponsor`, a qualified action's `Party`, or an action's "
        "`partyName`) does not match the `name` of any party in `Parties`. Party names are "
        "plain strings that the schema does not check; a typo silently assigns a duty to "
        "nobody.",
        '<ServiceProvider name="ACMEProvider"/>\n…\n<Obliged>ACMEProvder</Obliged>',
        '<ServiceProvider name="ACMEProvider"/>\n…\n<Obliged>ACMEProvider</Obliged>',
    ),
    Code(
        "N003",
        E,
        "undefined metric",
        "A metric name used by a function (`Metric`, `BaseMetric`, `ValidationMetric`) or "
        "exposed by an `SLAParameter` is not defined. A name used inside a service object "
        "resolves in that object, then in the enclosing ones (Operation → OperationGroup → "
        "ServiceDefinition); a macro expansion's metrics are named "
        "`<expansionName>.<metricName>`.",
        '<SLAParameter name="RT" type="float" unit="ms">\n  <Metric>AvgResponse</Metric>\n'
        '</SLAParameter>\n<Metric name="AverageResponse" …>…</Metric>',
        '<SLAParameter name="RT" type="float" unit="ms">\n  <Metric>AverageResponse</Metric>\n'
        '</SLAParameter>\n<Metric name="AverageResponse" …>…</Metric>',
    ),
    Code(
        "N004",
        E,
        "undefined SLA parameter",
        "A predicate (`Greater`, `Less`, `NewValue`, …) or a notification names an SLA "
        "parameter that no service object defines. Obligations read SLA parameters only, "
        "never metrics: expose a metric through an `SLAParameter` to use it in an SLO. SLA "
        "parameter names are unique in the whole SLA.",
        '<Predicate xsi:type="Less">\n  <SLAParameter>ResponseTme</SLAParameter>\n'
        "  <Value>500</Value>\n</Predicate>",
        '<Predicate xsi:type="Less">\n  <SLAParameter>ResponseTime</SLAParameter>\n'
        "  <Value>500</Value>\n</Predicate>",
    ),
    Code(
        "N005",
        E,
        "undefined schedule",
        "A `TSConstructor`, a directive's `ReadingSchedule` or an obligation's `Schedule` "
        "names a schedule that does not exist. Inside a service object the name resolves in "
        "that object and the enclosing ones; obligations may use any schedule of the SLA.",
        '<Function xsi:type="TSConstructor" resultType="TS">\n  <Schedule>hourly</Schedule> …',
        '<Schedule name="hourly">…</Schedule>\n…\n'
        '<Function xsi:type="TSConstructor" resultType="TS">\n'
        "  <Schedule>hourly</Schedule> …",
    ),
    Code(
        "N006",
        E,
        "undefined constant",
        "A function operand `<Constant>name</Constant>` names no constant. Constants resolve "
        "in the metric's service object, then the enclosing ones, then in `Obligations`.",
        "<Value><Constant>Treshold</Constant></Value>",
        '<Constant name="Threshold"><Float>0.8</Float></Constant>\n…\n'
        "<Value><Constant>Threshold</Constant></Value>",
    ),
    Code(
        "N007",
        E,
        "undefined macro definition",
        "A `MetricMacroExpansion` names a `macroName` that no `MetricMacroDefinition` in its "
        "service object or an enclosing one defines, so the expansion creates no metrics.",
        '<MetricMacroExpansion macroName="ResponseTimeStat" expansionName="Quote"/>',
        '<MetricMacroDefinition name="ResponseTimeStats">…</MetricMacroDefinition>\n'
        '<MetricMacroExpansion macroName="ResponseTimeStats" expansionName="Quote"/>',
    ),
    Code(
        "N008",
        E,
        "duplicate name",
        "Two constructs of the same kind share a name where names must be unique: parties; "
        "actions of one party; service objects beside each other; metrics, schedules, "
        "triggers, constants, macro definitions and expansions within a service object "
        "(macro copies `<expansion>.<metric>` included); SLA parameters in the whole SLA; "
        "schedules an obligation uses, in the whole SLA; constants in `Obligations`; SLOs "
        "and guarantees (one namespace). References by name would be ambiguous; wsla "
        "resolves to the first definition.",
        '<Metric name="RT" …>…</Metric>\n<Metric name="RT" …>…</Metric>',
        '<Metric name="RT" …>…</Metric>\n<Metric name="RTSeries" …>…</Metric>',
    ),
    Code(
        "N009",
        E,
        "assignment fills no hole",
        "A `MeasurementDirectiveAssignment` names a `metricName` that is not a metric of the "
        "expanded macro, or a metric that has no `MeasurementDirectiveVariable` to fill. "
        "The directive would be ignored.",
        '<MeasurementDirectiveAssignment metricName="Sample">…',
        '<MeasurementDirectiveAssignment metricName="Samples">…\n'
        "(where the macro's metric `Samples` is a MeasurementDirectiveVariable)",
    ),
    Code(
        "N010",
        W,
        "unfilled directive variable",
        "A `MeasurementDirectiveVariable` is never filled: a macro expansion has no "
        "assignment for that metric, or the variable stands in a metric outside any macro "
        "definition. The spec is valid, but the metric never gets a value and evaluation "
        "refuses it with a diagnostic naming the hole (reference §5).",
        '<MetricMacroExpansion macroName="Stats" expansionName="Quote"/>',
        '<MetricMacroExpansion macroName="Stats" expansionName="Quote">\n'
        '  <MeasurementDirectiveAssignment metricName="Samples">\n'
        '    <MeasurementDirective xsi:type="ResponseTime" resultType="long">…\n'
        "  </MeasurementDirectiveAssignment>\n</MetricMacroExpansion>",
    ),
    # --- parties -------------------------------------------------------------------
    Code(
        "R001",
        E,
        "sponsor is not a signatory",
        "A supporting party's `Sponsor` must be a signatory: the service provider or the "
        "service consumer. Sponsors are the parties that commission and pay the third party; "
        "another supporting party cannot sign for it.",
        '<SupportingParty name="ZAuditing">\n  <Sponsor>YMeasurement</Sponsor>\n'
        "  <Role>ConditionEvaluationService</Role>\n</SupportingParty>",
        '<SupportingParty name="ZAuditing">\n  <Sponsor>ACMEProvider</Sponsor>\n'
        "  <Role>ConditionEvaluationService</Role>\n</SupportingParty>",
    ),
    Code(
        "R002",
        E,
        "measuring source cannot measure",
        "A metric with a `MeasurementDirective` reads the provider's instrumentation, so its "
        "`Source` must be the service provider or a supporting party with the role "
        "`MeasurementService`.",
        '<Metric name="Status" …>\n  <Source>XInc</Source>\n'
        '  <MeasurementDirective xsi:type="StatusRequest" …>',
        '<Metric name="Status" …>\n  <Source>YMeasurement</Source>\n'
        '  <MeasurementDirective xsi:type="StatusRequest" …>',
    ),
    Code(
        "R003",
        W,
        "parameter source is not a measurement service",
        "An SLA parameter's `Communication/Source` provides its values. A supporting party "
        "can only do so when it is a `MeasurementService` (signatories may play any role).",
        "<Communication><Source>ZAuditing</Source> …",
        "<Communication><Source>YMeasurement</Source> …",
    ),
    Code(
        "R004",
        W,
        "parameter receiver cannot use the values",
        "`Push` and `Pull` list the parties that receive an SLA parameter's values. A "
        "supporting party receiving them should evaluate conditions "
        "(`ConditionEvaluationService`) or act on them (`ManagementService`); a pure "
        "measurement service has no use for them.",
        "<Communication><Source>YMeasurement</Source><Push>YMeasurement</Push>",
        "<Communication><Source>YMeasurement</Source><Push>ZAuditing</Push>",
    ),
    Code(
        "R005",
        E,
        "SLO obliges a non-signatory",
        "A service level objective is a promise by a signatory (normally the provider). A "
        "supporting party did not sign the SLA and cannot be bound by its objectives; it can "
        "be obliged by action guarantees.",
        '<ServiceLevelObjective name="UpTime">\n  <Obliged>YMeasurement</Obliged> …',
        '<ServiceLevelObjective name="UpTime">\n  <Obliged>ACMEProvider</Obliged> …',
    ),
    Code(
        "R006",
        W,
        "guarantee obliges a party without a fitting role",
        "An action guarantee obliges its parties to evaluate an expression and invoke "
        "actions. A supporting party can do this only with the role "
        "`ConditionEvaluationService` or `ManagementService`.",
        '<ActionGuarantee name="Notify">\n  <Obliged>YMeasurement</Obliged> …',
        '<ActionGuarantee name="Notify">\n  <Obliged>ZAuditing</Obliged> …',
    ),
    # --- actions -------------------------------------------------------------------
    Code(
        "A001",
        E,
        "party offers no such action",
        "A qualified action invokes `actionName` on `Party`, but that party's description in "
        "`Parties` offers no `Action` of that name. The obliged party would not know which "
        "interface to call.",
        "<QualifiedAction>\n  <Party>XInc</Party>\n"
        '  <Action actionName="notify" xsi:type="Notification">…',
        "<QualifiedAction>\n  <Party>XInc</Party>\n"
        '  <Action actionName="notification" xsi:type="Notification">…',
    ),
    Code(
        "A002",
        E,
        "undefined causing guarantee",
        "A notification's `CausingGuarantee` must name an action guarantee (normally the one "
        "that sends the notification), so that the receiver knows why it is told.",
        "<CausingGuarantee>UpTimeSLO</CausingGuarantee>",
        "<CausingGuarantee>UpTimeGuarantee</CausingGuarantee>",
    ),
    Code(
        "A003",
        W,
        "action listed under another party",
        "A party's `Action` has a `partyName` naming a different existing party. An action "
        "description belongs to the party that implements it; listing it elsewhere makes "
        "qualified actions resolve to the wrong party.",
        '<ServiceConsumer name="XInc">\n  <Action name="notification" partyName="ACMEProvider" …>',
        '<ServiceConsumer name="XInc">\n  <Action name="notification" partyName="XInc" …>',
    ),
    # --- types ---------------------------------------------------------------------
    Code(
        "T001",
        E,
        "series required",
        "Size, TSSelect, the aggregates (Mean, Average, Median, Mode, Max, Sum), ValueOccurs, "
        "Span and the threshold functions work on a time series (TS) or queue (Q). Their "
        "input here is a single value; build a series first with TSConstructor or "
        "QConstructor.",
        '<Function xsi:type="Mean" resultType="float">\n  <Metric>ResponseTime</Metric>\n'
        "</Function>",
        '<Function xsi:type="Mean" resultType="float">\n'
        "  <Metric>ResponseTimeSeries</Metric>\n</Function>",
    ),
    Code(
        "T002",
        E,
        "single value required",
        "QConstructor, TSConstructor, Round, arithmetic (Plus, Minus, Times, Divide) and the "
        "`Value` of ValueOccurs and friends take one value, but the operand here is a TS or "
        "Q. Select an element (TSSelect) or aggregate the series first.",
        '<Function xsi:type="Plus" resultType="float">\n'
        "  <Operand><Metric>RTSeries</Metric></Operand> …",
        '<Function xsi:type="Plus" resultType="float">\n  <Operand>\n'
        '    <Function xsi:type="Max" resultType="float"><Metric>RTSeries</Metric></Function>\n'
        "  </Operand> …",
    ),
    Code(
        "T003",
        E,
        "number required",
        "Arithmetic, Round and the threshold functions compute with numbers; a string operand "
        "(a StringScalar, a string constant or a string metric) has no numeric value. "
        "Strings can only be matched for equality (ValueOccurs, Span).",
        "<Operand><StringScalar>ten</StringScalar></Operand>",
        "<Operand><LongScalar>10</LongScalar></Operand>",
    ),
    Code(
        "T004",
        E,
        "result type contradicts the function",
        "A function's `resultType` disagrees with what the function produces: TSConstructor "
        "and QualifyMeasurementTimeSeries yield a TS, QConstructor a Q, arithmetic, counts and "
        "shares a number, TSSelect and the aggregates one element (never a series).",
        '<Function xsi:type="TSConstructor" resultType="float">…',
        '<Function xsi:type="TSConstructor" resultType="TS">…',
    ),
    Code(
        "T005",
        E,
        "declared type differs from the value's type",
        "A metric's `type` differs in kind (series TS or Q, number, string, time) from what "
        "its definition yields, or an SLA parameter's `type` from its metric's. Declared "
        "types never convert values, so the declaration is wrong. Numeric types (integer, "
        "long, float, double, byte, boolean) are interchangeable here.",
        '<Metric name="RTs" type="float" …>\n'
        '  <Function xsi:type="TSConstructor" resultType="TS">…',
        '<Metric name="RTs" type="TS" …>\n  <Function xsi:type="TSConstructor" resultType="TS">…',
    ),
    Code(
        "T006",
        E,
        "positive TSSelect index",
        "TSSelect's `Element` counts back from the newest element: 0 is the newest, -1 the "
        "one before. A positive index would select an element that does not exist yet.",
        "<Element>1</Element>",
        "<Element>-1</Element>",
    ),
    Code(
        "T007",
        E,
        "window not positive",
        "A TSConstructor or QConstructor `Window` is the number of newest elements kept; zero "
        "or a negative number would keep nothing. Leave `Window` out for an unbounded series.",
        "<Window>0</Window>",
        "<Window>12</Window>",
    ),
    Code(
        "T008",
        E,
        "comparison of a non-numeric parameter",
        "Greater, Less, Equal, GreaterEqual and LessEqual compare an SLA parameter with a "
        "double. The parameter here is a string, time or series; compare a numeric parameter "
        "(aggregate a series first).",
        '<SLAParameter name="Samples" type="TS" …/>\n…\n'
        '<Predicate xsi:type="Less"><SLAParameter>Samples</SLAParameter> …',
        '<SLAParameter name="MeanRT" type="float" …/>\n…\n'
        '<Predicate xsi:type="Less"><SLAParameter>MeanRT</SLAParameter> …',
    ),
    # --- units ---------------------------------------------------------------------
    Code(
        "U001",
        E,
        "parameter unit differs from its metric's",
        "An SLA parameter exposes its metric's value unchanged, so its `unit` must be the "
        "metric's. Known units: ms/milliseconds, s/seconds, min/minutes, h/hours, d/days, "
        "%/percent/Percentage, ratio/fraction, and rates `<what> / <time unit>`; other units "
        "are not checked. Convert with a Times or Divide metric.",
        '<SLAParameter name="RT" type="float" unit="seconds">\n  <Metric>RTms</Metric> …\n'
        '<Metric name="RTms" type="float" unit="milliseconds">…',
        '<SLAParameter name="RT" type="float" unit="milliseconds">\n  <Metric>RTms</Metric> …\n'
        '<Metric name="RTms" type="float" unit="milliseconds">…',
    ),
    Code(
        "U002",
        E,
        "combining incompatible units",
        "Plus or Minus combines operands whose units differ (milliseconds with seconds, "
        "percent with ratio): the numbers are added as they are and the result is "
        "meaningless. Convert one operand with Times or Divide first.",
        '<Function xsi:type="Plus" …>\n  <Operand><Metric>QueueMs</Metric></Operand>\n'
        "  <Operand><Metric>ServiceSeconds</Metric></Operand>",
        '<Function xsi:type="Plus" …>\n  <Operand><Metric>QueueMs</Metric></Operand>\n'
        '  <Operand><Function xsi:type="Times" …>ServiceSeconds × 1000</Function></Operand>',
    ),
    Code(
        "U003",
        E,
        "metric unit differs from its definition's",
        "A metric's declared `unit` differs from the unit its function carries: "
        "TSConstructor, QConstructor, TSSelect, the aggregates, Round, and Plus/Minus of like "
        "units keep their input's unit. Declare that unit, or convert with Times/Divide.",
        '<Metric name="MeanRT" unit="seconds">\n'
        '  <Function xsi:type="Mean"><Metric>RTmsSeries</Metric></Function>',
        '<Metric name="MeanRT" unit="milliseconds">\n'
        '  <Function xsi:type="Mean"><Metric>RTmsSeries</Metric></Function>',
    ),
    # --- schedules and time --------------------------------------------------------
    Code(
        "S001",
        E,
        "interval not positive",
        "A schedule's `Interval`, a Status `TimeOut` or a RateOfChange `Interval` is zero or "
        "has a negative part. A schedule with it would tick forever at the same instant.",
        "<Interval><Minutes>0</Minutes></Interval>",
        "<Interval><Minutes>5</Minutes></Interval>",
    ),
    Code(
        "S002",
        E,
        "empty or inverted period",
        "A schedule's `Period` or an SLO's `Validity` ends before (inverted) or when "
        "(empty) it starts, or a calendar period has a mask without a single 1: no instant "
        "lies in it, so nothing is ever measured or evaluated.",
        "<Validity>\n  <Start>2024-12-31T00:00:00Z</Start>\n"
        "  <End>2024-01-01T00:00:00Z</End>\n</Validity>",
        "<Validity>\n  <Start>2024-01-01T00:00:00Z</Start>\n"
        "  <End>2024-12-31T00:00:00Z</End>\n</Validity>",
    ),
    Code(
        "S003",
        E,
        "malformed calendar mask",
        "Calendar period masks are strings of `0` and `1` with one character per position: "
        "`ConditionMonthOfYearMask` 12 (January first), `ConditionDayOfMonthMask` 31, "
        "`ConditionDayOfWeekMask` 7 (Monday first), `ConditionTimeOfDayMask` 24 (one per "
        "hour, 00–01 first).",
        "<ConditionDayOfWeekMask>11111</ConditionDayOfWeekMask>",
        "<ConditionDayOfWeekMask>1111100</ConditionDayOfWeekMask>",
    ),
    Code(
        "S004",
        E,
        "unknown time zone",
        "`ConditionTimeZone` is neither an IANA time zone name known to this system "
        "(`Europe/Zurich`, `America/New_York`) nor a fixed offset `±hh:mm`.",
        "<ConditionTimeZone>CET+1</ConditionTimeZone>",
        "<ConditionTimeZone>Europe/Zurich</ConditionTimeZone>",
    ),
    Code(
        "S005",
        E,
        "bad Local/UTC switch",
        "`ConditionLocalOrUtcTime` is `Local` (masks read in `ConditionTimeZone`, daylight "
        "saving aware) or `UTC` (masks read in UTC). Other spellings are not understood.",
        "<ConditionLocalOrUtcTime>local time</ConditionLocalOrUtcTime>",
        "<ConditionLocalOrUtcTime>Local</ConditionLocalOrUtcTime>",
    ),
    Code(
        "S006",
        E,
        "bad condition time",
        "`ConditionTime` is the ISO 8601 instant from which a calendar period applies "
        "(without an offset it is UTC).",
        "<ConditionTime>1st of January 2024</ConditionTime>",
        "<ConditionTime>2024-01-01T00:00:00+01:00</ConditionTime>",
    ),
    Code(
        "S007",
        W,
        "SLO never evaluated inside its validity",
        "An SLO is evaluated only at instants inside its `Validity`. With an evaluation "
        "`Schedule`, wsla walks that schedule's ticks (Start + k·Interval, calendar masks "
        "applied, as the runtime does) and warns when none falls inside the validity, e.g. "
        "a daily tick at 14:00 against a 09:00–13:59 business-hours validity. With "
        "`NewValue`, it warns when every schedule feeding the SLO's parameters "
        "(TSConstructor and reading schedules upstream) runs entirely outside the validity "
        "(fixed Start/End periods only).",
        '<Schedule name="daily">… ticks at 14:00 …</Schedule>\n…\n'
        "<Validity>… <ConditionTimeOfDayMask>000000000111110000000000</…> …",
        '<Schedule name="hourly">… ticks every hour …</Schedule>\n…\n'
        "<Validity>… <ConditionTimeOfDayMask>000000000111110000000000</…> …",
    ),
    Code(
        "S008",
        E,
        "calendar interval in a rate",
        "RateOfChange divides by the length of its `Interval`; years and months have no "
        "fixed length, so the rate would be undefined.",
        "<Interval><Months>1</Months></Interval>",
        "<Interval><Days>30</Days></Interval>",
    ),
    # --- graph ---------------------------------------------------------------------
    Code(
        "G001",
        E,
        "dependency cycle",
        "Metrics (or SLOs through Violation predicates) depend on each other in a circle, so "
        "no evaluation order exists. The message shows the cycle path, e.g. `A → B → A`.",
        '<Metric name="A" …><Function xsi:type="Plus" …>… <Metric>B</Metric> …\n'
        '<Metric name="B" …><Function xsi:type="Plus" …>… <Metric>A</Metric> …',
        '<Metric name="A" …><Function xsi:type="Plus" …>… <Metric>Raw</Metric> …\n'
        '<Metric name="B" …><Function xsi:type="Plus" …>… <Metric>A</Metric> …',
    ),
    Code(
        "G002",
        W,
        "unused metric",
        "No SLA parameter depends on this metric, directly or through other metrics: it is "
        "measured or computed for nothing. Metrics created by macro expansions are not "
        "reported (a macro may define more than one use needs), and nothing is reported "
        "while a metric or parameter reference is undefined (N003, N004): a misspelt "
        "reference makes its intended target look unused.",
        '<Metric name="Leftover" …>…</Metric>',
        '<SLAParameter name="Leftover" …><Metric>Leftover</Metric></SLAParameter>',
    ),
    Code(
        "G003",
        W,
        "unused SLA parameter",
        "No SLO, guarantee or notification reads this SLA parameter, so its values are "
        "computed and communicated for nothing. Not reported while a metric or parameter "
        "reference is undefined (N003, N004): a misspelt reference makes its intended "
        "target look unused.",
        '<SLAParameter name="Spare" …>…</SLAParameter>',
        '<Predicate xsi:type="Less"><SLAParameter>Spare</SLAParameter>…',
    ),
    Code(
        "G004",
        E,
        "Violation of something that is not an SLO",
        "A `Violation` predicate names a service level objective; the name here is an action "
        "guarantee or nothing at all. Guarantees are not violated, only SLOs are.",
        '<Predicate xsi:type="Violation">\n'
        "  <ServiceLevelObjective>UpTimeGuarantee</ServiceLevelObjective>\n</Predicate>",
        '<Predicate xsi:type="Violation">\n'
        "  <ServiceLevelObjective>UpTimeSLO</ServiceLevelObjective>\n</Predicate>",
    ),
    Code(
        "G005",
        W,
        "metric without metric inputs",
        "A function metric reads no metric (only literals and constants). Functions are "
        "recomputed when an input metric gets a new value, so this metric never gets one. "
        "Use a Constant where a fixed value is meant.",
        '<Metric name="Limit" …>\n  <Function xsi:type="Plus" …>\n'
        "    <Operand><LongScalar>1</LongScalar></Operand>\n"
        "    <Operand><LongScalar>2</LongScalar></Operand> …",
        '<Constant name="Limit"><Integer>3</Integer></Constant>',
    ),
)

"""``D`` codes: syntax and structure of ``.wsla`` files (the DSL reader)."""

from __future__ import annotations

from wsla.codes import Code
from wsla.diagnostics import Severity

_E = Severity.ERROR

CODES: tuple[Code, ...] = (
    Code(
        "D001",
        _E,
        "Syntax error",
        "The text does not match the grammar at this point. The message says what the "
        "parser expected and what it found there.",
        bad="slo X obliged P on new value { A > }",
        good="slo X obliged P on new value { A > 1 }",
        bad_lang="wsla",
    ),
    Code(
        "D002",
        _E,
        "Unterminated string",
        'A string literal ("…") or a quoted name (`…`) is not closed on the line where it '
        "starts. Strings cannot span lines; write a line break inside one as \\n.",
        bad='sla S { provider P { contact(street="Main St, city="Zurich") } }',
        good='sla S { provider P { contact(street="Main St", city="Zurich") } }',
        bad_lang="wsla",
    ),
    Code(
        "D003",
        _E,
        "Unterminated block comment",
        "A /* comment has no closing */ before the end of the file, so everything after it "
        "would be ignored.",
        bad="/* draft\nsla S { provider P consumer C obligations }",
        good="/* draft */\nsla S { provider P consumer C obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D004",
        _E,
        "Missing closing brace or parenthesis",
        "The file ends while a block or a parenthesis is still open.",
        bad="sla S { provider P consumer C obligations",
        good="sla S { provider P consumer C obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D005",
        _E,
        "Unknown keyword",
        "A word stands where a keyword is expected and is not one of them; the help names "
        "the closest keyword.",
        bad="sla S { provder P consumer C obligations }",
        good="sla S { provider P consumer C obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D006",
        _E,
        "Unit without a number",
        "An interval is written as counts with units (`5 min`, `1 h 30 min`); here a unit "
        "stands without its count.",
        bad="schedule Hourly every h from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        good="schedule Hourly every 1 h from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        bad_lang="wsla",
    ),
    Code(
        "D007",
        _E,
        "Duplicate block",
        "A block that may appear once appears twice (a second provider, consumer, "
        "obligations block or contact).",
        bad="sla S { provider A provider B consumer C obligations }",
        good="sla S { provider A consumer C supporting B obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D008",
        _E,
        "Missing required block",
        "An sla needs exactly one provider, one consumer and one obligations block.",
        bad="sla S { provider P consumer C }",
        good="sla S { provider P consumer C obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D009",
        _E,
        "Unknown function",
        "The call names no WSLA function (nor a registered extension). Functions are "
        "written in snake case (`ts_constructor`, `percentage_greater_than_threshold`); "
        "Plus, Minus, Times and Divide are written infix.",
        bad="metric M by P = maen(RTs)",
        good="metric M by P = mean(RTs)",
        bad_lang="wsla",
    ),
    Code(
        "D010",
        _E,
        "Unknown measurement directive",
        "`measure` is followed by the name of a WSLA measurement directive in snake case "
        "(`gauge`, `response_time`, `status_request`, …).",
        bad='metric M by P = measure guage(uri="http://probe")',
        good='metric M by P = measure gauge(uri="http://probe")',
        bad_lang="wsla",
    ),
    Code(
        "D012",
        _E,
        "Unknown interval unit",
        "Interval units are years, months, d, h, min, s and ms (with the long spellings "
        "year, month, day, hour, minute, second, millisecond and their plurals).",
        bad="schedule S every 5 mins from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        good="schedule S every 5 min from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        bad_lang="wsla",
    ),
    Code(
        "D013",
        _E,
        "Comparison unit without a parameter unit",
        "A comparison value may carry a unit (`ResponseTime < 500 ms`); it is converted "
        "into the unit of the compared SLA parameter, because WSLA compares with a plain "
        "number in the parameter's unit. Here there is nothing to convert into: the "
        "parameter declares no unit, or no parameter of that name is defined. Declare the "
        "unit on the parameter, or write a plain number.",
        bad="parameter ResponseTime: float = RT\n…\nResponseTime < 500 ms",
        good="parameter ResponseTime: float in s = RT\n…\nResponseTime < 500 ms",
        bad_lang="wsla",
    ),
    Code(
        "D014",
        _E,
        "Invalid date and time",
        "A timestamp has the shape of ISO 8601 but is not a real date and time.",
        bad="trigger T at 2001-02-30T00:00:00Z",
        good="trigger T at 2001-02-28T00:00:00Z",
        bad_lang="wsla",
    ),
    Code(
        "D015",
        _E,
        "Metric without a function or directive",
        "A metric's value comes from a measurement directive, a function or a macro hole. "
        "A bare metric name or a literal is neither.",
        bad="metric Copy by P = Other",
        good="metric Copy by P = Other * 1",
        bad_lang="wsla",
    ),
    Code(
        "D016",
        _E,
        "Result type on a non-function",
        "`as TYPE` declares the result type of a function; metric names and literals have none.",
        bad="metric M by P = mean(RTs as float)",
        good="metric M by P = mean(RTs) as float",
        bad_lang="wsla",
    ),
    Code(
        "D019",
        _E,
        "Unexpected character",
        "A character that no token of the language starts with.",
        bad="sla S { provider P; consumer C obligations }",
        good="sla S { provider P consumer C obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D020",
        _E,
        "Interval part given twice",
        "Each unit appears at most once in an interval.",
        bad="schedule S every 5 min 3 min from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        good="schedule S every 8 min from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        bad_lang="wsla",
    ),
    Code(
        "D021",
        _E,
        "Number without a unit",
        "An interval needs a unit after each count.",
        bad="schedule S every 5 from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        good="schedule S every 5 min from 2001-11-30T14:00:00Z to 2001-12-31T14:00:00Z",
        bad_lang="wsla",
    ),
    Code(
        "D022",
        _E,
        "Empty file",
        "A .wsla file holds one `sla NAME { … }`.",
        bad="// nothing yet",
        good="sla S { provider P consumer C obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D023",
        _E,
        "Text after the sla",
        "A file holds exactly one sla; something follows its closing brace.",
        bad="sla S { provider P consumer C obligations } }",
        good="sla S { provider P consumer C obligations }",
        bad_lang="wsla",
    ),
    Code(
        "D024",
        _E,
        "Missing argument",
        "A call lacks an argument that WSLA requires (for example the schedule of a "
        "ts_constructor or the WSDL file of a SOAP binding).",
        bad="metric S by P = ts_constructor(RT, window=12)",
        good="metric S by P = ts_constructor(RT, schedule=FiveMinutes, window=12)",
        bad_lang="wsla",
    ),
    Code(
        "D025",
        _E,
        "Unknown or repeated argument",
        "A call has an argument it does not take, gives one twice, or gives a second "
        "positional argument (only the first, the input, is positional).",
        bad="metric S by P = ts_constructor(RT, schedule=Five, windw=12)",
        good="metric S by P = ts_constructor(RT, schedule=Five, window=12)",
        bad_lang="wsla",
    ),
    Code(
        "D026",
        _E,
        "Argument of the wrong kind",
        "An argument takes a string, a name, an integer, an interval or an operand, and "
        "got something else.",
        bad="metric S by P = ts_constructor(RT, schedule=Five, window=1.5)",
        good="metric S by P = ts_constructor(RT, schedule=Five, window=12)",
        bad_lang="wsla",
    ),
    Code(
        "D028",
        _E,
        "Keyword used as a name",
        "The word is a keyword of the language. Any name can still be used when quoted "
        "in backticks.",
        bad="metric from by P = hole",
        good="metric `from` by P = hole",
        bad_lang="wsla",
    ),
    Code(
        "D029",
        _E,
        "Unknown notification type",
        "A notification's type is `violation` or `information`.",
        bad="do XInc.notify(type=alarm, cause=G1, parameters=[])",
        good="do XInc.notify(type=violation, cause=G1, parameters=[])",
        bad_lang="wsla",
    ),
    Code(
        "D030",
        _E,
        "Invalid escape in a string",
        'Strings know the escapes \\\\ \\" \\` \\n \\t \\r \\/ and \\uXXXX.',
        bad='contact(street="C:\\q", city="Zurich")',
        good='contact(street="C:\\\\q", city="Zurich")',
        bad_lang="wsla",
    ),
    Code(
        "D032",
        _E,
        "Integer literal too long or too large",
        "An integer literal has more than 4000 digits, or is used where a double is needed "
        "(a comparison value, an operand of arithmetic) and is beyond a double's range "
        "(about 1.8e308). WSLA integers are xs:long or xs:integer values; such a literal is "
        "almost certainly a mistake (and converting a huge one would cost quadratic time).",
        bad="const Huge = 1111…(5000 digits)…1111",
        good="const Huge = 1.0e300",
        bad_lang="wsla",
    ),
    Code(
        "D033",
        _E,
        "Unknown unit in a comparison",
        "A comparison value written with a unit is converted into the SLA parameter's "
        "unit, so both units must be known: ms, s, min, h, d (and their long spellings), "
        "% (percent, pct), ratio (fraction), and rates such as requests/min. An unknown "
        "unit on either side would make the converted number a guess.",
        bad="parameter Latency: float in s = RT\n…\nLatency < 500 msec2",
        good="parameter Latency: float in s = RT\n…\nLatency < 500 ms",
        bad_lang="wsla",
    ),
    Code(
        "D034",
        _E,
        "Incompatible unit in a comparison",
        "A comparison value's unit measures something other than the SLA parameter's "
        "unit (a duration against a fraction, a rate against a duration), so it cannot be "
        "converted. Usually the value or the parameter is the wrong one.",
        bad="parameter UpTime: float in ratio = U\n…\nUpTime > 500 ms",
        good="parameter UpTime: float in ratio = U\n…\nUpTime > 99.5 %",
        bad_lang="wsla",
    ),
    Code(
        "D031",
        _E,
        "Nesting too deep",
        "An expression nests so deeply that the reader's recursion limit is reached.",
        bad="metric M by P = ((((((((((…))))))))))",
        good="metric Part by P = …\nmetric M by P = Part * 2",
        bad_lang="wsla",
    ),
)

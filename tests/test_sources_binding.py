"""Bindings: wide tables feeding directives, derived running counts and sums, and every
error in a binding file reported as M009 with where it is."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wsla.model.directives import (
    Gauge,
    InvocationCount,
    ResponseTime,
    StatusRequest,
    SumResponseTime,
)
from wsla.sources import DataProblems, Origin, Record, read_data
from wsla.sources.binding import (
    Binding,
    BindingError,
    Derive,
    _RunningSum,
    binding_from_options,
    load_binding,
    parse_binding,
)
from wsla.sources.targets import MeasuredMetric, TargetIndex

T0 = 1_735_689_600_000


def _metrics(op: str) -> list[MeasuredMetric]:
    return [
        MeasuredMetric(op, "RT", ResponseTime(measurement_uri=f"urn:rt:{op}")),
        MeasuredMetric(op, "SumRT", SumResponseTime()),
        MeasuredMetric(op, "Calls", InvocationCount()),
        MeasuredMetric(op, "Failed", Gauge(measurement_uri=f"urn:failed:{op}")),
        MeasuredMetric(op, "Up", StatusRequest(request_uri=f"urn:probe:{op}")),
    ]


INDEX = TargetIndex(_metrics("getQuote") + _metrics("placeOrder"))

ACCESS_LOG = """\
version = 1

[[table]]
files = ["requests*"]
time = "ts"
time-format = "ms"
key = "op"

[[table.feed]]
column = "rt_ms"
directive = "ResponseTime"

[[table.feed]]
column = "rt_ms"
directive = "SumResponseTime"
derive = "running-sum"

[[table.feed]]
directive = "InvocationCount"
derive = "running-count"

[[table.feed]]
column = "ok"
metric = "Failed"
negate = true

[[table]]
files = ["probes*"]
time = "ts"
time-format = "ms"
key = "probe"
objects = { quote = "getQuote" }

[[table.feed]]
column = "up"
directive = "StatusRequest"
"""

REQUESTS = f"""ts,op,rt_ms,ok
{T0},getQuote,10.5,true
{T0 + 5},placeOrder,100,false
{T0 + 7},getQuote,0.25,false
{T0 + 9},noSuchOp,1,true
{T0 + 11},getQuote,x,true
"""


def read(paths: list[Path], binding: Binding) -> tuple[list[Record], DataProblems]:
    problems = DataProblems()
    return list(read_data(paths, binding, INDEX, problems)), problems


def test_access_log_feeds_directives_with_derived_running_values(tmp_path: Path) -> None:
    requests = tmp_path / "requests.csv"
    requests.write_text(REQUESTS)
    records, problems = read([requests], parse_binding(ACCESS_LOG))
    ms = 1_000_000
    got = [
        (r.time // ms - T0, r.target, r.value, r.origin.line if r.origin else 0) for r in records
    ]
    assert got == [
        (0, "getQuote/RT", 10.5, 2),
        (0, "getQuote/SumRT", 10.5, 2),
        (0, "getQuote/Calls", 1, 2),
        (0, "getQuote/Failed", False, 2),
        (5, "placeOrder/RT", 100, 3),
        (5, "placeOrder/SumRT", 100, 3),
        (5, "placeOrder/Calls", 1, 3),
        (5, "placeOrder/Failed", True, 3),
        (7, "getQuote/RT", 0.25, 4),
        (7, "getQuote/SumRT", 10.75, 4),
        (7, "getQuote/Calls", 2, 4),
        (7, "getQuote/Failed", True, 4),
    ]
    assert [(d.code, d.span.line if d.span else 0) for d in problems.diagnostics()] == [
        ("M008", 5),
        ("M005", 6),
    ]
    assert "no service object 'noSuchOp'" in problems.diagnostics()[0].message


def test_probe_log_with_key_map_and_file_patterns(tmp_path: Path) -> None:
    probes = tmp_path / "probes-2025.csv"
    probes.write_text(f"ts,probe,up\n{T0},quote,true\n{T0 + 1},placeOrder,false\n")
    records, problems = read([probes], parse_binding(ACCESS_LOG))
    assert problems.total == 0
    assert [(r.target, r.value) for r in records] == [
        ("getQuote/Up", True),
        ("placeOrder/Up", False),
    ]
    other = tmp_path / "other.csv"
    other.write_text("ts\n1\n")
    _, problems = read([other], parse_binding(ACCESS_LOG))
    assert [d.code for d in problems.diagnostics()] == ["M008"]


def test_rows_feeding_nothing_in_a_known_object_are_unused_not_malformed(
    tmp_path: Path,
) -> None:
    binding = parse_binding(
        '[[table]]\ntime-format = "ms"\nkey = "op"\n'
        '[[table.feed]]\ncolumn = "v"\ndirective = "Downtime"\n'
    )
    data = tmp_path / "d.csv"
    data.write_text(f"time,op,v\n{T0},getQuote,1\n{T0},getQuote,2\n{T0},nowhere,3\n")
    problems = DataProblems()
    records = list(read_data([data], binding, INDEX, problems))
    assert records == []
    assert problems.unused == 2
    # an unknown service object is still a problem of its row
    assert [(d.code, d.span.line if d.span else 0) for d in problems.diagnostics()] == [("M008", 4)]


def test_a_directive_matching_nothing_in_one_object_is_not_an_error(tmp_path: Path) -> None:
    index = TargetIndex(
        [*_metrics("getQuote"), MeasuredMetric("lean", "RT", ResponseTime(measurement_uri="u"))]
    )
    binding = parse_binding(
        '[[table]]\ntime-format = "ms"\nkey = "op"\n'
        '[[table.feed]]\ncolumn = "v"\ndirective = "ResponseTime"\n'
        '[[table.feed]]\ndirective = "InvocationCount"\nderive = "running-count"\n'
    )
    data = tmp_path / "d.csv"
    data.write_text(f"time,op,v\n{T0},lean,1\n{T0},getQuote,2\n")
    problems = DataProblems()
    records = list(read_data([data], binding, index, problems))
    assert problems.total == 0
    assert [(r.target, r.value) for r in records] == [
        ("lean/RT", 1),
        ("getQuote/RT", 2),
        ("getQuote/Calls", 1),
    ]


def test_fixed_targets_with_key_template(tmp_path: Path) -> None:
    binding = parse_binding(
        '[[table]]\ntime-format = "s"\nkey = "op"\n'
        '[[table.feed]]\ncolumn = "v"\ntarget = "urn:rt:{key}"\n'
    )
    data = tmp_path / "d.csv"
    data.write_text("time,op,v\n1,getQuote,3\n2,bad,4\n")
    records, problems = read([data], binding)
    assert records == [Record(10**9, "urn:rt:getQuote", 3, Origin(str(data), 2))]
    assert problems.counts == {"M008": 1}


def test_long_table_with_renamed_columns_in_json(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(
        '{"version": 1, "table": [{"time": "t", "target": "what", '
        '"value": "v", "time-format": "us"}]}'
    )
    binding = load_binding(path)
    data = tmp_path / "d.csv"
    data.write_text("t,what,v\n2000000,urn:rt:getQuote,5\n")
    records, problems = read([data], binding)
    assert records == [Record(2 * 10**9, "urn:rt:getQuote", 5, Origin(str(data), 2))]
    assert problems.total == 0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[table]\n", "not valid TOML"),
        ("version = 2\n[[table]]\ntarget = 't'\n", "unsupported binding version 2"),
        ("[[table]]\ntarget = 't'\nspeed = 1\n", "table[1]: unknown field `speed`"),
        ("[[table]]\ntarget = 't'\ntime-format = 'millis'\n", "unknown time-format 'millis'"),
        ("[[table]]\ntime = 'ts'\n", "needs feeds"),
        ("[[table]]\nkey = 'op'\n[[table.feed]]\ncolumn = 'v'\n", "exactly one of"),
        (
            "[[table]]\nkey = 'op'\n[[table.feed]]\ncolumn = 'v'\ndirective = 'Latency'\n",
            "unknown directive `Latency`",
        ),
        (
            "[[table]]\nkey = 'op'\n[[table.feed]]\ncolumn = 'v'\nmetric = 'm'\nderive = 'avg'\n",
            "unknown derive 'avg'",
        ),
        ("[[table]]\nkey = 'op'\n[[table.feed]]\nmetric = 'm'\n", "needs a `column`"),
        (
            "[[table]]\n[[table.feed]]\ncolumn = 'v'\nmetric = 'm'\n",
            "table[1].feed[1]: a feed by `metric`, `directive` or `invocation` needs",
        ),
        (
            "[[table]]\nkey = 'op'\nobject = 'x'\n[[table.feed]]\ncolumn = 'v'\nmetric = 'm'\n",
            "exclude each other",
        ),
        ("[[table]]\ntarget = 't'\n[[table.feed]]\ncolumn = 'v'\ntarget = 'x'\n", "no feeds"),
        (
            "[[table]]\nkey = 'op'\n[[table.feed]]\ncolumn = 'v'\nmetric = 'm'\nnegate = 'yes'\n",
            "`negate` must be true or false",
        ),
        ("table = 3\n", "at least one [[table]]"),
        ("[[table]]\ntarget = 't'\nfiles = [1]\n", "`files` must be a list"),
    ],
)
def test_binding_errors(text: str, fragment: str) -> None:
    with pytest.raises(BindingError) as err:
        parse_binding(text, source="b.toml")
    messages = [d.message for d in err.value.diagnostics]
    assert all(d.code == "M009" for d in err.value.diagnostics)
    assert any(fragment in m for m in messages), messages
    assert all(d.span is not None and d.span.path == "b.toml" for d in err.value.diagnostics)


def test_toml_syntax_error_has_its_position() -> None:
    with pytest.raises(BindingError) as err:
        parse_binding("version = 1\n\n[[table]\n", source="b.toml")
    (found,) = err.value.diagnostics
    assert found.span is not None
    assert (found.span.line, found.span.column) == (3, 8)


def test_json_syntax_error_and_unknown_zone(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"table": [\n  {"target": }\n]}')
    with pytest.raises(BindingError) as err:
        load_binding(path)
    assert err.value.diagnostics[0].span is not None
    assert err.value.diagnostics[0].span.line == 2
    with pytest.raises(BindingError) as err:
        parse_binding("[[table]]\ntarget = 't'\nzone = 'Moon/Base'\n")
    assert [d.code for d in err.value.diagnostics] == ["M013"]
    with pytest.raises(BindingError) as err:
        load_binding(tmp_path / "missing.toml")
    assert [d.code for d in err.value.diagnostics] == ["M009"]


def test_bind_options() -> None:
    binding = binding_from_options(
        [
            "time=ts",
            "time-format=ms",
            "key=op",
            "rt_ms=ResponseTime",
            "rt_ms=SumResponseTime:running-sum",
            "=InvocationCount:running-count",
            "ok=Failed:negate",
        ]
    )
    (table,) = binding.tables
    assert (table.time, table.time_format.value, table.key) == ("ts", "ms", "op")
    assert [(f.column, f.directive, f.metric, f.derive, f.negate) for f in table.feeds] == [
        ("rt_ms", "ResponseTime", None, Derive.VALUE, False),
        ("rt_ms", "SumResponseTime", None, Derive.RUNNING_SUM, False),
        (None, "InvocationCount", None, Derive.RUNNING_COUNT, False),
        ("ok", None, "Failed", Derive.VALUE, True),
    ]
    unkeyed = binding_from_options(["v=urn:rt:getQuote"])
    assert unkeyed.tables[0].feeds[0].target == "urn:rt:getQuote"
    long = binding_from_options(["time-format=s"])
    assert long.tables[0].is_long
    with pytest.raises(BindingError):
        binding_from_options(["time"])
    with pytest.raises(BindingError):
        binding_from_options(["key=op", "=ResponseTime"])


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=40))
def test_running_sum_is_correctly_rounded(values: list[float]) -> None:
    total = _RunningSum()
    for i, value in enumerate(values):
        assert total.add(value) == math.fsum(values[: i + 1])


def test_running_sum_of_integers_stays_integer() -> None:
    total = _RunningSum()
    assert [total.add(v) for v in (1, 2, True)] == [1, 3, 4]
    assert type(total.add(0)) is int


def test_invocation_feed_targets_the_operation(tmp_path: Path) -> None:
    index = TargetIndex(
        [*_metrics("getQuote"), MeasuredMetric("probeOnly", "Up", StatusRequest(request_uri="p"))]
    )
    binding = parse_binding(
        '[[table]]\ntime-format = "ms"\nkey = "op"\n'
        '[[table.feed]]\ncolumn = "rt"\ninvocation = true\n'
        '[[table.feed]]\ncolumn = "ok"\ndirective = "StatusRequest"\n'
    )
    data = tmp_path / "d.csv"
    data.write_text(f"time,op,rt,ok\n{T0},getQuote,12.5,true\n{T0},probeOnly,3,false\n")
    problems = DataProblems()
    records = list(read_data([data], binding, index, problems))
    assert problems.total == 0
    assert [(r.target, r.value) for r in records] == [
        ("getQuote#invocation", 12.5),
        ("getQuote/Up", True),
        ("probeOnly/Up", False),
    ]
    assert binding_from_options(["key=op", "rt=invocation"]).tables[0].feeds[0].invocation
    with pytest.raises(BindingError):
        parse_binding("[[table]]\n[[table.feed]]\ncolumn = 'v'\ninvocation = true\n")
    with pytest.raises(BindingError):
        parse_binding(
            "[[table]]\nkey='k'\n[[table.feed]]\ncolumn='v'\ninvocation=true\nmetric='m'\n"
        )


def test_with_zone_fills_only_tables_without_one() -> None:
    from wsla.sources.binding import DEFAULT_BINDING, with_zone

    binding = parse_binding(
        "[[table]]\nfiles = ['a*']\ntarget = 't'\nzone = '+02:00'\n"
        "[[table]]\nfiles = ['b*']\ntarget = 't'\n"
    )
    zoned = with_zone(binding, "Europe/Zurich")
    assert [t.zone for t in zoned.tables] == ["+02:00", "Europe/Zurich"]
    implicit = with_zone(DEFAULT_BINDING, "-05:00")
    assert implicit.implicit
    assert implicit.tables[0].zone == "-05:00"
    with pytest.raises(BindingError) as err:
        with_zone(binding, "Moon/Base")
    assert [d.code for d in err.value.diagnostics] == ["M013"]

"""Predicates, Kleene logic, evaluation events, validity, modalities and summaries."""

from __future__ import annotations

from datetime import timedelta
from itertools import product

import pytest
from runtime_builders import MIN, T0, at, gauge, guarantee, make_spec, param, schedule, slo

from wsla.model import (
    And,
    CalendarPeriod,
    Equal,
    ExecutionModality,
    FalsePredicate,
    Greater,
    GreaterEqual,
    Implies,
    Less,
    LessEqual,
    NewValuePredicate,
    Not,
    Or,
    TimePeriod,
    TruePredicate,
    ViolationPredicate,
)
from wsla.runtime import predicates as pr
from wsla.runtime.engine import Evaluator, Result
from wsla.runtime.outcomes import ActionRequest, DataGap, SLOEvaluation, Violation
from wsla.runtime.values import datetime_to_ns

T, F, U = True, False, None


def evaluations(result: Result, name: str) -> list[tuple[float, bool | None]]:
    return [
        ((o.time - at(0)) / MIN, o.result)
        for o in result.outcomes
        if isinstance(o, SLOEvaluation) and o.slo == name
    ]


def run(spec: object, records: list[tuple[str, float, object]], **options: object) -> Result:
    ev = Evaluator(spec, **options)  # type: ignore[arg-type]
    for target, minute, value in records:
        ev.feed(target, at(minute), value)
    return ev.finish()


def two_gauges(
    *slos: object, guarantees: tuple[object, ...] = (), schedules: tuple[object, ...] = ()
) -> object:
    return make_spec(
        [gauge("A"), gauge("B")],
        parameters=[param("PA", "A"), param("PB", "B")],
        slos=list(slos),  # type: ignore[arg-type]
        guarantees=list(guarantees),  # type: ignore[arg-type]
        schedules=list(schedules),  # type: ignore[arg-type]
    )


# --- logic ---------------------------------------------------------------------------

KLEENE_AND = {
    (T, T): T,
    (T, F): F,
    (T, U): U,
    (F, T): F,
    (F, F): F,
    (F, U): F,
    (U, T): U,
    (U, F): F,
    (U, U): U,
}
KLEENE_OR = {
    (T, T): T,
    (T, F): T,
    (T, U): T,
    (F, T): T,
    (F, F): F,
    (F, U): U,
    (U, T): T,
    (U, F): U,
    (U, U): U,
}
KLEENE_IMPLIES = {
    (T, T): T,
    (T, F): F,
    (T, U): U,
    (F, T): T,
    (F, F): T,
    (F, U): T,
    (U, T): T,
    (U, F): U,
    (U, U): U,
}


@pytest.mark.parametrize(("a", "b"), list(product([T, F, U], repeat=2)))
def test_kleene_tables(a: bool | None, b: bool | None) -> None:
    assert pr.kleene_and(a, b) is KLEENE_AND[(a, b)]
    assert pr.kleene_or(a, b) is KLEENE_OR[(a, b)]
    assert pr.kleene_implies(a, b) is KLEENE_IMPLIES[(a, b)]
    assert pr.kleene_not(a) is (None if a is None else not a)


def _value(v: bool | None) -> object:
    """A gauge value that makes `PA > 0` true, false or unknown."""
    return {True: 1, False: -1, None: None}[v]


@pytest.mark.parametrize(("a", "b"), list(product([T, F, U], repeat=2)))
@pytest.mark.parametrize(
    ("make", "table"),
    [
        (lambda x, y: And(left=x, right=y), KLEENE_AND),
        (lambda x, y: Or(left=x, right=y), KLEENE_OR),
        (lambda x, y: Implies(left=x, right=y), KLEENE_IMPLIES),
    ],
)
def test_logic_in_the_engine(
    make: object, table: dict[object, object], a: bool | None, b: bool | None
) -> None:
    expr = make(Greater(parameter="PA", value=0), Greater(parameter="PB", value=0))  # type: ignore[operator]
    spec = two_gauges(slo("S", expr))
    result = run(spec, [("Svc/A", 0, _value(a)), ("Svc/B", 1, _value(b))])
    assert evaluations(result, "S")[-1] == (1.0, table[(a, b)])


@pytest.mark.parametrize("a", [T, F, U])
def test_not_in_the_engine(a: bool | None) -> None:
    spec = two_gauges(slo("S", Not(operand=Greater(parameter="PA", value=0))))
    result = run(spec, [("Svc/A", 0, _value(a))])
    assert evaluations(result, "S") == [(0.0, None if a is None else not a)]


@pytest.mark.parametrize(
    ("cls", "value", "expected"),
    [
        (Greater, 5, False),
        (Greater, 5.5, True),
        (Less, 4, True),
        (Less, 5, False),
        (Equal, 5, True),
        (Equal, 5.0, True),
        (Equal, 5.1, False),
        (GreaterEqual, 5, True),
        (GreaterEqual, 4.99, False),
        (LessEqual, 5, True),
        (LessEqual, 5.01, False),
    ],
)
def test_comparisons(cls: type, value: object, expected: bool) -> None:
    spec = two_gauges(slo("S", cls(parameter="PA", value=5.0)))
    assert evaluations(run(spec, [("Svc/A", 0, value)]), "S") == [(0.0, expected)]


def test_comparison_over_string_is_unknown() -> None:
    spec = two_gauges(slo("S", Greater(parameter="PA", value=0)))
    assert evaluations(run(spec, [("Svc/A", 0, "up")]), "S") == [(0.0, None)]


def test_true_false_predicates_and_unknown_is_a_gap_not_a_violation() -> None:
    spec = two_gauges(
        slo("T", And(left=TruePredicate(), right=NewValuePredicate(parameters=("PA",)))),
        slo("F", Or(left=FalsePredicate(), right=Greater(parameter="PA", value=0))),
    )
    result = run(spec, [("Svc/A", 0, None), ("Svc/A", 1, -1)])
    assert evaluations(result, "T") == [(0.0, True), (1.0, True)]
    assert evaluations(result, "F") == [(0.0, None), (1.0, False)]
    assert [v.time for v in result.of_type(Violation)] == [at(1)]
    gaps = result.of_type(DataGap)
    assert [(g.subject, g.kind, g.detail) for g in gaps] == [("F", "unknown", "undefined: PA")]


def test_newvalue_trigger_only_for_parameters_read() -> None:
    spec = two_gauges(slo("S", Greater(parameter="PA", value=0)))
    result = run(spec, [("Svc/B", 0, 1), ("Svc/A", 1, 1), ("Svc/B", 2, 1)])
    assert evaluations(result, "S") == [(1.0, True)]


def test_newvalue_predicate_same_step_and_list() -> None:
    spec = two_gauges(
        slo("S", NewValuePredicate(parameters=("PA", "PB")), on="s"),
        schedules=(schedule("s", 1),),
    )
    # scheduled evaluation: NewValue is true only for new values in the tick's step
    result = run(spec, [("Svc/A", 0, 1), ("Svc/A", 0.5, 2), ("Svc/A", 2, 0)])
    assert evaluations(result, "S") == [(1.0, False), (2.0, False)]


def test_scheduled_slo_evaluates_at_ticks_with_current_values() -> None:
    spec = two_gauges(
        slo("S", Less(parameter="PA", value=10), on="s"), schedules=(schedule("s", 1),)
    )
    result = run(spec, [("Svc/A", 0, 5), ("Svc/A", 1.5, 20), ("Svc/A", 3, 1)])
    assert evaluations(result, "S") == [(1.0, True), (2.0, False), (3.0, False)]


def test_validity_periods_union_closed() -> None:
    v1 = TimePeriod(start=T0, end=T0 + timedelta(minutes=1))
    v2 = TimePeriod(start=T0 + timedelta(minutes=3), end=T0 + timedelta(minutes=4))
    spec = two_gauges(slo("S", Greater(parameter="PA", value=0), validity=[v1, v2]))
    result = run(spec, [("Svc/A", m, 1) for m in (0, 1, 1.5, 2, 3, 4, 4.01)])
    assert [t for t, _ in evaluations(result, "S")] == [0.0, 1.0, 3.0, 4.0]


def test_calendar_validity() -> None:
    business = CalendarPeriod(
        condition_time="2026-01-01T00:00:00Z",
        month_of_year_mask="1" * 12,
        day_of_month_mask="1" * 31,
        day_of_week_mask="1" * 7,
        time_of_day_mask="0" * 8 + "1" * 10 + "0" * 6,
        time_zone="UTC",
        local_or_utc="UTC",
    )
    spec = two_gauges(slo("S", Greater(parameter="PA", value=0), validity=[business]))
    result = run(spec, [("Svc/A", m * 60, 1) for m in (7, 8, 17, 18)])
    assert [t / 60 for t, _ in evaluations(result, "S")] == [8.0, 17.0]


# --- Violation predicate and guarantees ---------------------------------------------


def requests(result: Result, name: str) -> list[tuple[float, bool | None]]:
    return [
        ((o.time - at(0)) / MIN, o.result)
        for o in result.outcomes
        if isinstance(o, ActionRequest) and o.guarantee == name
    ]


def test_violation_predicate_never_evaluated_is_false_then_negates_latest() -> None:
    spec = two_gauges(
        slo("S", Greater(parameter="PA", value=0)),
        guarantees=(
            guarantee(
                "G",
                ViolationPredicate(slo="S"),
                ExecutionModality.ON_EVERY_EVALUATION,
                parameters=("PA",),
            ),
        ),
    )
    # G is triggered by S's evaluations only (it reads no parameters)
    result = run(spec, [("Svc/B", 0, 1), ("Svc/A", 1, 1), ("Svc/A", 2, -1), ("Svc/A", 3, None)])
    assert requests(result, "G") == [(1.0, False), (2.0, True), (3.0, None)]
    req = result.of_type(ActionRequest)[1]
    assert req.notification is not None
    assert (
        req.notification.type,
        req.notification.causing_guarantee,
        dict(req.notification.values),
    ) == ("Violation", "G", {"PA": -1})


def test_violation_predicate_reads_state_from_earlier_steps() -> None:
    spec = two_gauges(
        slo("S", Greater(parameter="PA", value=0)),
        guarantees=(
            guarantee(
                "G",
                And(left=ViolationPredicate(slo="S"), right=Greater(parameter="PB", value=0)),
                ExecutionModality.ON_EVERY_EVALUATION,
            ),
        ),
    )
    result = run(spec, [("Svc/A", 0, -1), ("Svc/B", 1, 5), ("Svc/A", 2, 1), ("Svc/B", 3, 5)])
    # at 0: S false, PB unknown → unknown; 1: new PB, S still violated → true;
    # 2: S true → false; 3: false
    assert requests(result, "G") == [(0.0, None), (1.0, True), (2.0, False), (3.0, False)]


def test_guarantee_without_violation_on_never_evaluated_slo() -> None:
    spec = two_gauges(
        slo("S", Greater(parameter="PA", value=0)),
        guarantees=(
            guarantee(
                "G",
                Or(left=ViolationPredicate(slo="S"), right=Greater(parameter="PB", value=0)),
                ExecutionModality.ON_EVERY_EVALUATION,
            ),
        ),
    )
    result = run(spec, [("Svc/B", 0, -1)])
    assert requests(result, "G") == [(0.0, False)]


SEQUENCE = [1, 1, None, -1, -1, None, 1, -1, 1]
"""PA values; the guarantee `PA > 0` is then T T U F F U T F T."""


@pytest.mark.parametrize(
    ("modality", "expected"),
    [
        (ExecutionModality.ALWAYS, [0, 1, 6, 8]),
        (ExecutionModality.ON_EVERY_EVALUATION, list(range(9))),
        (ExecutionModality.ON_ENTERING_CONDITION, [0, 6, 8]),
        (ExecutionModality.ON_ENTERING_AND_ON_LEAVING_CONDITION, [0, 3, 6, 7, 8]),
    ],
)
def test_execution_modalities(modality: ExecutionModality, expected: list[int]) -> None:
    spec = two_gauges(guarantees=(guarantee("G", Greater(parameter="PA", value=0), modality),))
    result = run(spec, [("Svc/A", i, v) for i, v in enumerate(SEQUENCE)])
    assert [int(t) for t, _ in requests(result, "G")] == expected


def test_unknown_does_not_change_remembered_state() -> None:
    # T U T: OnEntering fires once (the U in between does not reset the state)
    spec = two_gauges(
        guarantees=(
            guarantee(
                "G", Greater(parameter="PA", value=0), ExecutionModality.ON_ENTERING_CONDITION
            ),
        )
    )
    result = run(spec, [("Svc/A", 0, 1), ("Svc/A", 1, None), ("Svc/A", 2, 1)])
    assert requests(result, "G") == [(0.0, True)]


def test_scheduled_guarantee() -> None:
    spec = two_gauges(
        guarantees=(guarantee("G", Greater(parameter="PA", value=0), on="s"),),
        schedules=(schedule("s", 1),),
    )
    result = run(spec, [("Svc/A", 0, 1), ("Svc/A", 0.5, 2), ("Svc/A", 2.5, 3)])
    assert requests(result, "G") == [(1.0, True), (2.0, True)]


def test_order_slos_first_then_guarantees_in_document_order() -> None:
    spec = two_gauges(
        slo("S2", Greater(parameter="PA", value=0)),
        slo("S1", Greater(parameter="PA", value=5)),
        guarantees=(
            guarantee("G2", ViolationPredicate(slo="S1")),
            guarantee("G1", ViolationPredicate(slo="S2")),
        ),
    )
    result = run(spec, [("Svc/A", 0, 1)])
    kinds = [
        (
            type(o).__name__,
            getattr(o, "slo", getattr(o, "guarantee", getattr(o, "parameter", None))),
        )
        for o in result.outcomes
    ]
    assert kinds == [
        ("ParameterValue", "PA"),
        ("SLOEvaluation", "S2"),
        ("SLOEvaluation", "S1"),
        ("Violation", "S1"),
        ("ActionRequest", "G2"),
    ]


# --- summary -------------------------------------------------------------------------


def test_summary() -> None:
    spec = two_gauges(slo("S", Greater(parameter="PA", value=0)))
    # T at 0, F at 1, U at 2, F at 3, T at 5, F at 7, window ends at 10
    records = [("Svc/A", m, v) for m, v in [(0, 1), (1, -1), (2, None), (3, -1), (5, 1), (7, -1)]]
    ev = Evaluator(spec)
    for target, m, v in records:
        ev.feed(target, at(m), v)
    summary = ev.finish(to=at(10)).summaries["S"]
    assert (summary.evaluations, summary.violations, summary.unknowns) == (6, 3, 1)
    assert summary.compliance == pytest.approx(40.0)
    # periods: [1, 5) = 4 min and [7, 10] = 3 min
    assert summary.time_in_violation == 7 * MIN
    assert summary.longest_violation == 4 * MIN
    assert summary.violation_periods == 2


def test_summary_without_known_evaluations() -> None:
    spec = two_gauges(slo("S", Greater(parameter="PA", value=0)))
    summary = run(spec, [("Svc/A", 0, None)]).summaries["S"]
    assert summary.compliance is None
    assert summary.time_in_violation == 0


def test_validity_uses_instants() -> None:
    assert datetime_to_ns(T0) == at(0)


def test_every_modality_has_a_rule() -> None:
    from wsla.runtime.modalities import MODALITIES

    assert set(MODALITIES) == set(ExecutionModality)

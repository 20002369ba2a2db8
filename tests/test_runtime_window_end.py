"""The window a result's summaries cover includes what advance() processed."""

from __future__ import annotations

from runtime_builders import at, gauge, make_spec, metric, param, ref, schedule, slo

from wsla.model import Less, Mean, TSConstructor
from wsla.runtime.engine import Evaluator


def _spec():  # type: ignore[no-untyped-def]
    return make_spec(
        [
            gauge("G"),
            metric("S", TSConstructor(schedule="every5", input=ref("G"), window=1)),
            metric("M", Mean(input=ref("S"))),
        ],
        schedules=[schedule("every5", minutes=5)],
        parameters=[param("PM", "M")],
        slos=[slo("Low", Less(parameter="PM", value=10.0), on="every5")],
    )


def test_finish_after_advance_ends_the_window_at_the_advance() -> None:
    ev = Evaluator(_spec())
    for minute in range(10):
        ev.feed("Svc/G", at(minute), 50)  # too high from the start
    ev.advance(at(12))  # the tick at 00:10 is processed: a second violation
    result = ev.finish()
    assert result.window == (at(0), at(12))
    summary = result.summaries["Low"]
    assert summary.violations == 2
    assert summary.violation_periods == 1
    # violated from the 00:05 evaluation to the end of the window
    assert summary.time_in_violation == at(12) - at(5)


def test_without_advance_the_window_ends_at_the_last_record() -> None:
    ev = Evaluator(_spec())
    for minute in range(10):
        ev.feed("Svc/G", at(minute), 50)
    result = ev.finish()
    assert result.window == (at(0), at(9))
    assert result.summaries["Low"].violations == 1

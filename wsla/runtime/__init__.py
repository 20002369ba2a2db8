"""The evaluation runtime: compile a spec into a plan, evaluate it over records.

>>> from wsla.runtime import Evaluator                       # doctest: +SKIP
>>> ev = Evaluator(spec)                                     # doctest: +SKIP
>>> ev.feed("GetQuote/ProbedUtilization", time_ns, 0.42)     # doctest: +SKIP
>>> result = ev.finish()                                     # doctest: +SKIP

Semantics: reference §5 and ``docs/semantics.md``.
"""

from wsla.runtime.engine import INVOCATION_SUFFIX, Evaluator, Result, evaluate_records
from wsla.runtime.outcomes import (
    ActionRequest,
    DataGap,
    Evidence,
    LateRecord,
    NotificationContent,
    Outcome,
    ParameterValue,
    SLOEvaluation,
    Summary,
    Violation,
)
from wsla.runtime.plan import Plan, PlanError, compile_plan

__all__ = [
    "INVOCATION_SUFFIX",
    "ActionRequest",
    "DataGap",
    "Evaluator",
    "Evidence",
    "LateRecord",
    "NotificationContent",
    "Outcome",
    "ParameterValue",
    "Plan",
    "PlanError",
    "Result",
    "SLOEvaluation",
    "Summary",
    "Violation",
    "compile_plan",
    "evaluate_records",
]

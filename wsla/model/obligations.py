"""Obligations: service level objectives, action guarantees and their expressions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from wsla.model.service import Constant
from wsla.model.span import Span
from wsla.model.types import ExecutionModality, NotificationType, Period

# --- predicates --------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Predicate:
    """Abstract base of the predicates (``xsi:type`` of ``Predicate``)."""

    xsi_type: ClassVar[str] = ""
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitLiteral:
    """A comparison value as written with a unit in ``.wsla`` (``500 ms``, ``99.5 %``).

    Presentation only: WSLA XML has no unit on ``Value``, so the model's value is the
    number converted into the parameter's unit, and this is what the printer writes back.
    """

    number: str
    """The number as written (``500``, ``99.5``)."""
    unit: str
    """The unit as written, blanks collapsed (``ms``, ``%``, ``transactions/h``)."""
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison(Predicate):
    """``SLAParameter`` compared with a literal double ``Value``."""

    symbol: ClassVar[str] = ""
    parameter: str
    value: float
    written: UnitLiteral | None = field(default=None, compare=False, repr=False)
    """How the value was written, when it had a unit; not part of equality (like ``span``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Greater(Comparison):
    xsi_type: ClassVar[str] = "Greater"
    symbol: ClassVar[str] = ">"


@dataclass(frozen=True, slots=True, kw_only=True)
class Less(Comparison):
    xsi_type: ClassVar[str] = "Less"
    symbol: ClassVar[str] = "<"


@dataclass(frozen=True, slots=True, kw_only=True)
class Equal(Comparison):
    xsi_type: ClassVar[str] = "Equal"
    symbol: ClassVar[str] = "=="


@dataclass(frozen=True, slots=True, kw_only=True)
class GreaterEqual(Comparison):
    xsi_type: ClassVar[str] = "GreaterEqual"
    symbol: ClassVar[str] = ">="


@dataclass(frozen=True, slots=True, kw_only=True)
class LessEqual(Comparison):
    xsi_type: ClassVar[str] = "LessEqual"
    symbol: ClassVar[str] = "<="


@dataclass(frozen=True, slots=True, kw_only=True)
class TruePredicate(Predicate):
    xsi_type: ClassVar[str] = "True"


@dataclass(frozen=True, slots=True, kw_only=True)
class FalsePredicate(Predicate):
    xsi_type: ClassVar[str] = "False"


@dataclass(frozen=True, slots=True, kw_only=True)
class NewValuePredicate(Predicate):
    """``NewValue``: one parameter is written as ``SLAParameter``, several as
    ``SLAParameterList`` (a one-name list is read as the single form)."""

    xsi_type: ClassVar[str] = "NewValue"
    parameters: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ViolationPredicate(Predicate):
    xsi_type: ClassVar[str] = "Violation"
    slo: str


PREDICATE_TYPES: dict[str, type[Predicate]] = {
    cls.xsi_type: cls
    for cls in (
        Greater,
        Less,
        Equal,
        GreaterEqual,
        LessEqual,
        TruePredicate,
        FalsePredicate,
        NewValuePredicate,
        ViolationPredicate,
    )
}

COMPARISON_TYPES: dict[str, type[Comparison]] = {
    cls.xsi_type: cls for cls in (Greater, Less, Equal, GreaterEqual, LessEqual)
}

# --- logic ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BinaryLogic:
    element: ClassVar[str] = ""
    left: Expression
    right: Expression
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class And(BinaryLogic):
    element: ClassVar[str] = "And"


@dataclass(frozen=True, slots=True, kw_only=True)
class Or(BinaryLogic):
    element: ClassVar[str] = "Or"


@dataclass(frozen=True, slots=True, kw_only=True)
class Implies(BinaryLogic):
    """``Implies``: ``left`` → ``right``."""

    element: ClassVar[str] = "Implies"


@dataclass(frozen=True, slots=True, kw_only=True)
class Not:
    """``Not`` (its child is spelled ``Expresssion`` in WSLA 1.0 XML)."""

    operand: Expression
    span: Span | None = field(default=None, compare=False, repr=False)


Expression = Predicate | And | Or | Implies | Not


def walk_expression(expr: Expression) -> Iterator[Expression]:
    """Every node of ``expr``, pre-order."""
    yield expr
    if isinstance(expr, BinaryLogic):
        yield from walk_expression(expr.left)
        yield from walk_expression(expr.right)
    elif isinstance(expr, Not):
        yield from walk_expression(expr.operand)


# --- evaluation events and actions ---------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class OnNewValue:
    """``<EvaluationEvent>NewValue</EvaluationEvent>``."""

    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class OnSchedule:
    """``<Schedule>name</Schedule>``: evaluate at each tick."""

    schedule: str
    span: Span | None = field(default=None, compare=False, repr=False)


Evaluation = OnNewValue | OnSchedule


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionInvocation:
    """A concrete ``Action`` of a qualified action: just ``@actionName``."""

    action_name: str | None = None
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """``Action xsi:type="Notification"``. ``parameters == ()`` is written ``NONE``."""

    action_name: str | None = None
    notification_type: NotificationType
    causing_guarantee: str
    parameters: tuple[str, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class QualifiedAction:
    party: str
    action: ActionInvocation | Notification
    span: Span | None = field(default=None, compare=False, repr=False)


# --- obligations ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceLevelObjective:
    name: str | None = None
    obliged: str
    validity: tuple[Period, ...]
    expression: Expression
    evaluation: Evaluation
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionGuarantee:
    name: str | None = None
    obliged: tuple[str, ...]
    expression: Expression
    evaluation: Evaluation
    actions: tuple[QualifiedAction, ...]
    modality: ExecutionModality
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class ObligationGroup:
    name: str | None = None
    constants: tuple[Constant, ...] = ()
    slos: tuple[ServiceLevelObjective, ...] = ()
    guarantees: tuple[ActionGuarantee, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Obligations:
    name: str | None = None
    constants: tuple[Constant, ...] = ()
    slos: tuple[ServiceLevelObjective, ...] = ()
    guarantees: tuple[ActionGuarantee, ...] = ()
    groups: tuple[ObligationGroup, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False)

    def all_slos(self) -> tuple[ServiceLevelObjective, ...]:
        """SLOs in evaluation order: top level first, then each group's."""
        return (*self.slos, *(s for g in self.groups for s in g.slos))

    def all_guarantees(self) -> tuple[ActionGuarantee, ...]:
        return (*self.guarantees, *(a for g in self.groups for a in g.guarantees))

    def all_constants(self) -> tuple[Constant, ...]:
        return (*self.constants, *(c for g in self.groups for c in g.constants))

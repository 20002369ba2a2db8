"""Hypothesis strategies for arbitrary valid WSLA models.

"Valid" means the written XML validates against ``xsd/wsla.xsd``: required children are
present, occurrence bounds hold (1..2 sponsors, at least one role, operation, coverage…),
names are non-empty identifiers, floats are finite, longs fit in xs:long, URIs are plain.
Semantic validity (references resolve, types agree) is *not* implied.

Function, directive, predicate and action strategies are derived from the classes'
fields (through :func:`wsla.xml.mapping.element_fields`), so every registered class,
extensions included, is generated without listing it here.

Exports: :func:`specs` and the smaller :func:`names`, :func:`intervals`, :func:`periods`,
:func:`operands`, :func:`functions`, :func:`directives`, :func:`metrics`,
:func:`predicates`, :func:`expressions`, :func:`parties`, :func:`service_definitions`,
:func:`obligations`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from wsla.model import (
    ACTION_DESCRIPTION_TYPES,
    DIRECTIVE_TYPES,
    FUNCTION_TYPES,
    PREDICATE_TYPES,
    ActionGuarantee,
    ActionInvocation,
    And,
    CalendarPeriod,
    Communication,
    Constant,
    ConstantRef,
    Contact,
    DirectiveAssignment,
    DirectiveVariable,
    ExecutionModality,
    FloatScalar,
    Implies,
    Interval,
    LongScalar,
    Metric,
    MetricMacroDefinition,
    MetricMacroExpansion,
    MetricRef,
    MetricType,
    NewValuePredicate,
    Not,
    Notification,
    NotificationType,
    ObligationGroup,
    Obligations,
    OnNewValue,
    OnSchedule,
    Operation,
    OperationGroup,
    Or,
    Parties,
    QualifiedAction,
    Role,
    Schedule,
    ServiceConsumer,
    ServiceDefinition,
    ServiceLevelObjective,
    ServiceProvider,
    SLAParameter,
    SoapOperation,
    Spec,
    StringOperation,
    StringScalar,
    SupportingParty,
    TimePeriod,
    Trigger,
    WebHosting,
)
from wsla.xml.mapping import FieldMap, Kind, element_fields

LONG_MIN = -(2**63)
LONG_MAX = 2**63 - 1


def names() -> st.SearchStrategy[str]:
    """Non-empty identifiers."""
    return st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,9}", fullmatch=True)


def texts(max_size: int = 16) -> st.SearchStrategy[str]:
    """Free text that XML can carry unchanged (no control characters)."""
    return st.text(
        st.characters(
            codec="utf-8",
            exclude_categories=("Cs", "Cc"),
            exclude_characters="\ufffe\uffff",
        ),
        max_size=max_size,
    )


def uris() -> st.SearchStrategy[str]:
    return st.from_regex(
        r"(https?://[a-z]{1,8}\.example(/[a-z0-9]{1,6}){0,2}|[A-Z][a-z]{0,8}\.wsdl)", fullmatch=True
    )


def name_lists(min_size: int = 0, max_size: int = 3) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(names(), min_size=min_size, max_size=max_size).map(tuple)


def longs() -> st.SearchStrategy[int]:
    return st.integers(LONG_MIN, LONG_MAX)


def doubles() -> st.SearchStrategy[float]:
    return st.floats(allow_nan=False, allow_infinity=False)


def xs_floats() -> st.SearchStrategy[float]:
    """Values for xs:float elements (FloatScalar, Constant Float)."""
    return st.floats(allow_nan=False, allow_infinity=False, width=32)


def metric_types() -> st.SearchStrategy[MetricType | None]:
    return st.none() | st.sampled_from(MetricType)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


_OFFSETS = (
    UTC,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-14)),
)


def datetimes() -> st.SearchStrategy[datetime]:
    """Aware datetimes with whole-minute offsets, as xs:dateTime can carry them."""
    return st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from(_OFFSETS),
    )


def intervals() -> st.SearchStrategy[Interval]:
    part = _optional(st.integers(0, 10**6))
    return st.builds(
        Interval,
        years=part,
        months=part,
        days=part,
        hours=part,
        minutes=part,
        seconds=part,
        milliseconds=part,
    )


def _mask(length: int) -> st.SearchStrategy[str]:
    return st.text("01", min_size=length, max_size=length)


def calendar_periods() -> st.SearchStrategy[CalendarPeriod]:
    return st.builds(
        CalendarPeriod,
        condition_time=datetimes().map(lambda d: d.isoformat()),
        month_of_year_mask=_mask(12),
        day_of_month_mask=_mask(31),
        day_of_week_mask=_mask(7),
        time_of_day_mask=_mask(24),
        time_zone=st.sampled_from(["UTC", "Europe/Zurich", "America/New_York", "-05:00"]),
        local_or_utc=st.sampled_from(["Local", "UTC"]),
    )


def periods() -> st.SearchStrategy[TimePeriod | CalendarPeriod]:
    return st.builds(TimePeriod, start=datetimes(), end=datetimes()) | calendar_periods()


# --- functions and operands ------------------------------------------------------------


def metric_refs() -> st.SearchStrategy[MetricRef]:
    return st.builds(MetricRef, name=names())


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(LongScalar, value=longs()),
        st.builds(FloatScalar, value=xs_floats()),
        st.builds(StringScalar, value=texts()),
        st.builds(ConstantRef, name=names()),
    )


_URI_FIELDS = frozenset({"wsdl_file", "address", "measurement_uri", "counter_uri", "request_uri"})
_TEXT_FIELDS = frozenset({"description"})


def _field_strategy(fm: FieldMap, nested: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    kind = fm.kind
    inputs = metric_refs() | nested
    operand = st.one_of(metric_refs(), scalars(), nested)
    value: st.SearchStrategy[Any]
    if kind is Kind.TEXT:
        if fm.field in _URI_FIELDS:
            value = uris()
        elif fm.field in _TEXT_FIELDS:
            value = texts()
        else:
            value = names()
    elif kind is Kind.LONG:
        value = longs()
    elif kind is Kind.DOUBLE:
        value = doubles()
    elif kind is Kind.BOOL:
        value = st.booleans()
    elif kind is Kind.INTERVAL:
        value = intervals()
    elif kind is Kind.LIST:
        value = name_lists()
    elif kind is Kind.INPUT:
        value = inputs
    elif kind is Kind.INPUTS:
        value = st.lists(inputs, min_size=1, max_size=3).map(tuple)
    elif kind is Kind.OPERAND:
        value = operand
    else:
        value = st.lists(operand, min_size=1, max_size=3).map(tuple)
    return _optional(value) if fm.optional else value


def _typed_builds(
    cls: type, nested: st.SearchStrategy[Any], **extra: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    kwargs = {fm.field: _field_strategy(fm, nested) for fm in element_fields(cls)}
    kwargs.update(extra)
    return st.builds(cls, **kwargs)


def _functions_over(nested: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        *(_typed_builds(cls, nested, result_type=metric_types()) for cls in FUNCTION_TYPES.values())
    )


def functions(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Every registered function, nested up to about ``max_leaves`` functions deep."""
    return st.recursive(_functions_over(st.nothing()), _functions_over, max_leaves=max_leaves)


def operands() -> st.SearchStrategy[Any]:
    return st.one_of(metric_refs(), scalars(), functions(3))


def directives() -> st.SearchStrategy[Any]:
    return st.one_of(
        *(
            _typed_builds(cls, st.nothing(), result_type=metric_types())
            for cls in DIRECTIVE_TYPES.values()
        )
    )


def metrics() -> st.SearchStrategy[Metric]:
    return st.builds(
        Metric,
        name=names(),
        type=metric_types(),
        unit=_optional(texts(8)),
        counter=_optional(st.booleans()),
        source=names(),
        metric_uri=_optional(uris()),
        definition=st.one_of(directives(), functions(4), st.builds(DirectiveVariable)),
    )


# --- obligations ---------------------------------------------------------------------------


def predicates() -> st.SearchStrategy[Any]:
    generic = [
        _typed_builds(cls, st.nothing())
        for cls in PREDICATE_TYPES.values()
        if cls is not NewValuePredicate
    ]
    return st.one_of(*generic, st.builds(NewValuePredicate, parameters=name_lists(1, 3)))


def expressions(max_leaves: int = 8) -> st.SearchStrategy[Any]:
    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.builds(And, left=inner, right=inner),
            st.builds(Or, left=inner, right=inner),
            st.builds(Implies, left=inner, right=inner),
            st.builds(Not, operand=inner),
        )

    return st.recursive(predicates(), extend, max_leaves=max_leaves)


def evaluations() -> st.SearchStrategy[Any]:
    return st.builds(OnNewValue) | st.builds(OnSchedule, schedule=names())


def qualified_actions() -> st.SearchStrategy[QualifiedAction]:
    action = st.builds(ActionInvocation, action_name=_optional(names())) | st.builds(
        Notification,
        action_name=_optional(names()),
        notification_type=st.sampled_from(NotificationType),
        causing_guarantee=names(),
        parameters=name_lists(),
    )
    return st.builds(QualifiedAction, party=names(), action=action)


def slos() -> st.SearchStrategy[ServiceLevelObjective]:
    return st.builds(
        ServiceLevelObjective,
        name=names(),
        obliged=names(),
        validity=st.lists(periods(), min_size=1, max_size=2).map(tuple),
        expression=expressions(),
        evaluation=evaluations(),
    )


def guarantees() -> st.SearchStrategy[ActionGuarantee]:
    return st.builds(
        ActionGuarantee,
        name=names(),
        obliged=name_lists(1, 2),
        expression=expressions(4),
        evaluation=evaluations(),
        actions=st.lists(qualified_actions(), min_size=1, max_size=2).map(tuple),
        modality=st.sampled_from(ExecutionModality),
    )


def constants() -> st.SearchStrategy[Constant]:
    value = st.one_of(texts(), st.integers(), xs_floats())
    return st.builds(Constant, name=names(), value=value)


def _few(strategy: st.SearchStrategy[Any], max_size: int = 2) -> st.SearchStrategy[Any]:
    return st.lists(strategy, max_size=max_size).map(tuple)


def obligations() -> st.SearchStrategy[Obligations]:
    group = st.builds(
        ObligationGroup,
        name=names(),
        constants=_few(constants(), 1),
        slos=_few(slos(), 1),
        guarantees=_few(guarantees(), 1),
    )
    return st.builds(
        Obligations,
        name=_optional(names()),
        constants=_few(constants()),
        slos=_few(slos()),
        guarantees=_few(guarantees()),
        groups=_few(group, 1),
    )


# --- parties ---------------------------------------------------------------------------------


def action_descriptions() -> st.SearchStrategy[Any]:
    return st.one_of(
        *(
            _typed_builds(cls, st.nothing(), name=names(), party_name=_optional(names()))
            for cls in ACTION_DESCRIPTION_TYPES.values()
        )
    )


def _party(cls: type, **extra: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.builds(
        cls,
        name=names(),
        contact=_optional(st.builds(Contact, street=texts(), city=texts())),
        actions=_few(action_descriptions()),
        **extra,
    )


def parties() -> st.SearchStrategy[Parties]:
    supporting = _party(
        SupportingParty,
        sponsors=name_lists(1, 2),
        roles=st.lists(st.sampled_from(Role), min_size=1, max_size=3).map(tuple),
    )
    return st.builds(
        Parties,
        provider=_party(ServiceProvider),
        consumer=_party(ServiceConsumer),
        supporting=_few(supporting),
    )


# --- service objects -----------------------------------------------------------------------


def schedules() -> st.SearchStrategy[Schedule]:
    return st.builds(Schedule, name=names(), period=periods(), interval=intervals())


def parameters() -> st.SearchStrategy[SLAParameter]:
    communication = st.builds(
        Communication,
        source=names(),
        pull=_optional(name_lists()),
        push=_optional(name_lists()),
    )
    return st.builds(
        SLAParameter,
        name=names(),
        type=metric_types(),
        unit=_optional(texts(8)),
        metric=names(),
        communication=_optional(communication),
    )


def _content() -> dict[str, st.SearchStrategy[Any]]:
    """The content every service object shares."""
    return {
        "name": names(),
        "schedules": _few(schedules(), 1),
        "triggers": _few(st.builds(Trigger, name=names(), time=datetimes()), 1),
        "constants": _few(constants(), 1),
        "macro_definitions": _few(
            st.builds(
                MetricMacroDefinition,
                name=names(),
                metrics=st.lists(metrics(), min_size=1, max_size=2).map(tuple),
            ),
            1,
        ),
        "macro_expansions": _few(
            st.builds(
                MetricMacroExpansion,
                macro_name=names(),
                expansion_name=names(),
                assignments=_few(
                    st.builds(DirectiveAssignment, metric_name=names(), directive=directives()),
                    2,
                ),
            ),
            1,
        ),
        "parameters": _few(parameters()),
        "metrics": _few(metrics(), 3),
    }


def operations() -> st.SearchStrategy[Operation]:
    return st.one_of(
        st.builds(Operation, **_content()),
        st.builds(
            SoapOperation,
            **_content(),
            wsdl_file=uris(),
            service_name=_optional(names()),
            soap_binding_name=names(),
            soap_operation_name=names(),
        ),
        st.builds(StringOperation, **_content(), description=texts()),
    )


def service_definitions() -> st.SearchStrategy[ServiceDefinition]:
    groups = st.builds(
        OperationGroup,
        **_content(),
        operations=st.lists(operations(), min_size=1, max_size=2).map(tuple),
    )
    hostings = st.builds(
        WebHosting, **_content(), coverage=st.lists(uris(), min_size=1, max_size=2).map(tuple)
    )
    return st.builds(
        ServiceDefinition,
        **_content(),
        operations=_few(operations()),
        operation_groups=_few(groups, 1),
        web_hostings=_few(hostings, 1),
    )


def specs() -> st.SearchStrategy[Spec]:
    """Whole SLAs: parties, one or two service definitions, obligations."""
    return st.builds(
        Spec,
        name=_optional(names()),
        parties=parties(),
        service_definitions=st.lists(service_definitions(), min_size=1, max_size=2).map(tuple),
        obligations=obligations(),
    )


__all__ = [
    "action_descriptions",
    "calendar_periods",
    "constants",
    "datetimes",
    "directives",
    "doubles",
    "expressions",
    "functions",
    "guarantees",
    "intervals",
    "metric_refs",
    "metrics",
    "names",
    "obligations",
    "operands",
    "operations",
    "parameters",
    "parties",
    "periods",
    "predicates",
    "qualified_actions",
    "scalars",
    "schedules",
    "service_definitions",
    "slos",
    "specs",
    "texts",
    "uris",
]

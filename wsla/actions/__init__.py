"""Acting on violations: action handlers, a retry policy and a durable outbox.

An action request produced by the runtime is first written to the :class:`Outbox`
(SQLite, WAL mode) and only then delivered by a :class:`Dispatcher`, at least once,
with an idempotency key that stays the same on every attempt. A request that keeps
failing is dead-lettered after ``RetryPolicy.max_attempts`` attempts and reported.
"""

from wsla.actions.dispatcher import Dispatcher, DispatchReport
from wsla.actions.handlers import (
    CallbackHandler,
    DeliveryError,
    Handler,
    HandlerRegistry,
    LogHandler,
    SoapHandler,
    WebhookHandler,
    default_registry,
)
from wsla.actions.message import ActionMessage, idempotency_key
from wsla.actions.outbox import Delivery, DeliveryStatus, Outbox
from wsla.actions.retry import RetryPolicy

__all__ = [
    "ActionMessage",
    "CallbackHandler",
    "Delivery",
    "DeliveryError",
    "DeliveryStatus",
    "DispatchReport",
    "Dispatcher",
    "Handler",
    "HandlerRegistry",
    "LogHandler",
    "Outbox",
    "RetryPolicy",
    "SoapHandler",
    "WebhookHandler",
    "default_registry",
    "idempotency_key",
]

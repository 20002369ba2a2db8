"""Delivers what the outbox holds, at least once, with retries and dead-lettering."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from wsla.actions.handlers import DeliveryError, HandlerRegistry
from wsla.actions.outbox import Delivery, Outbox
from wsla.actions.retry import RetryPolicy

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class DispatchReport:
    """What one dispatch pass did."""

    delivered: list[Delivery] = field(default_factory=list)
    retried: list[tuple[Delivery, str]] = field(default_factory=list)
    dead: list[tuple[Delivery, str]] = field(default_factory=list)

    def extend(self, other: DispatchReport) -> None:
        self.delivered.extend(other.delivered)
        self.retried.extend(other.retried)
        self.dead.extend(other.dead)


class Dispatcher:
    """Takes due deliveries from ``outbox`` and hands them to ``registry``'s handlers.

    ``clock`` and ``rng`` are injectable so that tests are deterministic.
    """

    def __init__(
        self,
        outbox: Outbox,
        registry: HandlerRegistry,
        policy: RetryPolicy | None = None,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.outbox = outbox
        self.registry = registry
        self.policy = policy or RetryPolicy()
        self.clock = clock
        self.rng = rng or random.Random()

    def run_once(self, limit: int = 100) -> DispatchReport:
        """One attempt for each delivery that is due now."""
        report = DispatchReport()
        for delivery in self.outbox.due(self.clock(), limit):
            self._attempt(delivery, report)
        return report

    def _attempt(self, delivery: Delivery, report: DispatchReport) -> None:
        message = delivery.message
        try:
            handler = self.registry.resolve(message.party, message.action)
            handler.deliver(message, key=delivery.key, timeout=self.policy.timeout)
        except DeliveryError as exc:
            now = self.clock()
            attempts = delivery.attempts + 1
            error = str(exc)
            if exc.permanent or self.policy.exhausted(attempts):
                self.outbox.mark_failed(delivery.id, error, now=now, retry_at=None)
                logger.error(
                    "dead-lettered action %s.%s (key %s) after %d attempt(s): %s",
                    message.party,
                    message.action,
                    delivery.key,
                    attempts,
                    error,
                )
                report.dead.append((delivery, error))
            else:
                retry_at = now + self.policy.delay(attempts, self.rng)
                self.outbox.mark_failed(delivery.id, error, now=now, retry_at=retry_at)
                report.retried.append((delivery, error))
            return
        self.outbox.mark_delivered(delivery.id, now=self.clock())
        report.delivered.append(delivery)

    def drain(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float | None = None,
    ) -> DispatchReport:
        """Deliver until nothing is pending (or ``max_wait`` seconds have passed)."""
        report = DispatchReport()
        started = self.clock()
        while True:
            report.extend(self.run_once())
            due = self.outbox.next_due()
            if due is None:
                return report
            now = self.clock()
            if max_wait is not None and now - started >= max_wait:
                return report
            wait = max(0.0, due - now)
            if max_wait is not None:
                wait = min(wait, max(0.0, started + max_wait - now))
            if wait > 0:
                sleep(wait)

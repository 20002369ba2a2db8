"""Bounded retries with exponential backoff and full jitter."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how soon to try a failed delivery again.

    The delay before attempt ``n + 1`` (after ``n`` failures) is drawn uniformly from
    ``[0, min(max_delay, base_delay * 2 ** (n - 1))]`` ("full jitter"), so that many
    failing receivers are not hammered in lockstep.

    >>> RetryPolicy(base_delay=1.0, max_delay=30.0).ceiling(6)
    30.0
    """

    max_attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 300.0
    timeout: float = 10.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.timeout <= 0:
            raise ValueError("delays must be non-negative and the timeout positive")

    def ceiling(self, failures: int) -> float:
        """The largest delay after ``failures`` failed attempts."""
        exponent = max(0, failures - 1)
        return float(min(self.max_delay, self.base_delay * (2.0**exponent)))

    def delay(self, failures: int, rng: random.Random) -> float:
        """A jittered delay after ``failures`` failed attempts."""
        return rng.uniform(0.0, self.ceiling(failures))

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

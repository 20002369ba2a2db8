"""Explicit resource limits, each reported with its own code when exceeded.

Untrusted specs arrive in CI from pull requests and measurement logs are never clean;
every quantity that could grow without bound has a limit here. Pass a :class:`Limits`
to the reader, evaluator or outbox to change one; ``Limits()`` are the defaults.

=========  ===========================  ==========================================
code       limit                        applies to
=========  ===========================  ==========================================
``L101``   ``max_input_bytes``          one spec file (XML or ``.wsla``)
``L102``   ``max_depth``                element nesting (XML) / parentheses (DSL)
``L103``   ``max_elements``             elements in one XML spec
``L104``   ``max_window``               elements kept by one series (Q/TS, also an
                                        unbounded ``Window``)
``L105``   ``max_streams``              distinct measurement targets in one run
``L106``   ``max_pending_actions``      pending requests in the action outbox
``L107``   ``max_ticks_per_step``       schedule ticks one record may make the
                                        evaluator process (a record far ahead)
``L108``   ``max_dsl_bytes``            one ``.wsla`` spec (its reader is slower per
                                        byte than the XML parser)
=========  ===========================  ==========================================
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_input_bytes: int = 64 * 1024 * 1024
    max_depth: int = 256
    max_elements: int = 2_000_000
    max_window: int = 1_000_000
    max_streams: int = 100_000
    max_pending_actions: int = 100_000
    max_ticks_per_step: int = 1_000_000
    max_dsl_bytes: int = 8 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")


DEFAULT_LIMITS = Limits()

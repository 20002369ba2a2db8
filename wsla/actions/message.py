"""The content of one action request, independent of how it is delivered."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


def idempotency_key(sla: str, guarantee: str, time: str, party: str, action: str) -> str:
    """A stable key for one requested action: the same on every delivery attempt.

    >>> idempotency_key("DemoSLA", "G1", "2025-01-01T00:05:00Z", "XInc", "notification")[:12]
    'wsla-5a5b6d2'
    """
    raw = json.dumps([sla, guarantee, time, party, action], separators=(",", ":"))
    return "wsla-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class ActionMessage:
    """What a handler delivers: which guarantee asked which party for which action.

    ``notification`` holds ``type``, ``causing_guarantee`` and ``parameters`` (name →
    current value) for a WSLA ``Notification``, else ``None``. ``time`` is the
    evaluation time as ISO 8601 (UTC).
    """

    sla: str
    guarantee: str
    time: str
    party: str
    action: str
    notification: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return idempotency_key(self.sla, self.guarantee, self.time, self.party, self.action)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "sla": self.sla,
            "guarantee": self.guarantee,
            "time": self.time,
            "party": self.party,
            "action": self.action,
            "notification": self.notification,
            "idempotency_key": self.key,
        }
        if self.extra:
            out["extra"] = self.extra
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ActionMessage:
        return cls(
            sla=str(data["sla"]),
            guarantee=str(data["guarantee"]),
            time=str(data["time"]),
            party=str(data["party"]),
            action=str(data["action"]),
            notification=data.get("notification"),
            extra=dict(data.get("extra") or {}),
        )

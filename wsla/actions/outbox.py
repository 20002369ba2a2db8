"""A durable outbox for action requests (SQLite in WAL mode).

Every request is written here *before* anything tries to deliver it; deliveries are
marked done only after the handler succeeded, so a process that dies in between
delivers again after a restart (at least once). The idempotency key is unique: the
same requested action enqueued twice (a replay after a crash) is stored once.
"""

from __future__ import annotations

import enum
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from wsla.actions.message import ActionMessage
from wsla.limits import DEFAULT_LIMITS

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    party TEXT NOT NULL,
    action TEXT NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL,
    last_error TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt, id);
"""


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class OutboxError(Exception):
    """The outbox file is unusable (wrong version, not an outbox, locked)."""


class OutboxFullError(OutboxError):
    """More pending requests than the configured limit (code L106)."""


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    key: str
    message: ActionMessage
    status: DeliveryStatus
    attempts: int
    next_attempt: float
    last_error: str | None
    created: float
    updated: float


class Outbox:
    """The outbox at ``path`` (created if missing). Safe to share between threads."""

    def __init__(
        self,
        path: str | Path,
        *,
        max_pending: int | None = DEFAULT_LIMITS.max_pending_actions,
        create: bool = True,
    ) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise OutboxError(f"{self.path}: no outbox here")
        self.max_pending = max_pending
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(
                str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
            )
            tables = {
                row[0]
                for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if tables and "meta" not in tables:
                raise OutboxError(
                    f"{self.path}: a database of something else (tables: "
                    f"{', '.join(sorted(tables)[:5])}), not a wsla outbox; nothing was changed"
                )
            if not tables and not create:
                raise OutboxError(f"{self.path}: an empty database, not a wsla outbox")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row is None:
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES ('version', ?)", (str(SCHEMA_VERSION),)
                )
            elif row[0] != str(SCHEMA_VERSION):
                raise OutboxError(
                    f"{self.path}: outbox format version {row[0]}, this wsla reads "
                    f"version {SCHEMA_VERSION}"
                )
        except sqlite3.DatabaseError as exc:
            raise OutboxError(f"{self.path}: not a usable outbox database ({exc})") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def enqueue(self, message: ActionMessage, *, now: float | None = None) -> bool:
        """Store ``message`` durably; ``False`` if its key was already stored."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            if self.max_pending is not None:
                (pending,) = db.execute(
                    "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'"
                ).fetchone()
                if pending >= self.max_pending:
                    raise OutboxFullError(
                        f"L106 the outbox holds {pending} pending action requests, the "
                        f"limit is {self.max_pending}; deliver or purge them, or raise "
                        "max_pending"
                    )
            cursor = db.execute(
                "INSERT OR IGNORE INTO deliveries (key, party, action, message, status, "
                "next_attempt, created, updated) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
                (
                    message.key,
                    message.party,
                    message.action,
                    json.dumps(message.to_json(), sort_keys=True),
                    now,
                    now,
                    now,
                ),
            )
            return cursor.rowcount == 1

    def due(self, now: float, limit: int = 100) -> list[Delivery]:
        """Pending deliveries whose next attempt is due, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM deliveries WHERE status = 'pending' AND next_attempt <= ? "
                "ORDER BY next_attempt, id LIMIT ?",
                (now, limit),
            ).fetchall()
        return [_row(r) for r in rows]

    def next_due(self) -> float | None:
        """When the earliest pending delivery is due (``None`` if nothing is pending)."""
        with self._lock:
            (value,) = self._db.execute(
                "SELECT MIN(next_attempt) FROM deliveries WHERE status = 'pending'"
            ).fetchone()
        return None if value is None else float(value)

    def mark_delivered(self, delivery_id: int, *, now: float) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, "
                "last_error = NULL, updated = ? WHERE id = ?",
                (now, delivery_id),
            )

    def mark_failed(
        self, delivery_id: int, error: str, *, now: float, retry_at: float | None
    ) -> None:
        """Record a failed attempt; ``retry_at=None`` dead-letters the request."""
        with self._transaction() as db:
            if retry_at is None:
                db.execute(
                    "UPDATE deliveries SET status = 'dead', attempts = attempts + 1, "
                    "last_error = ?, updated = ? WHERE id = ?",
                    (error, now, delivery_id),
                )
            else:
                db.execute(
                    "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, "
                    "next_attempt = ?, updated = ? WHERE id = ?",
                    (error, retry_at, now, delivery_id),
                )

    def deliveries(self, status: DeliveryStatus | None = None) -> list[Delivery]:
        """Every delivery (or those in ``status``), oldest first."""
        query = "SELECT * FROM deliveries"
        args: tuple[str, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            args = (status.value,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        return [_row(r) for r in rows]

    def retry(self, ids: list[int] | None = None, *, now: float | None = None) -> int:
        """Put dead-lettered deliveries (all, or ``ids``) back in the queue."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            if ids is None:
                cursor = db.execute(
                    "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt = ?, "
                    "updated = ? WHERE status = 'dead'",
                    (now, now),
                )
            else:
                cursor = db.executemany(
                    "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt = ?, "
                    "updated = ? WHERE status = 'dead' AND id = ?",
                    [(now, now, i) for i in ids],
                )
            return cursor.rowcount

    def purge(self, status: DeliveryStatus = DeliveryStatus.DELIVERED) -> int:
        """Delete deliveries in ``status`` (delivered ones by default)."""
        with self._transaction() as db:
            return db.execute("DELETE FROM deliveries WHERE status = ?", (status.value,)).rowcount

    def counts(self) -> dict[DeliveryStatus, int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT status, COUNT(*) FROM deliveries GROUP BY status"
            ).fetchall()
        found = {DeliveryStatus(s): n for s, n in rows}
        return {s: found.get(s, 0) for s in DeliveryStatus}


def _row(row: tuple[object, ...]) -> Delivery:
    (
        id_,
        key,
        _party,
        _action,
        message,
        status,
        attempts,
        next_attempt,
        error,
        created,
        updated,
    ) = row
    return Delivery(
        id=int(str(id_)),
        key=str(key),
        message=ActionMessage.from_json(json.loads(str(message))),
        status=DeliveryStatus(str(status)),
        attempts=int(str(attempts)),
        next_attempt=float(str(next_attempt)),
        last_error=None if error is None else str(error),
        created=float(str(created)),
        updated=float(str(updated)),
    )

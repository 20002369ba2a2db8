"""``wsla actions``: inspect and manage the durable outbox of action requests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from wsla.actions.outbox import DeliveryStatus, Outbox, OutboxError

_DB = click.option(
    "--db",
    "db",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The outbox database (SQLite).",
)


def _open(db: Path) -> Outbox:
    if not db.exists():
        raise click.UsageError(f"no outbox at {db}")
    try:
        return Outbox(db, create=False)
    except OutboxError as exc:
        raise click.ClickException(str(exc)) from exc


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@click.group("actions")
def command() -> None:
    """Inspect, retry and purge action requests in a durable outbox."""


@command.command("list")
@_DB
@click.option(
    "--status",
    type=click.Choice([s.value for s in DeliveryStatus]),
    default=None,
    help="Only requests in this state.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_(db: Path, status: str | None, as_json: bool) -> None:
    """List the requests in the outbox."""
    with _open(db) as outbox:
        rows = outbox.deliveries(DeliveryStatus(status) if status else None)
        counts = outbox.counts()
    if as_json:
        for d in rows:
            click.echo(
                json.dumps(
                    {
                        "id": d.id,
                        "status": d.status.value,
                        "attempts": d.attempts,
                        "last_error": d.last_error,
                        "next_attempt": _when(d.next_attempt),
                        "message": d.message.to_json(),
                    },
                    sort_keys=True,
                )
            )
        return
    for d in rows:
        m = d.message
        line = (
            f"{d.id:>6}  {d.status.value:<9} {d.attempts:>3}x  {m.time}  "
            f"{m.guarantee} -> {m.party}.{m.action}"
        )
        if d.last_error:
            line += f"  ({d.last_error})"
        click.echo(line)
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items())
    click.echo(f"{len(rows)} shown; outbox: {summary}")


@command.command("retry")
@_DB
@click.argument("ids", nargs=-1, type=int)
def retry(db: Path, ids: tuple[int, ...]) -> None:
    """Queue dead-lettered requests again (all of them, or the given IDS)."""
    with _open(db) as outbox:
        n = outbox.retry(list(ids) if ids else None)
    click.echo(f"{n} request(s) queued again")


@command.command("purge")
@_DB
@click.option(
    "--status",
    type=click.Choice([s.value for s in DeliveryStatus]),
    default=DeliveryStatus.DELIVERED.value,
    show_default=True,
    help="Delete the requests in this state.",
)
def purge(db: Path, status: str) -> None:
    """Delete delivered (or dead, or pending) requests."""
    with _open(db) as outbox:
        n = outbox.purge(DeliveryStatus(status))
    click.echo(f"{n} {status} request(s) deleted")

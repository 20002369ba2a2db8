"""Checkpoints: the runtime state of a live evaluation, saved atomically and restored.

A checkpoint is one JSON document (never pickle: restoring must not run code from a
file)::

    {"format": "wsla-checkpoint", "version": 1, "fingerprint": "sha256:…",
     "created": "2026-…Z", "engine": {…}, "monitor": {…}, "outbox": {…}, "extra": {…}}

``engine`` is :func:`wsla.runtime.state.capture` (series contents, last values and
readings, running totals, interval buffers, schedule cursors, watermark, the lateness
buffer, SLO tracks, guarantee modality states); ``monitor`` what a
:class:`wsla.Monitor` adds (records not yet processed); ``outbox`` how many action
requests had been written to the outbox and the last key; ``extra`` is the caller's
(e.g. how far an input stream had been read).

The ``fingerprint`` is the SHA-256 of the spec's canonical XML: a checkpoint restores
only into an evaluation of the very same spec, whatever syntax or formatting the spec
file was written in.

Saving writes a temporary file in the target's directory, flushes and fsyncs it, and
renames it over the target with ``os.replace``: a crash at any point leaves either the
previous checkpoint or the new one, never a torn file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wsla.model.spec import Spec
    from wsla.runtime.plan import Plan

CHECKPOINT_FORMAT = "wsla-checkpoint"
CHECKPOINT_VERSION = 1


class CheckpointError(Exception):
    """A checkpoint that cannot be used: unreadable, another format or version, or taken
    for another spec. The message says which, and what to do."""


def spec_fingerprint(spec: Spec | Plan) -> str:
    """``sha256:`` + the hex digest of the spec's canonical XML.

    Two specs that read to equal models (spans ignored) have the same fingerprint.
    """
    from wsla.runtime.plan import Plan
    from wsla.xml.writer import dumps_xml

    model = spec.spec if isinstance(spec, Plan) else spec
    return "sha256:" + hashlib.sha256(dumps_xml(model)).hexdigest()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One saved state. ``engine`` is opaque runtime state; ``extra`` is the caller's."""

    fingerprint: str
    engine: dict[str, Any]
    monitor: dict[str, Any] = field(default_factory=dict)
    outbox: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    created: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "version": CHECKPOINT_VERSION,
            "fingerprint": self.fingerprint,
            "created": self.created,
            "engine": self.engine,
            "monitor": self.monitor,
            "outbox": self.outbox,
            "extra": self.extra,
        }

    @classmethod
    def from_json(cls, data: object, *, where: str = "checkpoint") -> Checkpoint:
        """Validate the envelope (format, version, field types) and build a Checkpoint."""
        if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointError(f"{where}: not a wsla checkpoint")
        version = data.get("version")
        if version != CHECKPOINT_VERSION:
            raise CheckpointError(
                f"{where}: checkpoint format version {version!r}, this wsla reads version "
                f"{CHECKPOINT_VERSION}; start without the checkpoint (or with the wsla "
                "version that wrote it)"
            )
        fingerprint = data.get("fingerprint")
        parts = {name: data.get(name) for name in ("engine", "monitor", "outbox", "extra")}
        if not isinstance(fingerprint, str) or not all(isinstance(v, dict) for v in parts.values()):
            raise CheckpointError(f"{where}: malformed checkpoint (missing or mistyped fields)")
        return cls(
            fingerprint=fingerprint,
            engine=parts["engine"] or {},
            monitor=parts["monitor"] or {},
            outbox=parts["outbox"] or {},
            extra=parts["extra"] or {},
            created=str(data.get("created", "")),
        )


def dumps_checkpoint(checkpoint: Checkpoint) -> bytes:
    # allow_nan=False: non-finite floats are tagged by the state encoder, so a stray one
    # is a bug to catch here rather than invalid JSON in the file
    return json.dumps(checkpoint.to_json(), separators=(",", ":"), allow_nan=False).encode()


def save_checkpoint(path: str | Path, checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` to ``path`` atomically (temp file + fsync + ``os.replace``)."""
    target = Path(path)
    data = dumps_checkpoint(checkpoint)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    # makes the rename itself durable; not possible on every platform
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_checkpoint(path: str | Path, spec: Spec | Plan | None = None) -> Checkpoint:
    """Read and validate a checkpoint; with ``spec``, refuse one taken for another spec.

    Raises :class:`CheckpointError` (never a traceback-worthy error for a bad file).
    """
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CheckpointError(f"{where}: cannot read the checkpoint ({exc.strerror})") from exc
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON; absurd nesting
        raise CheckpointError(f"{where}: not a wsla checkpoint (invalid JSON: {exc})") from exc
    checkpoint = Checkpoint.from_json(data, where=where)
    if spec is not None:
        check_fingerprint(checkpoint, spec_fingerprint(spec), where=where)
    return checkpoint


def check_fingerprint(checkpoint: Checkpoint, fingerprint: str, *, where: str) -> None:
    if checkpoint.fingerprint != fingerprint:
        raise CheckpointError(
            f"{where}: the checkpoint was taken for another spec (fingerprint "
            f"{checkpoint.fingerprint[:19]}…, this spec is {fingerprint[:19]}…); its state "
            "cannot be resumed with this spec: remove the checkpoint to start afresh"
        )


__all__ = [
    "CHECKPOINT_FORMAT",
    "CHECKPOINT_VERSION",
    "Checkpoint",
    "CheckpointError",
    "check_fingerprint",
    "dumps_checkpoint",
    "load_checkpoint",
    "save_checkpoint",
    "spec_fingerprint",
]

"""Capture and restore an :class:`~wsla.runtime.engine.Evaluator`'s mutable state.

Used by checkpoints (``wsla.checkpoint``): the state is plain JSON-able data — every
node's current value and private state (series contents, last readings, running totals,
interval buffers), stamps, schedule cursors, the watermark, the lateness buffer, SLO
tracks and each guarantee's last result (its execution-modality state).

Nothing structural is captured: the evaluator to restore into is built from the same
spec (the checkpoint checks the spec's fingerprint) and only its state is overwritten.
The module reads the engine's private attributes on purpose, in one place, so that the
engine itself stays free of persistence code. :data:`ENGINE_STATE` and
:data:`NODE_STRUCTURE` list what is state and what is structure; a test fails when the
engine grows an attribute that is in neither list.

Values are encoded so that their Python type survives: ints stay ints (unbounded),
floats stay floats (``repr`` round trip, NaN and infinities included), strings stay
strings, ``None`` stays ``None``; a :class:`~wsla.runtime.values.Series` is
``{"series": [window, times, values]}``.
"""

from __future__ import annotations

import heapq
import math
from typing import TYPE_CHECKING, Any

from wsla.runtime.values import Series

if TYPE_CHECKING:
    from wsla.runtime.engine import Evaluator

STATE_VERSION = 1
"""Bumped whenever the captured layout changes."""

ENGINE_STATE = (
    "_step",
    "_from",
    "_last",
    "_watermark",
    "_max_seen",
    "_seq",
    "_records",
    "_late",
    "_outside",
    "_unknown",
    "_sched_k",
    "_sched_next",
    "_next_tick",
    "_g_last",
)
"""Evaluator attributes holding plain (JSON-able) state, saved as they are."""

ENGINE_SPECIAL = ("_buffer", "_tracks", "_state", "_nodes", "_finished")
"""Evaluator state with its own encoding (``_finished`` must be false)."""

ENGINE_STRUCTURE = (
    "plan",
    "_pos",
    "_closure",
    "_record_closure",
    "_sched_nodes",
    "_targets",
    "_operations",
    "_param_nodes",
    "_params_of",
    "_routes",
    "_lanes",
    "_slos_by_param",
    "_slos_by_sched",
    "_gs_by_param",
    "_gs_by_slo",
    "_gs_by_sched",
    "_fast_end",
    "_max_ticks",
    "_slo_closed",
)
"""Built from the plan and the options (``_fast_end`` is ``end`` until ``finish``,
``_max_ticks`` is ``Limits.max_ticks_per_step``)."""

ENGINE_CONFIG = ("_lateness", "_start", "_end", "_trace", "_emit_params")
"""Construction options: a checkpoint is only restored into an evaluator built alike."""

ENGINE_TRANSIENT = ("_out", "_drained", "_all", "_window_end", "_fast_hi", "_ahead")
"""Outcome lists (drained before a checkpoint), what only ``finish`` sets, the bound of
``feed``'s inlined path (a cache: the first record after a restore recomputes it), and the
records refused as too far ahead for the L107 warning (a resumed run warns about its own;
their count is also in the checkpointed ``_outside``)."""

ENGINE_TRACE = ("_evidence", "_readings", "_pending_notes")
"""Provenance kept only with ``trace=True`` (never checkpointed)."""

NODE_STRUCTURE = frozenset(
    {
        "args",
        "index",
        "inputs",
        "note",
        "params",
        "plan",
        # function and directive parameters fixed at construction
        "compute",
        "a",
        "b",
        "element",
        "ticker",
        "interval_ns",
        "series_input",
        "scheduled",
        "timeout_ns",
        # emptied within the step that fills it
        "gaps",
    }
)
"""Node slots that are structure (rebuilt from the plan), not state."""


class StateError(ValueError):
    """A captured state that does not fit the evaluator it is restored into."""


# --- values ----------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """A runtime value as JSON-able data (see the module docstring)."""
    if value is None or type(value) in (int, str, bool):
        return value
    if type(value) is float:
        # JSON has no NaN/inf: keep them as tagged strings
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, Series):
        return {
            "series": [
                value.window,
                list(value.times),
                [encode_value(v) for v in value.values],
            ]
        }
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return encode_value(float(value))
    if isinstance(value, list):
        return {"list": [encode_value(v) for v in value]}
    raise StateError(f"cannot checkpoint a value of type {type(value).__name__}")


def decode_value(data: Any) -> Any:
    """The inverse of :func:`encode_value`."""
    if data is None or type(data) in (int, float, str, bool):
        return data
    if isinstance(data, dict) and len(data) == 1:
        if "float" in data:
            return float(data["float"])
        if "series" in data:
            window, times, values = data["series"]
            series = Series(window)
            for t, v in zip(times, values, strict=True):
                series.append(int(t), decode_value(v))
            return series
        if "list" in data:
            return [decode_value(v) for v in data["list"]]
    raise StateError(f"not an encoded runtime value: {data!r}")


# --- nodes -----------------------------------------------------------------------------


def node_slots(node: object) -> tuple[str, ...]:
    """Every slot name of ``node``'s class hierarchy, base classes first."""
    names: list[str] = []
    for cls in reversed(type(node).__mro__):
        slots = cls.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    return tuple(names)


def _capture_node(node: object) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in node_slots(node):
        if name in NODE_STRUCTURE:
            continue
        value = getattr(node, name)
        if isinstance(value, list):
            out[name] = {"list": [encode_value(v) for v in value]}
        else:
            out[name] = encode_value(value)
    return out


def _is_int(value: object) -> bool:
    return type(value) is int


def _ints(value: object, length: int | None = None) -> bool:
    return (
        isinstance(value, list)
        and (length is None or len(value) == length)
        and all(type(v) is int for v in value)
    )


def _truths(value: object, length: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == length
        and all(v in (True, False, None) for v in value)
    )


def _check_shape(ev: Evaluator, state: dict[str, Any]) -> None:
    """Refuse a state whose structure does not fit ``ev`` before anything is changed."""
    plan = ev.plan
    problems: list[str] = []

    def expect(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    engine = state["engine"]
    if not isinstance(engine, dict) or set(engine) != {n.lstrip("_") for n in ENGINE_STATE}:
        raise StateError("the engine fields are not the expected ones")
    for name in ("step", "watermark", "max_seen", "seq", "records", "late", "outside"):
        expect(_is_int(engine[name]), name)
    expect(_is_int(engine["next_tick"]), "next_tick")
    for name in ("from", "last"):
        expect(engine[name] is None or _is_int(engine[name]), name)
    unknown = engine["unknown"]
    expect(isinstance(unknown, dict) and all(_is_int(v) for v in unknown.values()), "unknown")
    expect(_ints(engine["sched_k"], len(plan.schedules)), "sched_k")
    expect(_ints(engine["sched_next"], len(plan.schedules)), "sched_next")
    expect(_truths(engine["g_last"], len(plan.guarantees)), "g_last")
    tracks = state["tracks"]
    expect(
        isinstance(tracks, list)
        and len(tracks) == len(plan.slos)
        and all(
            isinstance(t, list)
            and len(t) == 8
            and all(_is_int(v) or (i == 4 and v is None) for i, v in enumerate(t))
            for t in tracks
        ),
        "tracks",
    )
    obligations = state["obligations"]
    expect(
        isinstance(obligations, dict)
        and _is_int(obligations.get("step"))
        and _ints(obligations.get("param_stamp"), len(plan.parameters))
        and _truths(obligations.get("slo_last"), len(plan.slos))
        and _truths(obligations.get("slo_evaluated"), len(plan.slos)),
        "obligations",
    )
    buffer = state["buffer"]
    expect(
        isinstance(buffer, list)
        and all(
            isinstance(r, list)
            and len(r) == 5
            and _is_int(r[0])
            and _is_int(r[1])
            and (r[3] is None or isinstance(r[3], str))
            and isinstance(r[4], str)
            for r in buffer
        ),
        "buffer",
    )
    nodes = state["nodes"]
    if not isinstance(nodes, list) or len(nodes) != len(ev._nodes):
        raise StateError(f"the saved nodes do not match the plan's {len(ev._nodes)} nodes")
    for node, data in zip(ev._nodes, nodes, strict=True):
        if not isinstance(data, dict):
            problems.append(f"node {node.index}")
            continue
        for name, encoded in data.items():
            if name not in node_slots(node) or name in NODE_STRUCTURE:
                continue  # reported by _restore_node
            current = getattr(node, name)
            if isinstance(current, bool):
                ok = isinstance(encoded, bool)
            elif isinstance(current, int) and name != "value":
                ok = _is_int(encoded)
            elif isinstance(current, list):
                ok = isinstance(encoded, dict) and isinstance(encoded.get("list"), list)
            elif isinstance(current, Series):
                series = encoded.get("series") if isinstance(encoded, dict) else None
                ok = (
                    isinstance(series, list)
                    and len(series) == 3
                    and series[0] == current.window
                    and _ints(series[1])
                    and isinstance(series[2], list)
                )
            else:
                ok = True
            expect(ok, f"node {node.index} field {name}")
    if problems:
        raise StateError("malformed runtime state: " + ", ".join(problems[:5]))


def _restore_node(node: object, data: dict[str, Any]) -> None:
    expected = {n for n in node_slots(node) if n not in NODE_STRUCTURE}
    if set(data) != expected:
        raise StateError(
            f"node {getattr(node, 'index', '?')} ({type(node).__name__}): saved fields "
            f"{sorted(data)}, expected {sorted(expected)}"
        )
    for name, encoded in data.items():
        value = decode_value(encoded)
        current = getattr(node, name)
        if isinstance(current, list) and isinstance(value, list):
            # in place: the engine's fast path holds references to interval buffers
            current[:] = value
        else:
            setattr(node, name, value)


# --- the evaluator ---------------------------------------------------------------------


def _config(ev: Evaluator) -> dict[str, Any]:
    return {name.lstrip("_"): getattr(ev, name) for name in ENGINE_CONFIG}


def _copy(value: Any) -> Any:
    # the engine keeps mutating its lists and dicts after the capture
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def capture(ev: Evaluator) -> dict[str, Any]:
    """The evaluator's mutable state as JSON-able data.

    Outcomes not yet drained with ``outcomes()`` are not part of the state: drain them
    first (a :class:`wsla.Monitor` does). Refused for a tracing or finished evaluator.
    """
    if ev._trace:
        raise StateError("an evaluator with trace=True cannot be checkpointed")
    if ev._finished:
        raise StateError("a finished evaluator cannot be checkpointed")
    if ev._out:
        raise StateError("drain the evaluator's outcomes before capturing its state")
    tracks = [
        [
            tr.evaluations,
            tr.trues,
            tr.violations,
            tr.unknowns,
            tr.since,
            tr.total,
            tr.longest,
            tr.periods,
        ]
        for tr in ev._tracks
    ]
    obligation = ev._state
    buffer = [
        [t, seq, encode_value(value), None if origin is None else str(origin), target]
        for t, seq, _route, value, origin, target in sorted(ev._buffer, key=lambda r: r[:2])
    ]
    return {
        "version": STATE_VERSION,
        "config": _config(ev),
        "engine": {name.lstrip("_"): _copy(getattr(ev, name)) for name in ENGINE_STATE},
        "buffer": buffer,
        "tracks": tracks,
        "obligations": {
            "step": obligation.step,
            "param_stamp": list(obligation.param_stamp),
            "slo_last": list(obligation.slo_last),
            "slo_evaluated": list(obligation.slo_evaluated),
        },
        "nodes": [_capture_node(node) for node in ev._nodes],
    }


def restore(ev: Evaluator, state: dict[str, Any]) -> None:
    """Overwrite a freshly built evaluator's state with ``state`` from :func:`capture`.

    ``ev`` must be built from the same spec with the same options; a mismatch in the
    options or the node layout raises :class:`StateError` (and leaves ``ev`` unusable).
    """
    if state.get("version") != STATE_VERSION:
        raise StateError(
            f"runtime state version {state.get('version')!r}, this wsla reads {STATE_VERSION}"
        )
    if ev._trace:
        raise StateError("cannot restore into an evaluator with trace=True")
    config = _config(ev)
    if state["config"] != config:
        raise StateError(
            f"the evaluator's options {config} differ from the checkpoint's {state['config']}"
        )
    _check_shape(ev, state)
    nodes = state["nodes"]
    engine = state["engine"]
    for name in ENGINE_STATE:
        value = engine[name.lstrip("_")]
        if isinstance(value, list):
            value = list(value)
        elif isinstance(value, dict):
            value = dict(value)
        setattr(ev, name, value)
    for node, data in zip(ev._nodes, nodes, strict=True):
        _restore_node(node, data)
    if len(state["tracks"]) != len(ev._tracks):
        raise StateError("the number of SLOs differs")
    for track, saved in zip(ev._tracks, state["tracks"], strict=True):
        (
            track.evaluations,
            track.trues,
            track.violations,
            track.unknowns,
            track.since,
            track.total,
            track.longest,
            track.periods,
        ) = saved
    obligation = ev._state
    saved_obligations = state["obligations"]
    obligation.step = saved_obligations["step"]
    obligation.param_stamp[:] = saved_obligations["param_stamp"]
    obligation.slo_last[:] = saved_obligations["slo_last"]
    obligation.slo_evaluated[:] = saved_obligations["slo_evaluated"]
    ev._buffer = []
    for t, seq, value, origin, target in state["buffer"]:
        route = ev._routes.get(target)
        if route is None:
            raise StateError(f"buffered record for target {target!r} the plan does not know")
        heapq.heappush(ev._buffer, (t, seq, route, decode_value(value), origin, target))
    ev._out = []
    ev._all = []
    ev._fast_hi = -(1 << 63)  # the inlined path's bound: the next record recomputes it


def forget_outcomes(ev: Evaluator) -> None:
    """Drop the outcomes the evaluator keeps for ``finish()``'s result.

    A live monitor hands every outcome on as it is drained and runs indefinitely, so the
    evaluator must not accumulate them; ``finish()`` then reports only the outcomes it
    produces itself (summaries still cover the whole run).
    """
    ev._all.clear()

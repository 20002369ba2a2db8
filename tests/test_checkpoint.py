"""Checkpoints: resumed ≡ uninterrupted, atomic saves, versions and fingerprints checked."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from monitor_specs import SPECS, Raw, ns, outcome_json, records_strategy, rich_spec, simple_spec

from wsla.checkpoint import (
    CHECKPOINT_VERSION,
    Checkpoint,
    CheckpointError,
    load_checkpoint,
    save_checkpoint,
    spec_fingerprint,
)
from wsla.monitor import FakeClock, Monitor
from wsla.runtime import state
from wsla.runtime.engine import Evaluator


def _uninterrupted(spec_name: str, raw: list[Raw], lateness: float) -> list[dict[str, Any]]:
    clock = FakeClock(ns(0))
    monitor = Monitor(SPECS[spec_name](), clock=clock, allowed_lateness=lateness)
    out = []
    for seconds, target, value in raw:
        clock.set(max(clock.now_ns(), ns(seconds)))
        monitor.record(target, value, ns(seconds))
        out.extend(monitor.tick())
    out.extend(monitor.finish(ns(1000)).outcomes)
    return outcome_json(out)


def _resumed(
    spec_name: str, raw: list[Raw], lateness: float, cuts: list[int], directory: Path
) -> list[dict[str, Any]]:
    """The same run, stopped after each cut and resumed from its checkpoint by a new
    monitor that knows only the checkpoint file (and reads where to go on from it)."""
    path = directory / "state.json"
    clock = FakeClock(ns(0))
    out = []
    position = 0
    for cut in [*cuts, None]:
        monitor = Monitor(
            SPECS[spec_name](), clock=clock, allowed_lateness=lateness, checkpoint=path
        )
        position = int(monitor.extra.get("position", 0))
        stop = len(raw) if cut is None else max(cut, position)
        for seconds, target, value in raw[position:stop]:
            clock.set(max(clock.now_ns(), ns(seconds)))
            monitor.record(target, value, ns(seconds))
            out.extend(monitor.tick())
        if cut is None:
            out.extend(monitor.finish(ns(1000)).outcomes)
        else:
            monitor.checkpoint({"position": stop})
            out.extend(monitor.flush())  # nothing left: the checkpoint evaluated it all
            monitor.close()
    return outcome_json(out)


@settings(max_examples=40)
@given(
    st.sampled_from(sorted(SPECS)),
    records_strategy,
    st.sampled_from([0.0, 45.0]),
    st.data(),
)
def test_resumed_from_checkpoints_equals_uninterrupted(
    spec_name: str, raw: list[Raw], lateness: float, data: st.DataObject
) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), min_size=1, max_size=3)))
    with tempfile.TemporaryDirectory() as tmp:
        resumed = _resumed(spec_name, raw, lateness, cuts, Path(tmp))
        leftovers = [p.name for p in Path(tmp).iterdir() if p.name != "state.json"]
    assert resumed == _uninterrupted(spec_name, raw, lateness)
    assert leftovers == []


@settings(max_examples=30)
@given(records_strategy, st.integers(0, 50), st.sampled_from([0, 60 * 10**9]))
def test_engine_state_round_trips_through_json(raw: list[Raw], cut: int, lateness: int) -> None:
    """Capture → JSON text → restore into a fresh evaluator, at an arbitrary record."""
    spec = rich_spec()
    one = Evaluator(spec, start=ns(0), allowed_lateness_ns=lateness)
    two = Evaluator(spec, start=ns(0), allowed_lateness_ns=lateness)
    cut = min(cut, len(raw))
    for seconds, target, value in raw[:cut]:
        one.feed(target, ns(seconds), value)
    before = list(one.outcomes())
    state.restore(two, json.loads(json.dumps(state.capture(one), allow_nan=False)))
    for ev in (one, two):
        for seconds, target, value in raw[cut:]:
            ev.feed(target, ns(seconds), value)
    expected = outcome_json(one.finish().outcomes)
    got = outcome_json(two.finish().outcomes)
    assert outcome_json(before) + got == expected
    assert one.finish().summaries == two.finish().summaries


def test_special_floats_and_series_keep_their_types() -> None:
    from wsla.runtime.values import Series

    series = Series(3)
    for t, v in [(1, 2), (2, 2.0), (3, "x"), (4, float("inf"))]:
        series.append(t, v)
    for value in [0, 2**80, -0.0, 1e308, float("-inf"), "text", None, True]:
        back = state.decode_value(json.loads(json.dumps(state.encode_value(value))))
        assert type(back) is type(value)
        assert repr(back) == repr(value)
    nan = state.decode_value(json.loads(json.dumps(state.encode_value(float("nan")))))
    assert math.isnan(nan)
    back = state.decode_value(json.loads(json.dumps(state.encode_value(series))))
    assert isinstance(back, Series)
    assert back.window == 3
    assert list(back) == [(2, 2.0), (3, "x"), (4, float("inf"))]
    assert [type(v) for v in back.values] == [float, str, float]
    assert back.non_numbers == series.non_numbers == 1


def test_every_evaluator_attribute_is_classified() -> None:
    """A new attribute in the engine must be declared state or structure, or checkpoints
    would silently forget it."""
    ev = Evaluator(rich_spec(), trace=False)
    known = {
        *state.ENGINE_STATE,
        *state.ENGINE_SPECIAL,
        *state.ENGINE_CONFIG,
        *state.ENGINE_TRANSIENT,
        *state.ENGINE_TRACE,
        *state.ENGINE_STRUCTURE,
    }
    # the evaluator has slots: every attribute it can ever hold is one of them
    assert not hasattr(ev, "__dict__")
    assert set(Evaluator.__slots__) - known == set()
    ev.feed("Svc/A", ns(1), 3)
    ev.finish()
    held = {name for name in Evaluator.__slots__ if hasattr(ev, name)}
    assert held == set(Evaluator.__slots__)  # finish() set the last one (_window_end)


def test_capture_refuses_traced_finished_and_undrained_evaluators() -> None:
    traced = Evaluator(simple_spec(), trace=True)
    with pytest.raises(state.StateError, match="trace"):
        state.capture(traced)
    undrained = Evaluator(simple_spec())
    undrained.feed("Svc/G", ns(0), 70)
    with pytest.raises(state.StateError, match="drain"):
        state.capture(undrained)
    list(undrained.outcomes())
    state.capture(undrained)
    undrained.finish()
    with pytest.raises(state.StateError, match="finished"):
        state.capture(undrained)


def _saved(tmp_path: Path) -> Path:
    path = tmp_path / "cp.json"
    monitor = Monitor(simple_spec(), clock=FakeClock(ns(0)), checkpoint=path)
    monitor.record("Svc/G", 80, ns(1))
    monitor.checkpoint({"offset": 1})
    monitor.close()
    return path


def test_checkpoint_file_is_versioned_json_with_the_spec_fingerprint(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    assert data["format"] == "wsla-checkpoint"
    assert data["version"] == CHECKPOINT_VERSION
    assert data["fingerprint"] == spec_fingerprint(simple_spec())
    assert data["extra"] == {"offset": 1}
    assert data["outbox"]["enqueued"] == 0
    loaded = load_checkpoint(path, simple_spec())
    assert loaded.extra == {"offset": 1}


def test_a_checkpoint_of_another_spec_is_refused(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with pytest.raises(CheckpointError, match="another spec"):
        Monitor(rich_spec(), clock=FakeClock(ns(0)), checkpoint=path)


def test_other_versions_and_files_are_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    data["version"] = CHECKPOINT_VERSION + 1
    path.write_text(json.dumps(data))
    with pytest.raises(CheckpointError, match="version 2, this wsla reads version 1"):
        Monitor(simple_spec(), clock=FakeClock(ns(0)), checkpoint=path)
    for content, message in [
        (b"\x80garbage", "invalid JSON"),
        (b"[1, 2]", "not a wsla checkpoint"),
        (b'{"format": "wsla-checkpoint", "version": 1}', "malformed"),
    ]:
        path.write_bytes(content)
        with pytest.raises(CheckpointError, match=message):
            load_checkpoint(path)


def test_resuming_with_other_options_is_refused(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    with pytest.raises(CheckpointError, match="options"):
        Monitor(simple_spec(), clock=FakeClock(ns(5)), checkpoint=path, allowed_lateness=10)


def test_tampered_engine_state_is_refused(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    data["engine"]["nodes"].pop()
    path.write_text(json.dumps(data))
    with pytest.raises(CheckpointError, match="nodes"):
        Monitor(simple_spec(), clock=FakeClock(ns(0)), checkpoint=path)


def test_a_failed_save_keeps_the_previous_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _saved(tmp_path)
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, Checkpoint(fingerprint="sha256:x", engine={}))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cp.json"]


def test_fingerprint_ignores_formatting_but_not_content() -> None:
    from wsla.xml.reader import load_xml
    from wsla.xml.writer import dumps_xml

    spec = simple_spec()
    text = dumps_xml(spec)
    reread, _ = load_xml(text.replace(b"><", b">\n  <"), "x.xml")
    assert reread is not None
    assert spec_fingerprint(reread) == spec_fingerprint(spec)
    assert spec_fingerprint(rich_spec()) != spec_fingerprint(spec)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))] + [path]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))] + [path]
    return [path]


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(max_examples=80)
@given(st.data())
def test_a_tampered_checkpoint_is_refused_or_restored_never_a_crash(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cp.json"
        monitor = Monitor(rich_spec(), clock=FakeClock(ns(0)), checkpoint=path)
        for i, target in enumerate(["Svc/A", "Svc/C", "Op#invocation", "urn:st", "Svc/B"]):
            monitor.record(target, 40 + i, ns(30 * i))
            monitor.tick()
        monitor.checkpoint({"position": 5})
        monitor.close()
        saved = json.loads(path.read_text())
        inside = [p for p in _leaves(saved) if p and p[0] not in ("format", "version")]
        where = data.draw(st.sampled_from(inside))
        parent = saved
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = data.draw(junk)
        path.write_text(json.dumps(saved))
        message = ""
        try:
            Monitor(rich_spec(), clock=FakeClock(ns(0)), checkpoint=path).close()
        except CheckpointError as exc:
            message = str(exc)
        assert message == "" or str(path) in message

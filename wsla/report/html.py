"""The evaluation report as one self-contained HTML page (``wsla evaluate --html``).

>>> html = render_html(result, spec)                            # doctest: +SKIP

Sections: the compliance summary per SLO; per SLA parameter a time-series chart with
the SLO thresholds and the violation periods marked; the violations with their evidence
(the parameter values, and the evidence chain when traced); the action requests; data
gaps, late records and data problems. Everything is inline: CSS in a ``<style>``
element, charts as inline SVG drawn by matplotlib (the optional ``report`` extra,
imported only here); no script, no font, no network reference. Numbers in tables carry
their exact JSON value in ``data-*`` attributes.
"""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from wsla.model.spec import Spec
from wsla.runtime.outcomes import (
    ActionRequest,
    DataGap,
    LateRecord,
    ParameterValue,
    Summary,
    Violation,
)
from wsla.runtime.values import ns_to_iso

ROW_LIMIT = 1000
"""Rows shown per table (the rest are counted)."""

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
margin:0;color:#1d2433;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;
border-bottom:2px solid #d9dde5;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:#5b6475;margin:0 0 16px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 12px;
box-shadow:0 1px 2px rgba(0,0,0,.06)}
th,td{padding:5px 8px;border-bottom:1px solid #e6e8ee;text-align:left;vertical-align:top}
th{background:#eef1f6;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td.c{color:#b42318;font-weight:600}tr.ok td.c{color:#067647;font-weight:600}
.chart{background:#fff;padding:8px;margin:8px 0 18px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.chart svg{width:100%;height:auto}
.note{color:#5b6475;font-style:italic}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0 4px}
.card{background:#fff;padding:10px 14px;min-width:130px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.card b{display:block;font-size:20px}
code{font-size:12px;background:#eef1f6;padding:1px 3px}
"""

_COMPARISONS = {
    "Less": "<",
    "LessEqual": "≤",
    "Greater": ">",
    "GreaterEqual": "≥",
    "Equal": "=",
}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return _e(value)


def format_duration(ns: int) -> str:
    seconds = ns // 1_000_000_000
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, sec = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {sec:02d}s"
    return f"{sec}s"


# --- thresholds from the spec -----------------------------------------------------------


def thresholds(spec: Spec | None) -> dict[str, list[tuple[str, str, float]]]:
    """Per parameter: (SLO, comparison sign, constant) of each SLO comparing it."""
    out: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    if spec is None:
        return out
    obligations = spec.obligations
    slos = list(obligations.slos)
    for group in getattr(obligations, "groups", ()) or ():
        slos.extend(getattr(group, "slos", ()))
    for slo in slos:
        for predicate in _predicates(slo.expression):
            sign = _COMPARISONS.get(type(predicate).__name__)
            parameter = getattr(predicate, "parameter", None)
            value = getattr(predicate, "value", None)
            if sign and isinstance(parameter, str) and isinstance(value, int | float):
                out[parameter].append((slo.name or "", sign, float(value)))
    return out


def _predicates(expression: Any) -> Iterable[Any]:
    stack = [expression]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        found = False
        for attr in ("predicate", "expression", "operand", "left", "right", "operands"):
            child = getattr(node, attr, None)
            if isinstance(child, tuple | list):
                stack.extend(child)
                found = True
            elif child is not None and not isinstance(child, str | int | float):
                stack.append(child)
                found = True
        if not found or hasattr(node, "parameter"):
            yield node


# --- charts -----------------------------------------------------------------------------


def _chart(
    name: str,
    points: list[tuple[int, float]],
    lines: list[tuple[str, str, float]],
    periods: list[tuple[int, int]],
) -> str:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    plt.rcParams["svg.fonttype"] = "none"  # text stays text: no embedded font
    plt.rcParams["svg.hashsalt"] = "wsla"  # stable ids
    fig, ax = plt.subplots(figsize=(11, 2.9), dpi=96)
    try:
        times = np.array([t for t, _ in points], dtype="datetime64[ns]")
        values = np.array([v for _, v in points], dtype=float)
        for start, end in periods:
            ax.axvspan(
                np.datetime64(start, "ns"),  # type: ignore[arg-type]
                np.datetime64(max(end, start + 1), "ns"),  # type: ignore[arg-type]
                color="#f04438",
                alpha=0.3,
                lw=0,
            )
        ax.plot(times, values, color="#1f5fbf", lw=0.9, label=name)
        for slo, sign, value in lines:
            ax.axhline(value, color="#b42318", ls="--", lw=1.1, label=f"{slo}: {sign} {value:g}")
        if periods:
            ax.plot([], [], color="#f04438", alpha=0.35, lw=6, label="violation periods")
        ax.set_title(name, loc="left", fontsize=11)
        ax.grid(True, color="#e6e8ee", lw=0.6)
        ax.legend(loc="upper right", fontsize=8, framealpha=0.85)
        fig.autofmt_xdate()
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    svg = buffer.getvalue()
    # the bare <svg> element: no XML declaration, no DOCTYPE (an external DTD), no metadata
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    return svg


def _charts_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


# --- the page ---------------------------------------------------------------------------


def render_html(result: Any, spec: Spec | None = None, *, title: str | None = None) -> str:
    """The report page for an evaluation result (an ``EvaluationResult`` or a runtime
    ``Result``); ``spec`` adds the SLO thresholds to the charts."""
    name = getattr(result, "spec_name", None) or (spec.name if spec else "evaluation")
    heading = title or f"SLA evaluation report: {name}"
    start, end = result.window
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)}</title><style>{_CSS}</style></head><body><main>",
        f"<h1>{_e(heading)}</h1>",
        '<p class="meta">Window '
        f"<span data-from-ns='{_e(start)}'>{_e(ns_to_iso(start) if start else '-')}</span> to "
        f"<span data-to-ns='{_e(end)}'>{_e(ns_to_iso(end) if end else '-')}</span>"
        + (f" · inputs: {_e(', '.join(result.inputs))}" if getattr(result, "inputs", ()) else "")
        + "</p>",
    ]
    violations = [o for o in result.outcomes if isinstance(o, Violation)]
    actions = [o for o in result.outcomes if isinstance(o, ActionRequest)]
    gaps = [o for o in result.outcomes if isinstance(o, DataGap)]
    late = [o for o in result.outcomes if isinstance(o, LateRecord)]
    out.append('<div class="cards">')
    for label, key, value in (
        ("records", "records", result.records),
        ("violations", "violations", len(violations)),
        ("action requests", "actions", len(actions)),
        ("data gaps", "gaps", len(gaps)),
        ("late records", "late", result.late_records),
        ("outside the window", "outside", result.outside_window),
    ):
        out.append(f'<div class="card" data-count="{key}" data-value="{value}">')
        out.append(f"<b>{value:,}</b>{_e(label)}</div>")
    out.append("</div>")
    out.extend(_summary(list(result.summaries.values())))
    out.extend(_parameters(result, spec, violations))
    out.extend(_violations(result, violations))
    out.extend(_actions(actions))
    out.extend(_data(result, gaps, late))
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def _summary(summaries: Sequence[Summary]) -> list[str]:
    out = [
        '<h2 id="compliance">Compliance per SLO</h2>',
        '<table id="summary"><thead><tr><th>SLO</th><th>compliance</th><th>evaluations</th>'
        "<th>violations</th><th>unknown</th><th>time in violation</th>"
        "<th>longest</th><th>periods</th></tr></thead><tbody>",
    ]
    for s in summaries:
        compliance = "-" if s.compliance is None else f"{s.compliance:.2f} %"
        cls = "ok" if not s.violations else "bad"
        out.append(
            f'<tr class="{cls}" data-slo="{_e(s.slo)}" data-evaluations="{s.evaluations}" '
            f'data-violations="{s.violations}" data-unknowns="{s.unknowns}" '
            f'data-compliance="{_e(repr(s.compliance))}" '
            f'data-time-in-violation-ns="{s.time_in_violation}">'
            f"<td>{_e(s.slo)}</td><td class='num c'>{compliance}</td>"
            f"<td class='num'>{s.evaluations:,}</td><td class='num'>{s.violations:,}</td>"
            f"<td class='num'>{s.unknowns:,}</td>"
            f"<td class='num'>{format_duration(s.time_in_violation)}</td>"
            f"<td class='num'>{format_duration(s.longest_violation)}</td>"
            f"<td class='num'>{s.violation_periods:,}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _parameters(result: Any, spec: Spec | None, violations: list[Violation]) -> list[str]:
    series: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for o in result.outcomes:
        if isinstance(o, ParameterValue):
            v = o.value
            if isinstance(v, int | float) and not isinstance(v, bool):
                series[o.parameter].append((o.time, float(v)))
            elif v is None:
                series.setdefault(o.parameter, [])
    out = ['<h2 id="parameters">SLA parameters</h2>']
    if not series:
        out.append(
            '<p class="note">No parameter values were kept (evaluate with parameter '
            "values to chart them).</p>"
        )
        return out
    limits = thresholds(spec)
    slo_params: dict[str, set[str]] = defaultdict(set)
    for v in violations:
        for p in v.values:
            slo_params[v.slo].add(p)
    charts = _charts_available()
    if not charts:
        out.append(
            '<p class="note">Charts need matplotlib: install the <code>report</code> extra '
            "(<code>pip install 'wsla[report]'</code>).</p>"
        )
    for name, points in series.items():
        times = [t for t, _ in points]
        periods = []
        for v in violations:
            if name in v.values:
                # until the parameter's next value (the SLO's next evaluation)
                later = [t for t in times if t > v.time]
                periods.append((v.time, later[0] if later else (result.window[1] or v.time)))
        periods = _merge(periods)
        values = [x for _, x in points]
        out.append(
            f'<section class="parameter" data-parameter="{_e(name)}" '
            f'data-values="{len(points)}" data-violation-periods="{len(periods)}">'
        )
        out.append(f"<h3>{_e(name)}</h3>")
        if values:
            out.append(
                f"<p class='meta'>{len(values):,} values · min {_num(min(values))} · "
                f"max {_num(max(values))}</p>"
            )
        if charts and points:
            out.append(
                f'<div class="chart">{_chart(name, points, limits.get(name, []), periods)}</div>'
            )
        elif not points:
            out.append('<p class="note">No defined value in the window.</p>')
        out.append("</section>")
    return out


def _merge(periods: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _table(head: Sequence[str], rows: list[str], table_id: str, total: int) -> list[str]:
    out = [f'<table id="{table_id}"><thead><tr>']
    out.extend(f"<th>{_e(h)}</th>" for h in head)
    out.append("</tr></thead><tbody>")
    out.extend(rows)
    out.append("</tbody></table>")
    if total > len(rows):
        out.append(f'<p class="note">… and {total - len(rows):,} more (see the JSON output).</p>')
    return out


def _where(d: Any) -> str:
    return f"{d.span.path}:{d.span.line}" if d.span else "-"


def _values(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{_e(k)} = {_num(v)}" for k, v in values.items()) or "-"


def _violations(result: Any, violations: list[Violation]) -> list[str]:
    out = ['<h2 id="violations">Violations</h2>']
    if not violations:
        return [*out, '<p class="note">None.</p>']
    rows = []
    for v in violations[:ROW_LIMIT]:
        evidence = ""
        try:
            chain = result.explain(v)
        except (LookupError, AttributeError):
            chain = ()
        if chain:
            evidence = "<br>".join(_e(_evidence_line(e)) for e in chain)
        rows.append(
            f'<tr data-time-ns="{v.time}" data-slo="{_e(v.slo)}">'
            f"<td>{_e(ns_to_iso(v.time))}</td><td>{_e(v.slo)}</td><td>{_e(v.obliged)}</td>"
            f"<td>{_values(v.values)}{'<br>' + evidence if evidence else ''}</td></tr>"
        )
    return out + _table(
        ("time", "SLO", "obliged", "evidence"), rows, "violation-table", len(violations)
    )


def _evidence_line(e: Any, depth: int = 0) -> str:
    text = f"{'  ' * depth}{e.what} {e.name} = {e.value!r}"
    if e.origin:
        text += f" ({e.origin})"
    return text


def _actions(actions: list[ActionRequest]) -> list[str]:
    out = ['<h2 id="actions">Action requests</h2>']
    if not actions:
        return [*out, '<p class="note">None.</p>']
    rows = []
    for a in actions[:ROW_LIMIT]:
        note = ""
        if a.notification is not None:
            n = a.notification
            note = f"{_e(n.type)} (cause {_e(n.causing_guarantee)}) {_values(n.values)}"
        rows.append(
            f'<tr data-time-ns="{a.time}" data-guarantee="{_e(a.guarantee)}">'
            f"<td>{_e(ns_to_iso(a.time))}</td><td>{_e(a.guarantee)}</td><td>{_e(a.party)}</td>"
            f"<td>{_e(a.action)}</td><td>{_e(a.modality)}</td><td>{note}</td></tr>"
        )
    return out + _table(
        ("time", "guarantee", "party", "action", "modality", "notification"),
        rows,
        "action-table",
        len(actions),
    )


def _data(result: Any, gaps: list[DataGap], late: list[LateRecord]) -> list[str]:
    out = ['<h2 id="data">Data gaps, late records and data problems</h2>']
    rows = [
        f'<tr data-time-ns="{g.time}"><td>{_e(ns_to_iso(g.time))}</td><td>{_e(g.kind)}</td>'
        f"<td>{_e(g.subject)}</td><td>{_e(g.detail)}</td></tr>"
        for g in gaps[:ROW_LIMIT]
    ]
    out.append("<h3>Data gaps</h3>")
    out += (
        _table(("time", "kind", "subject", "detail"), rows, "gap-table", len(gaps))
        if gaps
        else ['<p class="note">None.</p>']
    )
    out.append("<h3>Late records</h3>")
    if late:
        rows = [
            f'<tr data-time-ns="{r.record_time}"><td>{_e(ns_to_iso(r.record_time))}</td>'
            f"<td>{_e(r.target)}</td><td>{_e(ns_to_iso(r.watermark))}</td>"
            f"<td>{_e(r.origin or '-')}</td></tr>"
            for r in late[:ROW_LIMIT]
        ]
        out += _table(
            ("record time", "target", "watermark", "origin"), rows, "late-table", len(late)
        )
    else:
        out.append(
            f'<p class="note">{result.late_records:,} late records'
            + (" (details not kept)." if result.late_records else ".")
            + "</p>"
        )
    problems = getattr(result, "problems", ())
    out.append("<h3>Data problems</h3>")
    if problems:
        rows = [
            f"<tr><td>{_e(d.code)}</td><td>{_e(d.message)}</td><td>{_e(_where(d))}</td></tr>"
            for d in problems[:ROW_LIMIT]
        ]
        out += _table(("code", "message", "where"), rows, "problem-table", len(problems))
    else:
        out.append('<p class="note">None.</p>')
    if result.unknown_targets:
        out.append("<h3>Unknown targets</h3>")
        rows = [
            f"<tr><td>{_e(k)}</td><td class='num'>{v:,}</td></tr>"
            for k, v in sorted(result.unknown_targets.items())
        ]
        out += _table(("target", "records"), rows, "unknown-table", len(rows))
    return out

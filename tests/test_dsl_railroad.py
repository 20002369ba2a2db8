"""The railroad diagram in grammar/ is drawn from the parser itself and kept current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "grammar" / "wsla-railroad.html"


def _headings(html: str) -> list[str]:
    return re.findall(r'<h1 class="railroad-heading" id="[^"]*">([^<]*)</h1>', html)


def test_railroad_diagram_is_generated_from_the_grammar(tmp_path: Path) -> None:
    out = tmp_path / "railroad.html"
    done = subprocess.run(
        [sys.executable, str(ROOT / "grammar" / "make_railroad.py"), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    fresh = out.read_text()
    headings = _headings(fresh)
    # one diagram per named grammar element, the document first
    assert headings[0] == "wsla document"
    assert {"sla", "provider", "service", "metric", "slo", "guarantee"} <= set(headings)
    assert fresh.count("<svg") == len(headings)
    # the committed diagram is the current one (regenerate with grammar/make_railroad.py)
    assert _headings(COMMITTED.read_text()) == headings

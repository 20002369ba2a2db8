"""Generate the railroad diagram of the ``.wsla`` grammar as HTML.

    .venv/bin/pip install 'pyparsing[diagrams]'   # the optional extra: railroad-diagrams, jinja2
    .venv/bin/python grammar/make_railroad.py [OUT.html]   # default: grammar/wsla-railroad.html

The diagram is drawn from the very parser objects that read ``.wsla`` files
(``wsla.dsl.grammar.grammar()``), so it cannot drift from the parser; the normative text
form is ``grammar/wsla.ebnf``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "grammar" / "wsla-railroad.html"
    try:
        import jinja2  # noqa: F401
        import railroad  # noqa: F401
    except ImportError:
        print(
            "railroad diagrams need the optional extra: pip install 'pyparsing[diagrams]'",
            file=sys.stderr,
        )
        return 2
    from wsla.dsl.grammar import grammar

    grammar().create_diagram(str(out), vertical=4, show_results_names=False)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

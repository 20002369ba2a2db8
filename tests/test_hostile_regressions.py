"""Minimal regression tests for failures that fuzzing and the hostile corpus found, one
per failure, each named after what went wrong. Findings whose fix is still open live
with their owners until fixed."""

from __future__ import annotations

import time
from pathlib import Path

from hostile_support import MARKER, listening, secret_file

from wsla.dsl.reader import loads_dsl
from wsla.validation import validate_source
from wsla.xml.reader import load_xml

W = 'xmlns="http://www.ibm.com/wsla"'


def test_external_parameter_entity_file_is_not_read_nor_its_names_reported(
    tmp_path: Path,
) -> None:
    # Found 2026-11-25: with load_dtd=False libxml2 still loaded the file named by an
    # external parameter entity (%p;) and wsla reported the entities declared *inside*
    # it (X010 'leakedname'), naming the content of a local file.
    for fifo in (False, True):
        with secret_file(tmp_path / str(fifo), fifo=fifo) as secret, listening() as net:
            data = (
                f'<!DOCTYPE SLA [<!ENTITY % p SYSTEM "file://{secret.path}"> %p;]><SLA {W}/>'
            ).encode()
            spec, diagnostics = load_xml(data, "p.xml")
            assert spec is None
            assert [d.code for d in diagnostics] == ["X011"]
            assert "leakedname" not in repr(diagnostics)
            assert MARKER not in repr(validate_source(data, "p.xml"))
            assert not secret.opened.is_set()
            assert net.connections == []


def test_external_dtd_file_is_not_opened(tmp_path: Path) -> None:
    # Found 2026-11-25: `<!DOCTYPE SLA SYSTEM "/path">` made libxml2 open the file (its
    # content then only showed as "Content error in the external subset", an oracle
    # for whether a file exists and what it starts with).
    with secret_file(tmp_path, fifo=True) as secret:
        data = f'<!DOCTYPE SLA SYSTEM "{secret.path}"><SLA {W}/>'.encode()
        spec, diagnostics = load_xml(data, "d.xml")
        assert spec is None
        assert [d.code for d in diagnostics] == ["X012"]
        assert not secret.opened.is_set()


DSL = (Path(__file__).parent / "hostile" / "dsl" / "valid.wsla").read_text("utf-8")


def test_dsl_integer_longer_than_python_converts_is_a_diagnostic() -> None:
    # Found 2026-11-25 (fuzzing): `window=` followed by 5,000 digits raised ValueError
    # (Python's limit on int() of long digit strings) from a parse action: a traceback
    # from loads_dsl and C090 from wsla validate.
    text = DSL.replace("window=12", "window=" + "1" * 5000)
    spec, diagnostics = loads_dsl(text, "x.wsla")
    assert spec is None
    assert diagnostics
    assert all(d.code.startswith("D") for d in diagnostics)
    assert "C090" not in [d.code for d in validate_source(text.encode(), "x.wsla")]


def test_dsl_message_does_not_quote_a_ten_megabyte_token() -> None:
    # Found 2026-11-25 (hostile corpus): a 10 MB word after the sla was quoted whole in
    # D023's message, so every output format carried 10 MB per diagnostic.
    spec, diagnostics = loads_dsl(DSL + "x" * (10 * 1024 * 1024), "x.wsla")
    assert spec is None
    assert [d.code for d in diagnostics] == ["D023"]
    assert len(diagnostics[0].message) < 1000


def test_dsl_ten_megabytes_of_repeated_keywords_is_fast() -> None:
    # Found 2026-11-25 (hostile corpus): "provider " repeated over a 10 MB line took
    # about 50 s of CPU before the reader gave D004.
    began = time.process_time()
    spec, diagnostics = loads_dsl("sla X { " + "provider " * 1_100_000, "x.wsla")
    assert spec is None
    assert diagnostics
    assert time.process_time() - began < 10


def test_dsl_byte_order_mark_is_not_a_column() -> None:
    # Found 2026-11-25 (hostile corpus): loads_dsl replaced a leading U+FEFF by a space,
    # so every column on line 1 was one too far.
    broken = DSL.replace("sla Hostile", "sla Hostile \u202e")
    with_bom = loads_dsl("\ufeff" + broken, "x.wsla")[1]
    plain = loads_dsl(broken, "x.wsla")[1]
    assert plain
    assert [d.span for d in with_bom] == [d.span for d in plain]

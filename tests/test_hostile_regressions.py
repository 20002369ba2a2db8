"""Minimal regression tests for failures that fuzzing and the hostile corpus found, one
per failure, each named after what went wrong. Findings whose fix is still open live
with their owners until fixed."""

from __future__ import annotations

from pathlib import Path

from hostile_support import MARKER, listening, secret_file

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

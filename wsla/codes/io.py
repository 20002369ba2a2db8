"""Input/output codes (``C``): finding, reading and decoding the files to check.

Ranges: ``C00x`` a path or its bytes, ``C01x`` what was found under the paths,
``C09x`` a failure of wsla itself.
"""

from __future__ import annotations

from wsla.codes import Code
from wsla.diagnostics import Severity

_E = Severity.ERROR
_W = Severity.WARNING

CODES: tuple[Code, ...] = (
    Code(
        "C001",
        _E,
        "file not found",
        "A path given on the command line (or to `wsla.validate`) does not exist. Check the "
        "spelling and the working directory; globs are expanded by your shell, not by wsla, "
        "so a pattern that matches nothing reaches wsla unexpanded.",
        "wsla validate spec/stock-quote.xml   # the folder is specs/",
        "wsla validate specs/stock-quote.xml",
        "shell",
    ),
    Code(
        "C002",
        _E,
        "file cannot be read",
        "The path exists but reading it failed: missing permission, a broken symbolic link, "
        "a device or a socket instead of a regular file, or an I/O error. The operating "
        "system's reason is part of the message.",
        "chmod 000 specs/sla.xml && wsla validate specs/sla.xml",
        "chmod 644 specs/sla.xml && wsla validate specs/sla.xml",
        "shell",
    ),
    Code(
        "C003",
        _E,
        "not a spec file",
        "The file's content is neither WSLA XML (its first non-blank character would be `<`) "
        "nor `.wsla` text (it would be readable text). wsla recognises the format from the "
        "content, not from the file name, and this content is binary: an archive, an image "
        "or a compiled file was passed by mistake.",
        "wsla validate build/specs.zip",
        "wsla validate specs/",
        "shell",
    ),
    Code(
        "C004",
        _E,
        "file is not valid UTF-8",
        "A `.wsla` file must be UTF-8 (a byte-order mark is allowed). The message gives the "
        "offset of the first byte that is not valid UTF-8, usually a file saved as Latin-1 or "
        "Windows-1252 by an editor. Re-save it as UTF-8. (XML files may declare another "
        "encoding in their XML declaration; see X003.)",
        "sla Zürich { … }     // saved as Latin-1: byte 0xfc",
        "sla Zürich { … }     // saved as UTF-8",
        "text",
    ),
    Code(
        "C005",
        _E,
        "empty input",
        "The file or standard input holds nothing but whitespace, so there is no spec to "
        "check. An empty `.xml` file is reported as X001 instead. If the file is a "
        "placeholder, remove it or write at least the spec's outline.",
        "",
        "sla Demo {\n  provider ACME\n  consumer XInc\n}",
        "wsla",
    ),
    Code(
        "C010",
        _W,
        "no spec files found",
        "A directory given to `wsla validate` contains no `*.xml` or `*.wsla` file at any "
        "depth, so nothing in it was checked. This is usually a wrong path in a CI job; it "
        "fails the run under `--strict`.",
        "wsla validate docs/",
        "wsla validate specs/",
        "shell",
    ),
    Code(
        "C011",
        _W,
        "link or special file skipped",
        "While walking a directory, `wsla validate` found a spec-named entry that is a "
        "symbolic link to something outside that directory, or not a regular file (a FIFO, "
        "a device, `/proc/...`). It is not read: a pull request could otherwise add "
        "`specs/evil.wsla -> /proc/self/environ` and have the first line of the CI's "
        "environment printed in a diagnostic snippet. Files named explicitly on the "
        "command line are always checked.",
        "specs/shared.wsla -> ../../secrets/token",
        "specs/shared.wsla (a regular file, or a link within specs/)",
        "shell",
    ),
    Code(
        "C090",
        _E,
        "internal error",
        "wsla itself failed while checking this file: this is a bug in wsla, not in your "
        "spec. The other files are still checked and the command exits with status 3. Run "
        "again with `--traceback` and report the output together with the file.",
        "wsla validate specs/odd.xml      # C090 internal error: KeyError: 'x'",
        "wsla validate --traceback specs/odd.xml",
        "shell",
    ),
)

"""`wsla validate` end to end: exit codes, formats, colour, configuration, file discovery.

Most tests replace the per-file pipeline (``wsla.validation._validate``) with a stub that
returns chosen diagnostics, so they test the command's contract exactly; the tests at
the bottom run the real pipeline on real and hostile files.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import wsla.validation
from wsla.cli import cli
from wsla.diagnostics import Diagnostic, Severity
from wsla.model.span import Span

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
ANSI = "\x1b["

Findings = Callable[[bytes, str], list[Diagnostic]]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    # No wsla.toml or pyproject.toml of the checkout may leak into these runs.
    monkeypatch.chdir(tmp_path)


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["validate", *args], input=input)


def stub(monkeypatch: pytest.MonkeyPatch, findings: dict[str, list[tuple[str, Severity]]]) -> None:
    """Files whose content contains a key get the listed (code, severity) findings."""

    def fake(data: bytes, path: str) -> list[Diagnostic]:
        text = data.decode("utf-8", "replace")
        return [
            Diagnostic(code, sev, f"{code} found", Span(path, 1, 2, 1, 4))
            for key, found in findings.items()
            if key in text
            for code, sev in found
        ]

    monkeypatch.setattr(wsla.validation, "_validate", fake)


def write(path: Path, text: str = "<SLA/>") -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- exit status 2: usage ------------------------------------------------------------


def test_no_path_is_a_usage_error() -> None:
    result = run()
    assert result.exit_code == 2
    assert "Missing argument 'PATH...'" in result.output


def test_nonexistent_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.xml"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "yaml", "a"],
        ["--color", "sometimes", "a"],
        ["--frobnicate", "a"],
    ],
)
def test_bad_option_is_a_usage_error(args: list[str], tmp_path: Path) -> None:
    write(tmp_path / "a")
    assert run(*args).exit_code == 2


def test_unknown_selector_is_a_usage_error_with_suggestion(tmp_path: Path) -> None:
    a = write(tmp_path / "a.xml")
    result = run("--select", "C00l", a)
    assert result.exit_code == 2
    assert "unknown code or prefix 'C00L'" in result.output
    assert "did you mean" in result.output


def test_bad_config_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "wsla.toml").write_text("strictt = true\n")
    result = run(write(tmp_path / "a.xml"))
    assert result.exit_code == 2
    assert "unknown key 'strictt'; did you mean 'strict'?" in result.output


def test_invalid_toml_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.wsla\n")
    result = run(write(tmp_path / "a.xml"))
    assert result.exit_code == 2
    assert "invalid TOML" in result.output


# --- exit status 0 and 1 -------------------------------------------------------------


def test_clean_files_exit_0(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {})
    result = run(write(tmp_path / "a.xml"), write(tmp_path / "b.wsla", "sla X {}"))
    assert result.exit_code == 0
    assert result.output == "All checks passed (2 files).\n"


def test_errors_exit_1_with_summary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR), ("N001", Severity.WARNING)]})
    a = write(tmp_path / "a.xml", "<bad/>")
    b = write(tmp_path / "b.xml", "<bad/>")
    c = write(tmp_path / "c.xml", "<good/>")
    result = run(a, b, c)
    assert result.exit_code == 1
    assert f"{a}:1:2: X002 X002 found" in result.output
    assert "1 | <bad/>" in result.output
    assert result.output.endswith("Found 2 errors, 2 warnings in 2 files (3 files checked).\n")


@pytest.mark.parametrize(
    ("flag", "config", "code"),
    [
        (None, None, 0),
        ("--strict", None, 1),
        (None, "strict = true", 1),
        ("--no-strict", "strict = true", 0),
    ],
)
def test_warnings_fail_only_when_strict(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    flag: str | None,
    config: str | None,
    code: int,
) -> None:
    stub(monkeypatch, {"w": [("N001", Severity.WARNING)]})
    if config:
        (tmp_path / "pyproject.toml").write_text(f"[project]\nname='x'\n[tool.wsla]\n{config}\n")
    args = [flag] if flag else []
    result = run(*args, write(tmp_path / "a.xml", "<w/>"))
    assert result.exit_code == code
    assert "1 warning" in result.output


# --- exit status 3: internal failures ------------------------------------------------


def _crash(data: bytes, path: str) -> list[Diagnostic]:
    if b"crash" in data:
        raise KeyError("boom")
    return [Diagnostic("X002", Severity.ERROR, "bad", Span(path, 1, 1))]


def test_internal_error_exit_3_and_keeps_going(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(wsla.validation, "_validate", _crash)
    a = write(tmp_path / "a.xml", "<crash/>")
    b = write(tmp_path / "b.xml", "<fine/>")
    result = run(a, b)
    assert result.exit_code == 3
    assert "C090 internal error while checking this file: KeyError: 'boom'" in result.output
    assert f"{b}:1:1: X002 bad" in result.output  # the next file was still checked
    assert "rerun with --traceback" in result.output
    assert "Traceback (most recent call last)" not in result.output


def test_traceback_only_on_request(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(wsla.validation, "_validate", _crash)
    result = run("--traceback", write(tmp_path / "a.xml", "<crash/>"))
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.output
    assert "KeyError: 'boom'" in result.output


def test_internal_error_is_never_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(wsla.validation, "_validate", _crash)
    result = run("--ignore", "C", write(tmp_path / "a.xml", "<crash/>"))
    assert result.exit_code == 3
    assert "C090" in result.output


def test_failure_outside_a_file_exit_3_short(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stub(monkeypatch, {})

    def broken(name: str) -> None:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr("wsla.report.get_renderer", broken)
    result = run(write(tmp_path / "a.xml"))
    assert result.exit_code == 3
    assert "wsla: internal error: RuntimeError: renderer exploded" in result.output
    assert "Traceback" not in result.output


# --- select, ignore ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "config", "shown"),
    [
        ([], "", {"X002", "X031", "C005"}),
        (["--select", "X"], "", {"X002", "X031"}),
        (["--select", "X", "--ignore", "X03"], "", {"X002"}),
        (["--ignore", "X002,C005"], "", {"X031"}),
        ([], 'select = ["C"]', {"C005"}),
        (["--select", "X031"], 'select = ["C"]', {"X031"}),
        (["--ignore", "C"], 'ignore = ["X002"]', {"X031"}),
    ],
)
def test_select_and_ignore(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
    config: str,
    shown: set[str],
) -> None:
    found = [("X002", Severity.ERROR), ("X031", Severity.ERROR), ("C005", Severity.ERROR)]
    stub(monkeypatch, {"x": found})
    (tmp_path / "wsla.toml").write_text(config + "\n")
    result = run("--format", "concise", *args, write(tmp_path / "a.xml", "<x/>"))
    assert result.exit_code == 1, result.output
    codes = {line.split(": ")[1].split()[0] for line in result.output.splitlines()[:-1]}
    assert codes == shown


# --- formats, output file, colour -----------------------------------------------------


def test_every_format(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR)]})
    a = write(tmp_path / "a.xml", "<bad/>")
    out = {fmt: run("--format", fmt, a) for fmt in ("concise", "json", "sarif", "junit", "github")}
    assert all(r.exit_code == 1 for r in out.values())
    assert out["concise"].output.splitlines()[0] == f"{a}:1:2: X002 X002 found"
    assert json.loads(out["json"].output)["summary"]["errors"] == 1
    assert json.loads(out["sarif"].output)["runs"][0]["results"][0]["ruleId"] == "X002"
    assert out["junit"].output.startswith("<?xml")
    assert out["github"].output.startswith(f"::error file={a},line=1,col=2,")


def test_auto_picks_github_under_actions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR)]})
    a = write(tmp_path / "a.xml", "<bad/>")
    assert run(a).output.startswith(f"{a}:1:2: X002")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert run(a).output.startswith("::error file=")
    assert run("--format", "text", a).output.startswith(f"{a}:1:2: X002")


def test_format_from_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR)]})
    (tmp_path / "wsla.toml").write_text('format = "json"\n')
    result = run(write(tmp_path / "a.xml", "<bad/>"))
    assert json.loads(result.output)["diagnostics"][0]["code"] == "X002"


def test_output_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR)]})
    target = tmp_path / "report.sarif"
    result = run("--format", "sarif", "-o", str(target), write(tmp_path / "a.xml", "<bad/>"))
    assert result.exit_code == 1
    assert result.output == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),  # CliRunner's output is not a terminal
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # an explicit choice wins
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
    env: dict[str, str],
    coloured: bool,
) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR)]})
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = run(*args, write(tmp_path / "a.xml", "<bad/>"))
    assert (ANSI in result.output) is coloured


def test_quiet_and_verbose(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {})
    a = write(tmp_path / "a.xml")
    assert run("-q", a).output == ""
    verbose = run("-v", a).output
    assert f"wsla: checked {a}" in verbose
    assert "All checks passed (1 file)." in verbose


# --- files, directories, stdin -------------------------------------------------------


def test_directories_are_searched_recursively(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stub(monkeypatch, {})
    for name in ("b/z.wsla", "b/a.xml", "a.xml", "notes.txt", ".hidden/x.xml", "b/c/d.xml"):
        write(tmp_path / "d" / name)
    result = run("-v", str(tmp_path / "d"))
    checked = [line.split()[-1] for line in result.output.splitlines() if "checked" in line]
    base = str(tmp_path / "d")
    assert checked == [
        f"{base}/a.xml",
        f"{base}/b/a.xml",
        f"{base}/b/c/d.xml",
        f"{base}/b/z.wsla",
    ]


def test_explicit_file_is_checked_whatever_its_suffix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR)]})
    assert run(write(tmp_path / "spec.txt", "<bad/>")).exit_code == 1


def test_empty_directory_is_a_warning(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {})
    (tmp_path / "empty").mkdir()
    result = run(str(tmp_path / "empty"))
    assert result.exit_code == 0
    assert "C010 no *.xml or *.wsla files" in result.output
    assert run("--strict", str(tmp_path / "empty")).exit_code == 1


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stub(monkeypatch, {"bad": [("X002", Severity.ERROR)]})
    result = run("-", input=b"<bad/>")
    assert result.exit_code == 1
    assert result.output.startswith("<stdin>:1:2: X002")
    assert "1 | <bad/>" in result.output


def test_unreadable_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stub(monkeypatch, {})
    if os.geteuid() == 0:
        # root reads anything; a dangling symlink is unreadable for everyone.
        link = tmp_path / "dangling.xml"
        link.symlink_to(tmp_path / "gone.xml")
        target = str(link)
    else:
        target = write(tmp_path / "secret.xml")
        os.chmod(target, 0)
    result = run(target)
    assert result.exit_code == 1
    assert "C002 cannot read" in result.output


# --- the real pipeline ----------------------------------------------------------------


# File name → (content, regular expression matched at the start of "CODE message").
BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    "empty.xml": (b"", "X001"),
    "empty.wsla": (b"  \n\n", "C005"),
    "binary.xml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "C003"),
    "latin1.wsla": ("sla Zürich {}\n".encode("latin-1"), "C004"),
    "latin1.xml": (
        '<SLA xmlns="http://www.ibm.com/wsla" name="Zürich"/>'.encode("latin-1"),
        "X003",
    ),
    "malformed.xml": (b'<SLA xmlns="http://www.ibm.com/wsla">\n  <Parties>\n</SLA>\n', "X002"),
    "namespace.xml": (b'<SLA xmlns="http://example.com/not-wsla" name="x"/>', "X020"),
    "bomb.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE SLA [\n <!ENTITY a "aaaaaaaaaa">\n'
        b' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        b' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
        b'<SLA xmlns="http://www.ibm.com/wsla" name="&c;"/>\n',
        "X010",
    ),
    "xxe.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE SLA [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<SLA xmlns="http://www.ibm.com/wsla" name="x">&x;</SLA>\n',
        "X011",
    ),
    "xxe-attribute.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE SLA [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<SLA xmlns="http://www.ibm.com/wsla" name="&x;"/>\n',
        # libxml2 stops at the reference before the DOCTYPE can be inspected.
        r"X011|X002 .*external entity",
    ),
    "dtd.xml": (
        b'<?xml version="1.0"?>\n<!DOCTYPE SLA SYSTEM "http://example.com/wsla.dtd">\n'
        b'<SLA xmlns="http://www.ibm.com/wsla" name="x"/>\n',
        "X012",
    ),
    "deep.xml": (
        b'<SLA xmlns="http://www.ibm.com/wsla">' + b"<a>" * 40_000 + b"</a>" * 40_000 + b"</SLA>",
        "X013",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gives_a_coded_diagnostic(tmp_path: Path, name: str) -> None:
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = run("--format", "json", str(path))
    assert result.exit_code == 1, result.output
    found = json.loads(result.output)["diagnostics"]
    codes = [d["code"] for d in found]
    assert codes, "no diagnostic"
    assert "C090" not in codes
    assert any(re.match(expected, f"{d['code']} {d['message']}") for d in found), found
    assert all(d["location"]["path"] == str(path) for d in found)


def test_stock_quote_spec_is_valid() -> None:
    result = run("--strict", str(SPECS / "stock-quote.xml"))
    assert result.exit_code == 0, result.output
    assert result.output == "All checks passed (1 file).\n"


def test_specs_directory_is_valid_even_strictly() -> None:
    result = run("--strict", str(SPECS))
    assert result.exit_code == 0, result.output


def _subprocess(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "wsla", "validate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


def test_real_process_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(BAD_INPUTS["malformed.xml"][0])
    found = _subprocess(str(bad), cwd=tmp_path)
    assert found.returncode == 1
    assert f"{bad}:3:" in found.stdout
    assert "X002" in found.stdout
    assert "\x1b[" not in found.stdout  # a pipe is not a terminal
    usage = _subprocess(str(tmp_path / "missing.xml"), cwd=tmp_path)
    assert usage.returncode == 2
    assert "does not exist" in usage.stderr
    ok = _subprocess("--strict", str(SPECS / "stock-quote.xml"), cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def _hook_entry() -> tuple[str, list[str]]:
    """The ``entry`` and ``files`` of the ``wsla-validate`` hook, read without a YAML library
    (the file is plain ``key: value`` lines)."""
    lines = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    ours = next(b for b in text.split("- id: ")[1:] if b.startswith("wsla-validate\n"))
    fields = dict(line.strip().split(": ", 1) for line in ours.splitlines()[1:] if ": " in line)
    return fields["entry"], fields.get("args", "[]").strip("[]").replace('"', "").split(", ")


def test_pre_commit_hook_runs_on_specs() -> None:
    entry, args = _hook_entry()
    assert entry.split()[0] == "wsla"
    script = Path(sys.executable).with_name("wsla")
    command = [str(script), *entry.split()[1:], *[a for a in args if a], str(SPECS)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_validate_imports_only_what_it_needs() -> None:
    code = (
        "import sys\n"
        "from wsla.cli import main\n"
        "try:\n"
        f"    main(['validate', '-q', {str(SPECS / 'stock-quote.xml')!r}])\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "heavy = ('xmlschema', 'numpy', 'pyarrow', 'duckdb', 'wsla.report.sarif',"
        " 'wsla.report.junit', 'wsla.report.json', 'wsla.runtime')\n"
        "print(status, sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr

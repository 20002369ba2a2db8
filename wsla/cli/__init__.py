"""The ``wsla`` command line. Commands live in their own modules and load lazily,
so that ``wsla --version`` and ``wsla validate`` start fast.

Exit codes: 0 success, 1 findings (errors, or warnings under ``--strict``), 2 usage
error, 3 internal failure.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import traceback
from typing import Any, NoReturn

import click

from wsla._version import __version__

COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "wsla.cli.validate",
        "Validate WSLA specs (XML or .wsla) against the XSD and rules.",
    ),
    "fmt": ("wsla.cli.fmt", "Format .wsla files canonically."),
    "convert": ("wsla.cli.convert", "Convert a spec between WSLA XML and the .wsla DSL."),
    "graph": ("wsla.cli.graph", "Print the metric dependency graph."),
    "explain": ("wsla.cli.explain", "Explain a diagnostic code."),
    "actions": ("wsla.cli.actions", "Inspect, retry and purge the action outbox."),
    "evaluate": ("wsla.cli.evaluate", "Evaluate a spec's obligations over measurement data."),
}
"""Command name → (module defining a click command named ``command``, short help)."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n in COMMANDS if importlib.util.find_spec(COMMANDS[n][0]) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        try:
            module = importlib.import_module(entry[0])
        except ModuleNotFoundError as exc:
            if exc.name == entry[0]:
                return None
            raise
        command = module.command
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; what escapes it is still reported without a traceback.

        A file that cannot be opened is a usage problem (exit 2); anything else is an
        internal error (exit 3), with the traceback only when ``WSLA_TRACEBACK`` is set.
        """
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
            raise
        except OSError as exc:
            if exc.filename is None:
                _internal(exc)
            click.echo(f"wsla: error: {exc.strerror or exc}: {exc.filename}", err=True)
            raise SystemExit(2) from None
        except Exception as exc:
            _internal(exc)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _internal(exc: BaseException) -> NoReturn:
    click.echo(
        f"wsla: internal error: {type(exc).__name__}: {exc}\n"
        "This is a bug in wsla; rerun with WSLA_TRACEBACK=1 for the traceback and report it.",
        err=True,
    )
    if os.environ.get("WSLA_TRACEBACK"):
        traceback.print_exception(exc)
    raise SystemExit(3) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="wsla")
def cli() -> None:
    """wsla: write service level agreements precisely, check them, enforce them."""


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv, prog_name="wsla")

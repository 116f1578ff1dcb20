"""The ``artconv`` command line in click: ``convert`` (its options come from
:data:`artconv.command.OPTIONS`), ``formats``, ``schema``, ``--version``, ``--help``.

This is the only module that imports click. Every failure becomes one line on stderr and an
exit status; a plain ``convert`` usually never gets here (see :mod:`artconv.command`).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any, NoReturn

import click

from . import __version__, formats
from .command import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    OPTIONS,
    Option,
    PipeClosed,
    err,
    option_value,
    run_command,
    silence_stdout,
    stdout_write,
)
from .errors import ArtconvError, UsageError


class ArtconvGroup(click.Group):
    """A click group whose ``main`` turns every failure into one line on stderr and an exit
    status: click's usage errors (2), artconv's errors, internal errors (1) and a closed pipe
    (1, silently). ``CliRunner`` and the console script both come through here."""

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> NoReturn:
        argv = list(args) if args is not None else sys.argv[1:]
        sys.exit(_run_cli(self, argv, prog_name or "artconv", extra))


def _run_cli(group: click.Group, argv: list[str], prog_name: str, extra: dict[str, Any]) -> int:
    try:
        status = click.Group.main(group, args=argv, prog_name=prog_name,
                                  standalone_mode=False, **extra)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
        return EXIT_USAGE
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "artconv"
        err(f"artconv: {exc.format_message()} (see: {command} --help)")
        return EXIT_USAGE
    except ArtconvError as exc:
        err(f"artconv: {exc}")
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        err("artconv: aborted")
        return EXIT_FAILED
    except PipeClosed:
        silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if "--debug" in argv:
            traceback.print_exc()
        else:
            err(f"artconv: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for a traceback)")
        return EXIT_FAILED
    return status if isinstance(status, int) else EXIT_OK


@click.group(cls=ArtconvGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="artconv",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Convert news and blog articles between text dumps, HTML, Markdown, JSON and EPUB."""


@cli.command("formats")
def formats_command() -> None:
    """List the formats artconv reads and writes, one a line."""
    for fmt in formats.FORMATS:
        modes = ("read" if fmt.reader else "    ") + " " + ("write" if fmt.writer else "     ")
        exts = " ".join(fmt.extensions) or "-"
        aliases = f" (also: {', '.join(fmt.aliases)})" if fmt.aliases else ""
        click.echo(f"{fmt.name:<9} {modes}  {exts:<28} {fmt.description}{aliases}")


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of artconv's JSON document."""
    import json

    from .schema import json_schema

    stdout_write((json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n").encode())


def _validator(option: Option) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def validate(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None:
            return None
        try:
            return option_value(option, value)
        except UsageError as exc:
            raise click.BadParameter(str(exc)) from None

    return validate


def _click_option(option: Option) -> Callable[[Any], Any]:
    """The click declaration of one entry of the option table."""
    common: dict[str, Any] = {"help": option.help}
    if option.metavar:
        common["metavar"] = option.metavar
    if option.kind == "flag":
        return click.option(*option.flags, option.dest, is_flag=True, help=option.help)
    if option.kind == "multiple":
        return click.option(*option.flags, option.dest, multiple=True, **common)
    if option.kind == "int":
        return click.option(*option.flags, option.dest, default=option.default,
                            type=click.IntRange(min=option.minimum),
                            show_default=option.default is not None, **common)
    if option.kind == "choice":
        return click.option(*option.flags, option.dest, default=option.default,
                            type=click.Choice(list(option.choices)), show_default=True,
                            help=option.help)
    if option.kind in ("from", "to"):
        return click.option(*option.flags, option.dest, callback=_validator(option), **common)
    return click.option(*option.flags, option.dest, **common)


def _convert(**values: Any) -> int:
    """Convert INPUT files (or - for standard input) from one format to another."""
    return run_command(values)


for _option in reversed(OPTIONS):
    _convert = _click_option(_option)(_convert)
cli.command("convert")(click.argument("inputs", nargs=-1, required=True,
                                      metavar="INPUT...")(_convert))


def main() -> NoReturn:
    """Run the click command line (``artconv.command.main`` is the console script)."""
    cli.main()

"""The click application: ``convert`` (its options from :data:`.options.OPTIONS`), ``formats``,
``schema``, ``--version`` and ``--help``. The only module that imports click; usage errors come
out as one line and exit 2, with a suggestion for a mistyped format or option."""

from __future__ import annotations

import difflib
import traceback
from collections.abc import Callable
from typing import Any

import click

from .. import __version__, formats
from ..errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, ArtconvError, UsageError, exit_status
from . import PipeClosed, run_convert, silence_stdout, stdout_write
from .options import OPTIONS, Option, option_value
from .report import err


def run_app(argv: list[str]) -> int:
    """Run the click application on ``argv``; every failure becomes a line and a status."""
    try:
        status = cli.main(args=argv, prog_name="artconv", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
        return EXIT_USAGE
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "artconv"
        err(f"artconv: {_usage_message(exc)} (see: {command} --help)")
        return EXIT_USAGE
    except ArtconvError as exc:
        err(f"artconv: {exc}")
        return exit_status(exc)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        err("artconv: aborted")
        return EXIT_FAILED
    except PipeClosed:
        silence_stdout()
        return EXIT_OK
    except Exception as exc:  # an internal error outside a conversion: one line
        if "--debug" in argv:
            traceback.print_exc()
        else:
            err(f"artconv: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for a traceback)")
        return exit_status(exc)
    return status if isinstance(status, int) else EXIT_OK


def _usage_message(exc: click.UsageError) -> str:
    message = exc.format_message()
    if isinstance(exc, click.NoSuchOption) and exc.possibilities:
        return message
    if isinstance(exc, click.NoSuchOption):
        flags = [flag for option in OPTIONS for flag in option.flags if flag.startswith("--")]
        close = difflib.get_close_matches(exc.option_name, flags, n=1)
        if close:
            return f"{message} (did you mean {close[0]}?)"
    return message


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="artconv",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Convert news and blog articles between text dumps, HTML, Markdown, JSON and EPUB.

    A first word that is not a command starts a convert: artconv page.html -t md.
    """


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

    from ..schema import json_schema

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
    if option.kind in ("from", "to", "encoding"):
        return click.option(*option.flags, option.dest, callback=_validator(option), **common)
    return click.option(*option.flags, option.dest, **common)


def _convert(**values: Any) -> int:
    """Convert INPUT files (or - for standard input) from one format to another."""
    return run_convert(values)


for _option in reversed(OPTIONS):
    _convert = _click_option(_option)(_convert)
cli.command("convert")(click.argument("inputs", nargs=-1, required=True,
                                      metavar="INPUT...")(_convert))

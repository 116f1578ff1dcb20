"""A parser for a plain ``artconv convert`` command line, without click: click takes about
20 ms to import, more than a text one-liner's whole conversion. Anything it is not sure of
(``--help``, a typo, a bad value) it leaves to click, which reports it in its own words; a
test checks that both read every option of :data:`artconv.cli.options.OPTIONS` alike."""

from __future__ import annotations

from ..errors import UsageError
from .options import BY_FLAG, OPTIONS, defaults, option_value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STDIN = "-"


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The options of a plain ``convert`` command line, or None to let click handle it."""
    if not argv or argv[0] != "convert":
        return None
    values = defaults()
    multiple: dict[str, list[object]] = {o.dest: [] for o in OPTIONS if o.kind == "multiple"}
    inputs: list[str] = []
    args = iter(argv[1:])
    only_inputs = False
    for arg in args:
        if only_inputs or arg == STDIN or not arg.startswith("-"):
            inputs.append(arg)
        elif arg == "--":
            only_inputs = True
        elif not _take(arg, args, values, multiple):
            return None
    if not inputs:
        return None
    values.update({dest: tuple(found) for dest, found in multiple.items()})
    values["inputs"] = tuple(inputs)
    return values


def _take(arg: str, args: Any, values: dict[str, Any], multiple: dict[str, list[object]]
          ) -> bool:
    """Read one option (and its value) into ``values``; False when click should decide."""
    name, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
    option = BY_FLAG.get(name)
    if option is None and not arg.startswith("--") and len(arg) > 2:
        option = BY_FLAG.get(arg[:2])  # "-tmd"
        if option is None or option.kind == "flag":
            return False
        equals, value = "=", arg[2:]
    if option is None:
        return False
    if option.kind == "flag":
        if equals:
            return False
        values[option.dest] = True
        return True
    if not equals:
        following = next(args, None)
        if following is None:
            return False
        value = following
    try:
        converted = option_value(option, value)
    except (ValueError, UsageError):
        return False
    if option.kind == "multiple":
        multiple[option.dest].append(converted)
    else:
        values[option.dest] = converted
    return True

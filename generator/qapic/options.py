"""Command-line splitting shared by qapi-gen and qapi-validate.

Parsed by hand: argparse alone would double the start-up time of a tool
that runs on every build.
"""

from typing import Container, List, Tuple


class UsageError(Exception):
    pass


def split_args(argv: List[str], flags: Container[str],
               with_value: Container[str]
               ) -> Tuple[List[Tuple[str, str]], List[str]]:
    """Split argv GNU-style into options, in order, and positional
    arguments.  An option in with_value takes its value as -xVALUE,
    -x VALUE, --name=VALUE or --name VALUE; a flag takes none ('' in the
    result).  '--' ends the options; '-' alone is positional."""
    options: List[Tuple[str, str]] = []
    positional: List[str] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == '--':
            positional += args
            break
        if not arg.startswith('-') or arg == '-':
            positional.append(arg)
            continue
        name, eq, value = arg.partition('=')
        if not eq and name[:2] != '--' and len(name) > 2:
            name, value, eq = name[:2], name[2:], '='    # -oDIR
        if name in flags and not eq:
            options.append((name, ''))
        elif name in with_value:
            if not eq:
                if not args:
                    raise UsageError("option '%s' requires an argument" % name)
                value = args.pop(0)
            options.append((name, value))
        else:
            raise UsageError("unrecognized option '%s'" % arg)
    return options, positional

#!/bin/sh
# qapi-validate's options, exit statuses and robustness
# (tests/validate/validate-cli.py).
srcdir=${srcdir:-.}
top=${abs_top_srcdir:-$(cd "$srcdir" && pwd)}
exec "${PYTHON:-python3}" "$srcdir/tests/validate/validate-cli.py" --srcdir "$top"

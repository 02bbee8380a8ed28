#!/bin/sh
# qapi-validate's capture corpus (tests/validate/validate-corpus.py): every
# broken capture reported exactly, every recorded one clean; QEMU's
# captures also against QEMU 8.0's schema where ../shared has it.
srcdir=${srcdir:-.}
top=${abs_top_srcdir:-$(cd "$srcdir" && pwd)}
exec "${PYTHON:-python3}" "$srcdir/tests/validate/validate-corpus.py" --srcdir "$top"

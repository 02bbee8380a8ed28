#!/bin/sh
# Runs the schema test corpus; skips until tests/qapi-schema/run-corpus.py exists.
srcdir=${srcdir:-.}
script="$srcdir/tests/qapi-schema/run-corpus.py"
if [ ! -f "$script" ]; then
    echo "SKIP: $script does not exist yet"
    exit 77
fi
exec "${PYTHON:-python3}" "$script" --srcdir "$srcdir"

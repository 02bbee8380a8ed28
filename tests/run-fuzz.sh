#!/bin/sh
# Mutation-fuzzes the schema front-end (tests/qapi-schema/fuzz-frontend.py).
# QAPIC_FUZZ_SEED and QAPIC_FUZZ_ITERATIONS override the seed and count.
srcdir=${srcdir:-.}
script="$srcdir/tests/qapi-schema/fuzz-frontend.py"
if [ ! -f "$srcdir/generator/qapi-gen" ]; then
    echo "SKIP: $srcdir/generator/qapi-gen does not exist yet"
    exit 77
fi
exec "${PYTHON:-python3}" "$script" --srcdir "$srcdir"

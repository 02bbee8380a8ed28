#!/bin/sh
# Checks the real-world schemas in ../shared (tests/check-shared-schemas.py);
# skips where ../shared is absent.  QAPIC_SHARED overrides its location.
srcdir=${srcdir:-.}
if [ ! -f "$srcdir/generator/qapi-gen" ]; then
    echo "SKIP: $srcdir/generator/qapi-gen does not exist yet"
    exit 77
fi
top=${abs_top_srcdir:-$(cd "$srcdir" && pwd)}
exec "${PYTHON:-python3}" "$srcdir/tests/check-shared-schemas.py" --srcdir "$top"

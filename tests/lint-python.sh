#!/bin/sh
# flake8 + mypy over the generator and the Python test scripts.
# Exit 77 (skip) when a linter is missing; FLAKE8/MYPY come from configure.
srcdir=${srcdir:-.}

files=$(find "$srcdir/generator" "$srcdir/tests" "$srcdir/bench" -type f -name '*.py' \
    ! -path '*/__pycache__/*' 2>/dev/null | LC_ALL=C sort)
if [ -f "$srcdir/generator/qapi-gen" ]; then
    files="$files $srcdir/generator/qapi-gen"
fi
if [ -z "$(echo $files)" ]; then
    echo "SKIP: no Python files yet"
    exit 77
fi

status=0
missing=0

if [ -n "${FLAKE8:-}" ]; then
    echo "+ $FLAKE8" $files
    $FLAKE8 --config "$srcdir/setup.cfg" $files || status=1
else
    echo "flake8 not found"
    missing=1
fi

if [ -n "${MYPY:-}" ]; then
    # The cache goes to the build tree: srcdir is read-only under distcheck.
    echo "+ $MYPY" $files
    MYPYPATH="$srcdir/generator" $MYPY --config-file "$srcdir/setup.cfg" \
        --cache-dir .mypy_cache $files || status=1
else
    echo "mypy not found"
    missing=1
fi

if [ $status -ne 0 ]; then
    exit 1
fi
if [ $missing -ne 0 ]; then
    exit 77
fi
exit 0

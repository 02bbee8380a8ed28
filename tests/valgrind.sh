#!/bin/sh
# Runs a test program under valgrind's memcheck: the log compiler of "make
# check-valgrind" (tests/hardening.am), usable by hand too, from the top
# of the build tree:
#
#   sh tests/valgrind.sh tests/check-input [ARGS...]
#
# Check runs every test in the one process (CK_FORK=no), so that memcheck
# sees every path.  Any memcheck error, and any definite or indirect leak,
# makes the exit status 1; "still reachable" memory is not a leak.
# libtool runs the real program behind the uninstalled program's wrapper
# script.  QAPI_VALGRIND and QAPI_LIBTOOL (set by make) name the tools;
# VALGRIND_FLAGS adds options.  Suppressions: tests/valgrind.supp.
if [ $# -lt 1 ]; then
    echo "usage: $0 PROGRAM [ARGS...]" >&2
    exit 2
fi
srcdir=${srcdir:-$(dirname "$0")/..}
valgrind=${QAPI_VALGRIND:-valgrind}
libtool=${QAPI_LIBTOOL:-./libtool}
CK_FORK=no
export CK_FORK
# shellcheck disable=SC2086
exec $libtool --mode=execute $valgrind -q --tool=memcheck \
    --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --track-origins=yes \
    --error-exitcode=1 --suppressions="$srcdir/tests/valgrind.supp" \
    ${VALGRIND_FLAGS:-} "$@"

#!/bin/sh
# Builds examples/mini-vmm the way any project consuming qapi-c would, from
# an installation of this build tree staged with "make install DESTDIR=...":
# it gets libqapi from pkg-config (qapi.pc), qapi-gen and its make rules
# from the QAPI_CHECK macro (qapi.m4), and nothing from the source tree.
# Then runs it, and checks that editing an included schema file makes
# "make" regenerate and rebuild.
#
# Everything happens in a temporary directory (TMPDIR), so the test works
# from a read-only source tree (make distcheck) and leaves nothing behind.
# Skips (77) without autoreconf.

set -u

fail() {
    echo "FAIL: $*"
    exit 1
}

: "${abs_top_builddir:?}" "${abs_top_srcdir:?}"
for tool in autoreconf autoconf automake aclocal; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool not found"
        exit 77
    fi
done

# Our own make runs, apart from the "make check" that runs us: no
# inherited -j, jobserver, -k, -n or command-line variables.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
# Nothing of the caller's qapi-c settings either.
unset QAPI_GEN QAPI_RULES_FILE QAPI_CFLAGS QAPI_LIBS CONFIG_SITE
make=${MAKE:-make}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qapi-mini-vmm.XXXXXX") ||
    fail "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
dest=$tmp/dest
src=$tmp/src
build=$tmp/build

# Run a command, its output in the log; fail the test if it fails.
run() {
    echo "+ $*"
    "$@" || fail "'$*' exited with status $?"
}

# 1. Stage the installation.
run $make -C "$abs_top_builddir" install DESTDIR="$dest"

# Where the staged files landed (under $dest + the configured prefix).
pc=$(find "$dest" -name qapi.pc -path '*/pkgconfig/*' | head -n 1)
m4=$(find "$dest" -name qapi.m4 -path '*/aclocal/*' | head -n 1)
gen=$(find "$dest" -name qapi-gen -type f | head -n 1)
[ -n "$pc" ] || fail "qapi.pc not installed"
[ -n "$m4" ] || fail "qapi.m4 not installed in an aclocal directory"
[ -n "$gen" ] || fail "qapi-gen not installed"
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")
bindir=$(dirname "$gen")

# The staged qapi-gen finds its package relative to itself.
grep -q 'realpath(__file__)' "$gen" ||
    fail "$gen does not locate its package relative to itself"
run "$gen" --version

# 2. The consumer's sources alone, writable (distcheck's are read-only).
mkdir "$src" "$build" || fail "mkdir"
for f in configure.ac Makefile.am mini-vmm.json devices.json mini-vmm.c \
        example-vm.json README.md; do
    cp "$abs_top_srcdir/examples/mini-vmm/$f" "$src/" || fail "cp $f"
done
chmod -R u+w "$src"

# 3. Bootstrap, configure (out of tree) and build.
cd "$src" || fail "cd $src"
ACLOCAL_PATH=$(dirname "$m4")${ACLOCAL_PATH:+:$ACLOCAL_PATH}
export ACLOCAL_PATH
run autoreconf -fi
PKG_CONFIG_PATH=$pcdir PKG_CONFIG_SYSROOT_DIR=$dest
PATH=$bindir:$PATH
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PATH LD_LIBRARY_PATH
cd "$build" || fail "cd $build"
# Under --enable-sanitizers (tests/hardening.am exports the flags) the
# staged libqapi needs the sanitizers' runtime: the consumer is built by
# the same compiler with the same flags.
set -- CFLAGS="-g -O1 -Wall -Wextra -Werror${QAPI_SANITIZE_FLAGS:+ $QAPI_SANITIZE_FLAGS}"
if [ -n "${QAPI_SANITIZE_FLAGS:-}" ]; then
    set -- "$@" CC="${QAPI_SANITIZE_CC:-cc}" LDFLAGS="$QAPI_SANITIZE_FLAGS"
fi
run "$src/configure" "$@"
grep "^QAPI_GEN = $dest/" Makefile ||
    fail "configure did not pick the staged qapi-gen"
run $make

# 4. Run it.
out=$tmp/out
echo "+ ./mini-vmm $src/example-vm.json"
./mini-vmm "$src/example-vm.json" >"$out" 2>&1
status=$?
cat "$out"
[ $status -eq 0 ] || fail "mini-vmm exited with status $status"
# JSON is compared with blanks removed: the layout is not what is tested.
config='config:{"name":"vm0","mem-size":4294967296,"devices":[{"id":"net0","kind":"virtio-net","queues":2,"backend":"tap0"},{"id":"disk0","kind":"virtio-blk","backend":"disk.img"},{"id":"console","kind":"serial"}]}'
machine='machine vm0: 4096 MiB of memory, device kinds: virtio-net virtio-blk serial'
ev='{"event":"DEVICE_READY","data":{"id":"%s","kind":"%s"},"timestamp":{"seconds":[0-9][0-9]*,"microseconds":[0-9][0-9]*}}'
{
    echo "$config"
    echo "$machine"
    # shellcheck disable=SC2059
    printf "$ev\n" net0 virtio-net disk0 virtio-blk console serial
    echo 'commands: device-add device-del'
} >"$tmp/expected"
n=0
while IFS= read -r want; do
    n=$((n + 1))
    got=$(sed -n "${n}p" "$out")
    case $want in
    '{"event"'*)
        printf '%s\n' "$got" | tr -d ' ' | grep -x -- "$want" >/dev/null ||
            fail "line $n: got '$got', want a match of '$want'" ;;
    config:*)
        [ "$(printf '%s' "$got" | tr -d ' ')" = "$want" ] ||
            fail "line $n: got '$got', want '$want'" ;;
    *)
        [ "$got" = "$want" ] || fail "line $n: got '$got', want '$want'" ;;
    esac
done <"$tmp/expected"
[ "$(wc -l <"$out")" -eq "$n" ] || fail "expected $n lines of output"

# From standard input, and strict: an unknown device kind is refused.
echo '+ ./mini-vmm <bad config'
printf '%s' '{"name": "x", "mem-size": 1, "devices": [{"id": "f", "kind": "floppy"}]}' |
    ./mini-vmm >"$out" 2>&1
status=$?
cat "$out"
[ $status -eq 1 ] || fail "mini-vmm accepted a bad config (status $status)"
grep -q "mini-vmm: -: .*'floppy'" "$out" || fail "unexpected error message"

# 5. Editing an included schema file regenerates (the depfile) and
#    rebuilds; running make again then does nothing.
cat >>"$src/devices.json" <<'EOF'

##
# @DeviceStats:
#
# Added by tests/run-mini-vmm.sh.
#
# @reads: reads done
##
{ 'struct': 'DeviceStats', 'data': { 'reads': 'uint64' } }
EOF
run $make >"$tmp/make2" 2>&1
cat "$tmp/make2"
grep -- '--depfile' "$tmp/make2" >/dev/null ||
    fail "editing devices.json did not rerun qapi-gen"
grep 'struct DeviceStats {' qapi-generated/qapi-types-devices.h ||
    fail "DeviceStats was not generated"
run $make >"$tmp/make3" 2>&1
cat "$tmp/make3"
if grep -e '--depfile' -e ' -c ' -e ' -o mini-vmm ' "$tmp/make3" >/dev/null; then
    fail "a second make did work"
fi

# 6. make clean removes what was generated.
run $make clean
for f in qapi-generated/* qapi-generated/.*; do
    case ${f#qapi-generated/} in
    '*' | . | .. | .deps | .dirstamp) ;;
    *) fail "make clean left $f" ;;
    esac
done

echo "PASS: mini-vmm built and ran against the staged installation"

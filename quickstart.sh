#!/usr/bin/env bash
# Build qapi-c out of tree in build/ and run the demo, or the full checks.
set -euo pipefail

usage() {
    cat <<USAGE
usage: $0 [check | --help]
  (no argument)  install missing packages, build in build/, run the demo
  check          same build, then 'make check', 'make check-qemu' (the
                 typed QMP client against qemu-system-x86_64, installed
                 for it), 'make check-valgrind' and 'make distcheck';
                 then a second build in build-sanitize/
                 (clang, --enable-sanitizers --enable-fuzzing): its
                 'make check', failing on any sanitizer report, and
                 'make check-fuzz' (FUZZ_SECONDS per target, default 60)
USAGE
}

mode=demo
case $# in
0) ;;
1)
    case $1 in
    check) mode=check ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
    ;;
*) usage >&2; exit 2 ;;
esac

cd "$(dirname "$0")"

# (a) Debian packages.  dpkg-query tells what is missing; only root installs.
packages=(autoconf automake libtool pkg-config make gcc python3
          libjansson-dev check flake8 mypy)
# The hardening checks (tests/hardening.am): valgrind, and clang with its
# sanitizer and libFuzzer runtimes; QEMU for make check-qemu.
if [ "$mode" = check ]; then
    packages+=(valgrind clang libclang-rt-dev qemu-system-x86)
fi
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "quickstart: installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "quickstart: warning: missing packages: ${missing[*]}" >&2
    fi
fi

# (b) Generate the build system when needed, configure once, build.
mkdir -p m4  # silences aclocal before libtoolize fills it
if [ ! -x configure ] || [ ! -f Makefile.in ] ||
        [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
    autoreconf -fi
fi
if [ -f config.status ]; then
    echo "quickstart: the source tree is configured in place;" \
         "run 'make distclean' there first" >&2
    exit 1
fi
# Debian's python3 is the interpreter this project depends on; prefer it to
# whatever else PATH holds.
python=python3
[ -x /usr/bin/python3 ] && python=/usr/bin/python3
mkdir -p build
if [ ! -f build/Makefile ]; then
    (cd build && ../configure --enable-werror PYTHON="$python")
fi
make -C build -j2

# (c) The demo, or the checks.
if [ "$mode" = demo ]; then
    make -C build demo
    exit 0
fi

show_logs_in() {
    find "$1" -name test-suite.log -o -name valgrind-suite.log | sort |
        while read -r f; do echo "===== $f"; cat "$f"; done >&2
}
show_logs() {
    show_logs_in build
}
# Seconds taken by each step, printed at the end.
timings=()
step() {
    local name=$1 start=$SECONDS
    shift
    "$@" || return 1
    timings+=("$name: $((SECONDS - start)) s")
}
if ! step check make -C build -j2 check; then
    show_logs
    exit 1
fi
# The typed QMP client against Debian's QEMU (tests/run-qemu-client.sh).
if ! command -v qemu-system-x86_64 >/dev/null; then
    echo "quickstart: warning: no qemu-system-x86_64: check-qemu skipped" >&2
elif ! step check-qemu make -C build check-qemu; then
    exit 1
fi
# Every check program under memcheck (tests/valgrind.sh).
if ! step check-valgrind make -C build -j2 check-valgrind; then
    show_logs
    exit 1
fi
if ! step distcheck make -C build -j2 distcheck \
        DISTCHECK_CONFIGURE_FLAGS="--enable-werror PYTHON=$python"; then
    show_logs
    exit 1
fi

# (d) The sanitizers and the fuzzers, in build-sanitize/: clang with
# AddressSanitizer (leaks included) and UndefinedBehaviorSanitizer on
# everything, and the libFuzzer targets of fuzz/.  Without clang, gcc's
# sanitizers and no fuzzing.
sanitize_flags=(--enable-werror --enable-sanitizers PYTHON="$python")
if command -v clang >/dev/null; then
    sanitize_flags+=(--enable-fuzzing CC=clang)
else
    echo "quickstart: warning: no clang: sanitizers with gcc, no fuzzing" >&2
fi
mkdir -p build-sanitize
if [ ! -f build-sanitize/Makefile ]; then
    (cd build-sanitize && ../configure "${sanitize_flags[@]}")
fi
step build-sanitize make -C build-sanitize -j2
if ! step check-sanitize make -C build-sanitize -j2 check; then
    show_logs_in build-sanitize
    exit 1
fi
# A report that a test did not turn into a failure (a program whose exit
# status is not checked) fails all the same.
reports=$(grep -rlE --include='*.log' \
    'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
    build-sanitize/tests build-sanitize/examples 2>/dev/null || true)
if [ -n "$reports" ]; then
    echo "quickstart: sanitizer reports in:" $reports >&2
    for f in $reports; do echo "===== $f"; cat "$f"; done >&2
    exit 1
fi
if grep -q '^QAPI_FUZZ_LDFLAGS = .' build-sanitize/Makefile; then
    if ! step check-fuzz make -C build-sanitize -j2 check-fuzz \
            FUZZ_SECONDS="${FUZZ_SECONDS:-60}"; then
        exit 1
    fi
fi
printf 'quickstart: %s\n' "${timings[@]}" "total: $SECONDS s"
echo "quickstart: check, check-qemu, check-valgrind, distcheck," \
     "sanitizers and fuzzing passed"

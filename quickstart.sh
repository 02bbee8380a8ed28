#!/usr/bin/env bash
# Build qapi-c out of tree in build/ and run the demo, or the full checks.
set -euo pipefail

usage() {
    cat <<USAGE
usage: $0 [check | --help]
  (no argument)  install missing packages, build in build/, run the demo
  check          same build, then 'make check' and 'make distcheck'
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

show_logs() {
    find build -name test-suite.log -exec sh -c \
        'for f; do echo "===== $f"; cat "$f"; done' sh {} + >&2
}
if ! make -C build -j2 check; then
    show_logs
    exit 1
fi
if ! make -C build -j2 distcheck \
        DISTCHECK_CONFIGURE_FLAGS="--enable-werror PYTHON=$python"; then
    show_logs
    exit 1
fi
echo "quickstart: check and distcheck passed"

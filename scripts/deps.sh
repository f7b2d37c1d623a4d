#!/bin/sh
# deps.sh - check the Debian packages that building and testing sirecon need;
# install the missing ones with apt-get when we are root or have sudo,
# otherwise print the exact command and fail.
set -u
PKGS="gcc make pkg-config libcsv-dev libxlsxwriter-dev uthash-dev libcmocka-dev
libutf8proc-dev libinih-dev zlib1g-dev nettle-dev libminizip-dev libexpat1-dev libfreexl-dev
python3 python3-xlwt libreoffice-calc-nogui poppler-utils
python3-openpyxl mandoc time
clang libclang-rt-14-dev valgrind"
missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    case "$st" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0
echo "deps: missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
else
    echo "deps: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# another apt-get (unattended upgrades, a second terminal) may hold the
# dpkg lock: wait for it up to ten minutes instead of failing at once
LOCK="-o DPkg::Lock::Timeout=600"
# shellcheck disable=SC2086
$SUDO apt-get $LOCK update -q >&2 || true
# shellcheck disable=SC2086
$SUDO apt-get $LOCK install -y -q --no-install-recommends $missing >&2 || {
    echo "deps: apt-get install failed; run: apt-get install -y$missing" >&2
    exit 1
}

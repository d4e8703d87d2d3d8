#!/usr/bin/env bash
# Lint, translation check and the whole test suite under QGIS 3.40 LTR (Debian 13 "trixie"), in a
# chroot built once from Debian's packages and cached outside the checkout. Run as root.
#   bash scripts/test.sh --qgis 3.40 [extra pytest args]     (calls this script)
#   bash scripts/qgis340.sh --prepare                         (build or check the chroot only)
#   bash scripts/qgis340.sh --run CMD [ARGS]                  (any command, in the checkout, inside)
#
# The chroot lives in $GRIDPLANNER_CHROOT (default /var/cache/gridplanner/trixie); each stage
# (base system, Debian packages, test venv) is redone only when missing or when its inputs changed,
# so a second run only checks. Everything runs in a private mount namespace: the bind mounts of
# /proc, /dev, /sys, the checkout and ../shared vanish with this script even if it is killed.
# The mirror defaults to the host's Debian mirror ($GRIDPLANNER_DEBIAN_MIRROR overrides it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHROOT="${GRIDPLANNER_CHROOT:-/var/cache/gridplanner/trixie}"
CHROOT_VENV=/opt/gridplanner-venv
SUITE=trixie
export PATH="/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"

# Debian packages for QGIS 3.40 and the plugin's dependencies (the plugin's Python packages come
# from Debian here, so they link the PROJ, GEOS and GDAL that QGIS links).
APT_PACKAGES=(
  qgis python3-qgis qgis-providers                 # QGIS 3.40 LTR and its Python bindings
  gdal-bin python3-gdal                             # GDAL command line and bindings
  python3-shapely python3-geopandas python3-pyproj python3-scipy python3-matplotlib
  python3-rtree python3-pyogrio python3-pandas python3-sklearn python3-openpyxl
  proj-data proj-bin                                # PROJ's database (pyproj needs it)
  python3-venv python3-pip                          # the test venv
  xvfb xauth                                        # a virtual screen for GUI tests
  fonts-noto-cjk                                    # Chinese text on maps and in layouts
  qttools5-dev-tools                                # lrelease: the translation check
  poppler-utils                                     # pdftotext/pdftoppm: check exported PDFs
  chromium                                          # headless screenshot of the HTML report
  ca-certificates locales git
)

if [ "$(id -u)" -ne 0 ]; then
  echo "qgis340: building and entering the chroot needs root (debootstrap, chroot, mount)." >&2
  exit 2
fi

# Private mount namespace: mounts made below are invisible to the host and die with this process.
if [ -z "${GRIDPLANNER_IN_NAMESPACE:-}" ]; then
  exec env GRIDPLANNER_IN_NAMESPACE=1 unshare --mount --propagation private bash "${BASH_SOURCE[0]}" "$@"
fi

log() { echo "qgis340: $*"; }

host_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) {print $i; exit}}' \
      /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR="${GRIDPLANNER_DEBIAN_MIRROR:-$(host_mirror)}"

# Host variables worth passing into the chroot (certificates are copied to the same paths).
chroot_env=(
  env -i PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8
  DEBIAN_FRONTEND=noninteractive TERM="${TERM:-dumb}"
  PROJ_DATA=/usr/share/proj PROJ_LIB=/usr/share/proj
  SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
  PIP_CERT=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1
  PIP_DEFAULT_TIMEOUT="${PIP_DEFAULT_TIMEOUT:-60}"
)
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_EXTRA_INDEX_URL; do
  if [ -n "${!name:-}" ]; then chroot_env+=("$name=${!name}"); fi
done
in_chroot() { chroot "$CHROOT" "${chroot_env[@]}" "$@"; }

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[$i]}" 2>/dev/null || umount -l "${mounted[$i]}" 2>/dev/null || true
  done
  mounted=()
}
trap cleanup EXIT INT TERM

mount_system() {
  mount -t proc proc "$CHROOT/proc" && mounted+=("$CHROOT/proc")
  mount --rbind /dev "$CHROOT/dev" && mounted+=("$CHROOT/dev")
  mount --rbind /sys "$CHROOT/sys" && mounted+=("$CHROOT/sys")
}

# Refuse to delete a directory that still has something mounted inside it.
safe_remove() {
  local dir="$1"
  if awk -v d="$dir/" '{if (index($2 "/", d) == 1) found = 1} END {exit !found}' /proc/self/mounts; then
    echo "qgis340: $dir has mounts inside; not removing it." >&2
    exit 3
  fi
  rm -rf "$dir"
}

copy_host_config() {
  # apt and pip inside the chroot need the host's CA bundle (a proxy may re-sign TLS) and pip's
  # configuration; DNS needs resolv.conf.
  mkdir -p "$CHROOT/etc/ssl/certs"
  cp -f /etc/ssl/certs/ca-certificates.crt "$CHROOT/etc/ssl/certs/ca-certificates.crt"
  if [ -f /etc/pip.conf ]; then cp -f /etc/pip.conf "$CHROOT/etc/pip.conf"; fi
  cp -fL /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
  # No daemons may start inside the chroot while packages install.
  printf '#!/bin/sh\nexit 101\n' >"$CHROOT/usr/sbin/policy-rc.d"
  chmod 755 "$CHROOT/usr/sbin/policy-rc.d"
}

build_base() {
  if [ -f "$CHROOT/.gridplanner-base" ]; then return; fi
  if ! command -v debootstrap >/dev/null; then
    log "installing debootstrap on the host"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  local start=$SECONDS
  log "debootstrap $SUITE from $MIRROR into $CHROOT (about 1 minute)"
  safe_remove "$CHROOT.partial"
  mkdir -p "$(dirname "$CHROOT")"
  debootstrap --variant=minbase "$SUITE" "$CHROOT.partial" "$MIRROR" >"$(dirname "$CHROOT")/debootstrap.log" 2>&1 || {
    echo "qgis340: debootstrap failed; see $(dirname "$CHROOT")/debootstrap.log" >&2
    exit 4
  }
  touch "$CHROOT.partial/.gridplanner-base"
  if [ -e "$CHROOT" ]; then safe_remove "$CHROOT"; fi
  mv "$CHROOT.partial" "$CHROOT"
  log "base system ready in $((SECONDS - start)) s"
}

install_packages() {
  local stamp="$CHROOT/.gridplanner-packages" want
  want="$(printf '%s\n' "${APT_PACKAGES[@]}" | grep -v '^#' | sort | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  local start=$SECONDS
  log "installing QGIS 3.40 and the plugin's dependencies from Debian (about 3-5 minutes)"
  in_chroot apt-get update -qq
  in_chroot apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
  in_chroot apt-get clean
  echo "$want" >"$stamp"
  log "packages ready in $((SECONDS - start)) s"
}

install_venv() {
  local stamp="$CHROOT$CHROOT_VENV/.requirements.sha256" want
  want="$(cat "$ROOT/requirements-qgis340.txt" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  local start=$SECONDS
  log "test venv $CHROOT_VENV (system site packages: Debian's QGIS, shapely, geopandas ...)"
  safe_remove "$CHROOT$CHROOT_VENV"
  in_chroot /usr/bin/python3 -m venv --system-site-packages "$CHROOT_VENV"
  cp "$ROOT/requirements-qgis340.txt" "$CHROOT/tmp/gridplanner-requirements.txt"
  in_chroot "$CHROOT_VENV/bin/python" -m pip install -q -r /tmp/gridplanner-requirements.txt
  echo "$want" >"$stamp"
  log "venv ready in $((SECONDS - start)) s"
}

check_versions() {
  in_chroot "$CHROOT_VENV/bin/python" - <<'PY'
from qgis.core import Qgis
import numpy, shapely, geopandas, pyproj
assert Qgis.QGIS_VERSION_INT // 100 == 340, f"QGIS {Qgis.QGIS_VERSION} in the chroot, not 3.40"
assert pyproj.CRS("EPSG:4547").name.startswith("CGCS2000"), "pyproj cannot read EPSG codes (PROJ data?)"
print(f"qgis340: QGIS {Qgis.QGIS_VERSION}, numpy {numpy.__version__}, shapely {shapely.__version__} "
      f"(GEOS {shapely.geos_version_string}), geopandas {geopandas.__version__}, PROJ {pyproj.proj_version_str}")
PY
}

bind_checkout() {
  # The checkout and ../shared keep their host paths inside, so relative paths still resolve.
  mkdir -p "$CHROOT$ROOT"
  mount --bind "$ROOT" "$CHROOT$ROOT" && mounted+=("$CHROOT$ROOT")
  local shared
  shared="$(dirname "$ROOT")/shared"
  if [ -d "$shared" ]; then
    mkdir -p "$CHROOT$shared"
    mount --bind "$shared" "$CHROOT$shared" && mounted+=("$CHROOT$shared")
    mount -o remount,bind,ro "$CHROOT$shared"
  fi
}

mkdir -p "$(dirname "$CHROOT")"
exec 9>"$(dirname "$CHROOT")/.$(basename "$CHROOT").lock"
# One build at a time; test runs may share a finished chroot.
flock 9
build_base
copy_host_config
mount_system
install_packages
copy_host_config # again: the ca-certificates package rewrote the bundle with Debian's own CAs
install_venv
flock -u 9
check_versions
if [ "${1:-}" = "--prepare" ]; then exit 0; fi
bind_checkout
if [ "${1:-}" = "--run" ]; then
  shift
  set +e
  in_chroot GRIDPLANNER_VENV="$CHROOT_VENV" QT_QPA_PLATFORM=offscreen bash -c 'cd "$1" && shift && "$@"' bash "$ROOT" "$@"
  exit $?
fi
log "running lint, the translation check and the tests inside the chroot"
set +e
# X displays from 400 up: the chroot has its own /tmp (where xvfb-run -a looks for displays in use)
# but shares X's abstract sockets with the host, whose xvfb-run starts at 99.
in_chroot GRIDPLANNER_VENV="$CHROOT_VENV" GRIDPLANNER_SKIP_SETUP=1 GRIDPLANNER_XVFB_FIRST=$((400 + $$ % 400)) bash -c 'cd "$1" && shift && bash scripts/test.sh "$@"' \
  bash "$ROOT" "$@"
status=$?
set -e
exit "$status"

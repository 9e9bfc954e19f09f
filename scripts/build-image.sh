#!/usr/bin/env bash
# Builds Lathe's local training image without any registry (works in an offline lab with a
# Debian mirror): a Debian bookworm root with python3, numpy, scikit-learn and pandas,
# made by debootstrap and imported into the Docker engine.
#
#   scripts/build-image.sh [IMAGE]        default IMAGE: lathe/python-sklearn:bookworm
#
# Env: LATHE_DEBIAN_MIRROR overrides the mirror (default: the first URIs: line of this
# machine's apt sources). Skips the build when the image already exists (FORCE=1 rebuilds).
set -euo pipefail
IMAGE="${1:-lathe/python-sklearn:bookworm}"
PACKAGES="python3,python3-numpy,python3-sklearn,python3-pandas,python3-joblib,ca-certificates,git"

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "image $IMAGE already exists (FORCE=1 to rebuild)"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "the Docker engine is not running (start dockerd first)" >&2; exit 1; }

mirror="${LATHE_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror=$(grep -h -m1 '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | head -1)
fi
if [ -z "$mirror" ]; then
  mirror=$(grep -h -m1 '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -1)
fi
[ -n "$mirror" ] || { echo "no Debian mirror found; set LATHE_DEBIAN_MIRROR" >&2; exit 1; }

root=$(mktemp -d /tmp/lathe-image.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "debootstrap bookworm from $mirror with $PACKAGES"
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$root" "$mirror" >/tmp/lathe-debootstrap.log 2>&1 || {
  tail -30 /tmp/lathe-debootstrap.log >&2
  exit 1
}
# Keep the image lean: package caches and docs are not needed to train.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV PYTHONUNBUFFERED=1' \
  --change 'WORKDIR /workspace' \
  --change 'CMD ["python3"]' \
  - "$IMAGE"
docker run --rm "$IMAGE" python3 -c 'import sklearn, numpy, pandas; print("sklearn", sklearn.__version__, "numpy", numpy.__version__, "pandas", pandas.__version__)'
echo "built $IMAGE"

#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Tensorpad builds against, when missing.
# Uses sudo when not root. Safe to run repeatedly: does nothing when all are present.
set -euo pipefail
# netpbm: pamfile checks the PGM files we write in `make test`.
# libzmq3-dev: the Jupyter kernel's sockets (tensorpad kernel).
pkgs=(libopenblas-dev libedit-dev zlib1g-dev pkg-config netpbm libzmq3-dev ${EXTRA_PKGS:-})
missing=()
# libcairo2-dev, fonts-dejavu-core: matplotlib.pyplot figures drawn through cairo in DejaVu Sans.
pkgs+=(libcairo2-dev fonts-dejavu-core)
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# dataset-fashion-mnist: Fashion-MNIST's IDX files (/usr/share/datasets/fashion-mnist) for torchvision.datasets.FashionMNIST.
dpkg-query -W -f='${Status}' dataset-fashion-mnist 2>/dev/null | grep -q "install ok installed" || missing+=(dataset-fashion-mnist)
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "deps: the Swift toolchain (6.x) is not on PATH; install it from https://swift.org/install" >&2
  exit 1
fi

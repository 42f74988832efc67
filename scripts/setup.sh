#!/usr/bin/env bash
# Installs the Debian packages axon needs, only those missing; apt-get is not called at
# all when everything is present (so a second run is quick and works offline).
set -euo pipefail

packages=(
  antlr4 libantlr4-runtime-dev uuid-dev llvm-19-dev libhdf5-dev hdf5-tools
  libcli11-dev catch2 ninja-build cmake g++ libeigen3-dev ccache
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  echo "axon setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

#!/usr/bin/env bash
# Configures (once) and builds axon into build/ with Ninja. Incremental after the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAXON_WERROR="${AXON_WERROR:-OFF}"
fi
cmake --build build -j "$(nproc)"

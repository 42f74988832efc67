#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
mkdir -p out
build/cli/axon check models/*.axon
if build/cli/axon run --help >/dev/null 2>&1; then
  build/cli/axon run models/cuba.axon -o out/cuba.h5
fi

#!/usr/bin/env bash
# Prints one digest line per network of every shipped model (models/*.axon) and per
# model in tests/digest/ (written to reach the less-used paths) and extra model given:
# the SHA-256 of every dataset and attribute of its output except the run's timings
# and command line. AXON=path/to/axon compares another build. Used to show a refactor changes no output:
#   scripts/output-digest.sh > before.txt; ...; scripts/output-digest.sh | diff before.txt -
# Long runs are cut to AXON_DIGEST_DURATION (default 2 s) so the whole check takes ~1 min.
set -euo pipefail
cd "$(dirname "$0")/.."
axon=${AXON:-build/cli/axon}
duration=${AXON_DIGEST_DURATION:-2 s}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for model in models/*.axon tests/digest/*.axon "$@"; do
  for net in $(sed -n 's/^network \([A-Za-z0-9_]*\).*/\1/p' "$model"); do
    for threads in 1 2; do
      out="$work/$net.h5"
      if ! "$axon" run "$model" --network "$net" --duration "$duration" --threads "$threads" --quiet -o "$out" \
          >"$work/log" 2>&1; then
        echo "$model $net threads=$threads FAILED: $(head -c 300 "$work/log")"
        continue
      fi
      datasets=()
      while read -r path kind; do
        [[ "$kind" == Dataset* ]] || continue
        [[ "$path" == /axon/timing/* || "$path" == /axon/command_line || "$path" == /axon/threads ]] && continue
        datasets+=(-d "$path")
      done < <(h5ls -r "$out" | awk '{print $1, $2}')
      # /axon/model_source names the stdlib files by the checkout's path: read it as stdlib/.
      digest=$(h5dump "${datasets[@]}" "$out" | sed -e "s|$out||g" -e 's|/[^ "]*/stdlib/|stdlib/|g' |
        sha256sum | cut -c1-16)
      echo "$model $net threads=$threads $digest"
    done
  done
done

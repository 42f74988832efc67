#!/usr/bin/env bash
# scripts/axon_plot.py end to end: run a tiny plastic model with `axon run`, then
# --list, a raster, traces (neuron and synapse), a rate, a histogram and the default
# figure; each PNG must be a real PNG of some size. Bad input must exit 2 with a message
# naming what exists. Exits 77 (CTest: skipped) when /usr/bin/python3 lacks h5py, numpy
# or matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib).
#
# usage: run_plot_test.sh AXON_BINARY SOURCE_DIR
set -uo pipefail

AXON=${1:?usage: run_plot_test.sh AXON_BINARY SOURCE_DIR}
SRC=${2:?usage: run_plot_test.sh AXON_BINARY SOURCE_DIR}
PY=${AXON_PLOT_PYTHON:-/usr/bin/python3}   # the Debian python that sees python3-h5py etc.
PLOT="$SRC/scripts/axon_plot.py"

if [ ! -x "$PY" ] || ! "$PY" -c 'import h5py, numpy, matplotlib' >/dev/null 2>&1; then
  echo "skipped: $PY cannot import h5py, numpy and matplotlib"
  exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/axon-plot-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export MPLCONFIGDIR="$WORK/mpl"   # matplotlib's cache, away from $HOME

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat > "$WORK/tiny.axon" <<'EOF'
import neurons.lif
import synapses.stdp

network Tiny {
  population In = PoissonSource[50] { rate = 20 Hz }
  population N = LIF[4] { tau_m = 10 ms }
  project S = In -> N.v via STDP { w_scale = 2 mV; w = Uniform(0, 1) } connect all
  probe spikes of In
  probe spikes of N
  probe N.v
  probe rate of N every 10 ms
  probe S.w every 5 ms
}

run Tiny { duration = 300 ms; dt = 0.1 ms; seed = 1 }
EOF

H5="$WORK/tiny.h5"
if ! "$AXON" run "$WORK/tiny.axon" -o "$H5" --quiet; then
  echo "FAIL: axon run of the tiny model"
  exit 1
fi

# plot NAME ARGS...: runs the script into $WORK/NAME.png and checks the image.
plot() {
  local name=$1; shift
  local png="$WORK/$name.png" log="$WORK/$name.log"
  if ! "$PY" "$PLOT" "$H5" "$@" -o "$png" >"$log" 2>&1; then
    fail "$name: exit $? for: $*"; cat "$log"; return
  fi
  if [ ! -f "$png" ]; then fail "$name: no $png"; return; fi
  local magic size
  magic=$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')
  [ "$magic" = "89504e470d0a1a0a" ] || fail "$name: not a PNG (magic $magic)"
  size=$(wc -c < "$png")
  [ "$size" -gt 10000 ] || fail "$name: PNG only $size bytes"
  echo "ok: $name ($size bytes)"
}

# expect_error NAME 'TEXT'... -- ARGS...: the script exits 2 and stderr holds each TEXT.
expect_error() {
  local name=$1; shift
  local want=()
  while [ "$1" != "--" ]; do want+=("$1"); shift; done
  shift
  local err="$WORK/$name.err" rc
  "$PY" "$PLOT" "$@" -o "$WORK/$name.png" >/dev/null 2>"$err"
  rc=$?
  [ "$rc" -eq 2 ] || { fail "$name: exit $rc, expected 2, for: $*"; cat "$err"; return; }
  local w
  for w in "${want[@]}"; do
    grep -qF -- "$w" "$err" || { fail "$name: message lacks '$w':"; cat "$err"; return; }
  done
  [ ! -e "$WORK/$name.png" ] || fail "$name: wrote a figure despite the error"
  echo "ok: $name (exit 2)"
}

# --list: metadata, populations, reports with units and shapes, connectivity.
if "$PY" "$PLOT" "$H5" --list >"$WORK/list.txt" 2>&1; then
  for w in "network Tiny" "dt 0.1 ms" "duration 300 ms" "complete: yes" \
           "N.v" "mV" "3000x4" "N.rate" "Hz" "S.w" "60x200" "synapses In->N" \
           "connectivity:" "200 synapses" "In " "50 neurons"; do
    grep -qF -- "$w" "$WORK/list.txt" || fail "--list lacks '$w'"
  done
  echo "ok: list"
else
  fail "--list exited non-zero"; cat "$WORK/list.txt"
fi

plot raster   --raster N --raster In:0:20
plot trace    --trace N.v --trace N.v:0,3 --from 50ms --to 250ms
plot synapse  --trace S.w:0,1,2 --rate N
plot rate     --rate In --bin 10ms
plot hist     --hist S.w --bins 20
plot default
plot all      --raster In --trace N.v:1 --rate N --trace S.w --hist S.w

expect_error missing_file "no such file" -- "$WORK/nope.h5" --list
expect_error unknown_pop "no spikes of 'Q'" "populations with spikes: In, N" -- "$H5" --raster Q
expect_error unknown_var "no report 'u' for 'N'" "N.rate, N.v" -- "$H5" --trace N.u
expect_error unknown_name "unknown population or projection 'Q'" "reports: N.rate, N.v, S.w" \
  -- "$H5" --trace Q.v
expect_error unknown_ids "neuron 7 not recorded in N.v" "0:4" -- "$H5" --trace N.v:0,7
expect_error unknown_hist "no variable 'q' in /connectivity/S" "w" -- "$H5" --hist S.q
expect_error unknown_proj "no projection 'T' under /connectivity" "projections: S" \
  -- "$H5" --hist T.w
expect_error bad_time "cannot read 'soon' as a time" -- "$H5" --raster N --from soon

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all plot checks passed"

#!/usr/bin/env bash
# Fails naming every file under runtime/ that includes the front end (compiler/ast,
# compiler/sema, compiler/parse) directly or through a header: the runtime runs the
# lowered IR only. Usage: runtime_layers.sh SOURCE_DIR
set -euo pipefail
cd "${1:?usage: runtime_layers.sh SOURCE_DIR}"
declare -A seen
bad=()
# Follows project includes ("compiler/...", "runtime/...") from each runtime file.
reaches_front_end() {
  local file=$1 inc
  [[ -n "${seen[$file]:-}" ]] && return 1
  seen[$file]=1
  while read -r inc; do
    [[ "$inc" == compiler/ast/* || "$inc" == compiler/sema/* || "$inc" == compiler/parse/* ]] && return 0
    [[ -f "$inc" ]] && reaches_front_end "$inc" && return 0
  done < <(sed -n 's/^#include "\(\(compiler\|runtime\)\/[^"]*\)"/\1/p' "$file")
  return 1
}
for f in $(find runtime -name '*.cpp' -o -name '*.h' | sort); do
  seen=()
  reaches_front_end "$f" && bad+=("$f")
done
if ((${#bad[@]} > 0)); then
  echo "runtime files that reach the front end: ${bad[*]}" >&2
  exit 1
fi
echo "no file under runtime/ includes compiler/ast, compiler/sema or compiler/parse"

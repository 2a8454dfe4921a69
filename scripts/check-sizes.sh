#!/usr/bin/env bash
# Warns about source files over SOFT_LINES code lines and fails over HARD_LINES; prints each target's size.
set -euo pipefail
soft=${SOFT_LINES:-400}
hard=${HARD_LINES:-600}
status=0
count_code_lines() { grep -cv '^\s*\(//.*\)\?$' "$1" || true; }
while IFS= read -r file; do
    lines=$(count_code_lines "$file")
    if ((lines > hard)); then
        echo "error: $file: $lines code lines > $hard"
        status=1
    elif ((lines > soft)); then
        echo "warning: $file: $lines code lines > $soft"
    fi
done < <(find Sources Tests -name '*.swift' -not -path '*/Generated/*')
for target in Sources/*/; do
    total=0
    while IFS= read -r file; do total=$((total + $(count_code_lines "$file"))); done \
        < <(find "$target" -name '*.swift' -not -path '*/Generated/*')
    printf '%-28s %6d code lines\n' "$(basename "$target")" "$total"
done
exit $status

#!/usr/bin/env bash
# Every "## E<n>" label of docs/math.md is cited as "[E<n>]" in Sources/ and in Tests/, unless its ledger
# entry marks the code or the tests as "later" (work of a later issue), which is reported.
set -euo pipefail
status=0
for label in $(grep -oE '^## E[0-9]+' docs/math.md | awk '{print $2}'); do
    entry=$(awk -v heading="## $label:" 'index($0, heading) == 1 {on = 1; next} /^## / {on = 0} on' docs/math.md)
    for folder in Sources Tests; do
        if ! grep -rqF "[$label]" "$folder"; then
            if grep -q "later" <<<"$entry"; then
                echo "note: $label is not cited in $folder/ yet (the ledger marks it for later)"
            else
                echo "error: $label is not cited in $folder/"
                status=1
            fi
        fi
    done
done
exit $status

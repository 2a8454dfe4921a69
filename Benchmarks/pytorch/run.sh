#!/usr/bin/env bash
# Runs the PyTorch comparator for `vr bench` in a private virtual environment.
#
#   Benchmarks/pytorch/run.sh [bench_gpt.py arguments]     e.g.  run.sh --configs S --threads 2
#
# Creates Benchmarks/pytorch/.venv on first use (git-ignored), installs requirements.txt into it
# (again only when requirements.txt changes), then runs bench_gpt.py with the given arguments.
# JSON results go to stdout, progress to stderr. Environment:
#   PYTHON   interpreter used to create the venv (default python3)
#   VENV     venv directory (default Benchmarks/pytorch/.venv)
#   PIP_INDEX_URL / PIP_EXTRA_INDEX_URL are passed to pip as usual (e.g. for CPU-only torch wheels).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${VENV:-$here/.venv}"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating virtual environment in $venv" >&2
    "$python" -m venv "$venv"
fi

stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$wanted" ]]; then
    echo "installing $here/requirements.txt into $venv" >&2
    "$venv/bin/python" -m pip install -r "$here/requirements.txt" >&2
    echo "$wanted" > "$stamp"
fi

exec "$venv/bin/python" "$here/bench_gpt.py" "$@"

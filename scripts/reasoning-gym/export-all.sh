#!/usr/bin/env bash
# Rebuilds data/reasoning-gym/ (the committed exports and the score-agreement fixture) from reasoning-gym.
# Run from the repository root, outside CI: PYTHON=~/venvs/rg/bin/python bash scripts/reasoning-gym/export-all.sh
set -euo pipefail
python=${PYTHON:-python3}
export_family() { "$python" scripts/reasoning-gym/export.py "$@" --output-dir data/reasoning-gym; }

export_family gsm_symbolic --train 400 --test 200
export_family basic_arithmetic --train 400 --test 200 --name basic_arithmetic-2t-1to2d \
    --set min_terms=2 --set max_terms=2 --set min_digits=1 --set max_digits=2
for family in chain_sum products leg_counting simple_equations fraction_simplification decimal_arithmetic; do
    export_family "$family" --train 100 --test 50
done
"$python" scripts/reasoning-gym/agreement.py --data-dir data/reasoning-gym

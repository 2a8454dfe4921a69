#!/usr/bin/env bash
# Rebuilds data/reasoning-gym/ (the committed exports and the score-agreement fixture) from reasoning-gym.
# Run from the repository root, outside CI: PYTHON=~/venvs/rg/bin/python bash scripts/reasoning-gym/export-all.sh
set -euo pipefail
python=${PYTHON:-python3}
export_family() { "$python" scripts/reasoning-gym/export.py "$@" --output-dir data/reasoning-gym; }

# Small exports, one per family (only gsm_symbolic has a thought).
export_family gsm_symbolic --train 400 --test 200
export_family basic_arithmetic --train 400 --test 200 --name basic_arithmetic-2t-1to2d \
    --set min_terms=2 --set max_terms=2 --set min_digits=1 --set max_digits=2
for family in chain_sum products leg_counting simple_equations fraction_simplification decimal_arithmetic; do
    export_family "$family" --train 100 --test 50
done

# Worked-solution exports for fine-tuning (3000 train, 400 test each; difficulty = the family's default key).
export_family basic_arithmetic --train 3000 --test 400 --name rg-basic_arithmetic --thoughts worked \
    --set min_terms=2 --set max_terms=3 --set min_digits=1 --set max_digits=3
export_family chain_sum --train 3000 --test 400 --name rg-chain_sum --thoughts worked \
    --set min_terms=2 --set max_terms=4 --set min_digits=1 --set max_digits=3
export_family products --train 3000 --test 400 --name rg-products --thoughts worked \
    --set min_terms=2 --set max_terms=2 --set min_digits=1 --set max_digits=3
export_family leg_counting --train 3000 --test 400 --name rg-leg_counting --thoughts worked \
    --set min_animals=1 --set max_animals=4
export_family gsm_symbolic --train 3000 --test 400 --name rg-gsm_symbolic --thoughts worked

# The score_answer fixture covers the eight small exports only.
"$python" scripts/reasoning-gym/agreement.py --data-dir data/reasoning-gym \
    gsm_symbolic basic_arithmetic-2t-1to2d chain_sum products leg_counting simple_equations \
    fraction_simplification decimal_arithmetic

#!/usr/bin/env bash
# scripts/measure-families.sh VR_BINARY MODEL OUTPUT_DIR: how well pi0 (SFT of the base model on the worked
# solutions) solves each reasoning-gym family and difficulty, to choose the families of the real-model protocol
# (experiments/smollm2-protocol.json; docs/experiments.md gives the numbers).
#
# Trains on 300 training questions of each rg-* family, drawn by GNU shuf with a fixed random source (200 steps of 8 at
# peak rate 2e-4), and evaluates greedy decoding on the first 40 held-out questions of each family and difficulty. Takes about 50 minutes on a
# 2-core machine. Resumes an interrupted SFT.
set -euo pipefail
vr=${1:?usage: measure-families.sh VR_BINARY MODEL OUTPUT_DIR}
model=${2:?usage: measure-families.sh VR_BINARY MODEL OUTPUT_DIR}
out=${3:?usage: measure-families.sh VR_BINARY MODEL OUTPUT_DIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
families=(basic_arithmetic chain_sum products leg_counting gsm_symbolic)
mkdir -p "$out"
for family in "${families[@]}"; do
    shuf -n 300 --random-source=<(yes) "$root/data/reasoning-gym/rg-$family.train.jsonl"
done >"$out/train.jsonl"
python3 - "$root/data/reasoning-gym" "$out" "${families[@]}" <<'PY'
import collections, json, sys
data, out, families = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(f"{out}/test.jsonl", "w") as test:
    for family in families:
        cells = collections.defaultdict(list)
        for line in open(f"{data}/rg-{family}.test.jsonl"):
            cells[json.loads(line)["difficulty"]].append(line)
        for difficulty in sorted(cells):
            test.writelines(cells[difficulty][:40])
PY
"$vr" sft-data --tasks "$out/train.jsonl" --stage reasoning --tokenizer "$model" --output "$out/sft.jsonl"
echo '{"checkpointEvery": 25, "logEvery": 10}' >"$out/sft-config.json"
"$vr" sft --config "$out/sft-config.json" --data "$out/sft.jsonl" --initial "$model" --output "$out/pi0" \
    --steps 200 --batch-size 8 --learning-rate 0.0002 --seed 1 --resume
"$vr" eval --checkpoint "$out/pi0" --tasks "$out/test.jsonl" --temperature 0 --max-response-tokens 160

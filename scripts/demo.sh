#!/usr/bin/env bash
# The built-in default job: a toy corpus, supervised fine-tuning with progress, then held-out samples.
#
#   scripts/demo.sh VR_BINARY RUN_DIRECTORY
set -euo pipefail
vr=${1:?usage: demo.sh VR_BINARY RUN_DIRECTORY}
run=${2:?usage: demo.sh VR_BINARY RUN_DIRECTORY}
mkdir -p "$run"
echo "== 1. toy corpus: 2000 training examples, 20 held-out prompts"
"$vr" toy-data --output "$run/train.jsonl" --count 2000 --seed 1
"$vr" toy-data --output "$run/heldout.jsonl" --count 20 --seed 2
echo "== 2. supervised fine-tuning (vr sft)"
rm -rf "$run/checkpoint"
"$vr" sft --data "$run/train.jsonl" --output "$run/checkpoint"
echo "== 3. greedy answers on held-out prompts (vr sample)"
correct=0
total=0
while IFS= read -r line; do
    prompt=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["prompt"], end="")' "$line")
    expected=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["response"], end="")' "$line")
    answer=$("$vr" sample --checkpoint "$run/checkpoint" --prompt "$prompt" --temperature 0 --max-new-tokens 16 --json |
        python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["text"].replace("<|endoftext|>", ""), end="")')
    total=$((total + 1))
    if [[ "$answer" == "$expected" ]]; then correct=$((correct + 1)); mark=ok; else mark=WRONG; fi
    printf '  %-22q -> %-10q expected %-10q %s\n' "$prompt" "$answer" "$expected" "$mark"
done <"$run/heldout.jsonl"
echo "== held-out exact answers: $correct / $total (checkpoint in $run/checkpoint)"

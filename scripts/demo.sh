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
python3 - "$vr" "$run" <<'PY'
import json, subprocess, sys
vr, run = sys.argv[1], sys.argv[2]
correct = total = 0
for line in open(f"{run}/heldout.jsonl"):
    example = json.loads(line)
    output = subprocess.run(
        [vr, "sample", "--checkpoint", f"{run}/checkpoint", "--prompt", example["prompt"], "--temperature", "0",
         "--max-new-tokens", "16", "--json"], check=True, capture_output=True, text=True).stdout
    answer = json.loads(output.splitlines()[0])["text"].replace("<|endoftext|>", "")
    total += 1
    correct += answer == example["response"]
    mark = "ok" if answer == example["response"] else "WRONG"
    print(f"  {example['prompt']!r:24} -> {answer!r:10} expected {example['response']!r:10} {mark}")
print(f"== held-out exact answers: {correct} / {total} (checkpoint in {run}/checkpoint)")
PY

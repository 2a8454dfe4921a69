#!/usr/bin/env bash
# End-to-end checks of the `vr` binary: toy data, SFT, sampling, the weights report, CURVE key files, clear
# errors on bad input, a checkpoint that Python's safetensors loads, and (with VR_SMOLLM2 naming the model's GGUF
# file) every command on a real pretrained model (scripts/check-cli-smollm2.sh).
#
#   scripts/check-cli.sh VR_BINARY
set -uo pipefail
vr=${1:?usage: check-cli.sh VR_BINARY}
work=$(mktemp -d)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() { # check NAME COMMAND...: the command must succeed
    local name=$1
    shift
    if "$@" >"$work/out" 2>&1; then
        passed=$((passed + 1))
        echo "ok: $name"
    else
        failed=$((failed + 1))
        echo "FAILED: $name"
        sed 's/^/    /' "$work/out" | tail -20
    fi
}
refuses() { # refuses NAME PATTERN COMMAND...: the command must exit 1-127 (no crash) and print PATTERN
    local name=$1 pattern=$2
    shift 2
    "$@" >"$work/out" 2>&1
    local status=$?
    if ((status > 0 && status < 128)) && grep -q -- "$pattern" "$work/out"; then
        passed=$((passed + 1))
        echo "ok: $name"
    else
        failed=$((failed + 1))
        echo "FAILED: $name (exit $status)"
        sed 's/^/    /' "$work/out" | tail -20
    fi
}

check "toy data" "$vr" toy-data --output "$work/toy.jsonl" --count 300 --seed 3
check "sft writes a checkpoint" "$vr" sft --data "$work/toy.jsonl" --output "$work/ckpt" --steps 20 --batch-size 8
check "sample as JSON" bash -c "'$vr' sample --checkpoint '$work/ckpt' --prompt 'reverse: abcde' --count 2 \
    --max-new-tokens 8 --seed 1 --json | python3 -c 'import json,sys; rows=[json.loads(l) for l in sys.stdin]; \
    assert len(rows) == 2 and all(len(r[\"tokens\"]) == len(r[\"logProbs\"]) for r in rows), rows'"
cat >"$work/weights.json" <<'JSON'
{"questions": [{"id": "q", "traces": [{"logPi": [-1, -3], "logQ": [-2, -3], "correct": 2, "total": 4},
                                      {"logPi": [-2], "logQ": ["-inf"], "correct": 1, "total": 4}]}]}
JSON
refuses "weights: -inf under q is refused with its position" "question 0" "$vr" weights --input "$work/weights.json"
sed 's/"-inf"/0.5/' "$work/weights.json" >"$work/weights-positive.json"
refuses "weights: a positive log-prob is refused with its position" "logQTrace is 0.5 at question 0, trace 1, token 0" \
    "$vr" weights --input "$work/weights-positive.json"
sed 's/"correct": 2/"correct": 1.5/' "$work/weights.json" >"$work/weights-fraction.json"
refuses "weights: a count that is not an integer says so" "traces\[0\].correct: 1.5 is not an integer" \
    "$vr" weights --input "$work/weights-fraction.json"
sed 's/"-inf"/NaN/' "$work/weights.json" >"$work/weights-literal.json"
refuses "weights: a bare NaN is not JSON, and the message says how to write it" 'write non-finite log-probs' \
    "$vr" weights --input "$work/weights-literal.json"
sed -i 's/"-inf"/-1/' "$work/weights.json"
check "weights report sums to one" bash -c "'$vr' weights --input '$work/weights.json' | python3 -c \
    'import json,sys; q=json.load(sys.stdin)[\"questions\"][0]; assert abs(sum(q[\"weights\"]) - 1) < 1e-12, q'"
check "tasks export four families to JSONL" bash -c "'$vr' tasks --output '$work/tasks.jsonl' --count 5 --seed 2 \
    && python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; \
    assert len(rows) == 20 and len({r[\"family\"] for r in rows}) == 4, rows' '$work/tasks.jsonl'"
printf '{"prompt": "a", "response": "b"}\nnot json\n' >"$work/bad.jsonl"
refuses "malformed JSONL names the line" "line 2" "$vr" sft --data "$work/bad.jsonl" --output "$work/bad"
refuses "missing checkpoint is reported" "checkpoint" "$vr" sample --checkpoint "$work/none" --prompt x
if [ -n "${VR_SMOLLM2:-}" ]; then
    source "$root/scripts/check-cli-smollm2.sh"
else
    echo "skipped: the SmolLM2 checks (VR_SMOLLM2 names no GGUF file)"
fi
head -c 1000 "$work/ckpt/model.safetensors" >"$work/truncated.safetensors"
refuses "truncated checkpoint is reported" "truncated.safetensors" "$vr" sample --checkpoint "$work/truncated.safetensors" --prompt x
check "sft-data writes stage 1 and stage 2 examples, q's hinted with the worked solution or the answer" bash -c \
    "'$vr' sft-data --tasks '$work/tasks.jsonl' --stage reasoning --output '$work/pi.jsonl' \
    && '$vr' sft-data --tasks '$work/tasks.jsonl' --stage posterior --output '$work/q.jsonl' \
    && '$vr' sft-data --tasks '$work/tasks.jsonl' --stage posterior --hint answer --output '$work/q-answer.jsonl' \
    && ! grep -q 'begin_of_solution|>Answer' '$work/q.jsonl' && grep -q ' Answer: [^<]*<|end_of_solution|>' '$work/q.jsonl' \
    && [ \$(grep -c 'begin_of_solution|>Answer' '$work/q-answer.jsonl') = 20 ]"
check "eval reports Avg@k and pass@k as JSON" bash -c "'$vr' eval --checkpoint '$work/ckpt' --tasks \
    '$work/tasks.jsonl' --samples 2 --max-response-tokens 8 --json | python3 -c 'import json,sys; \
    r=json.load(sys.stdin); assert r[\"overall\"][\"questionCount\"] == 20, r; \
    assert 0 <= r[\"overall\"][\"averageAtK\"] <= r[\"overall\"][\"passAtK\"] <= 1, r'"
check "build-data writes one example per question" bash -c "'$vr' tasks --families addition --count 6 \
    --output '$work/addition.jsonl' && '$vr' build-data --tasks '$work/addition.jsonl' --posterior '$work/ckpt' \
    --reasoning '$work/ckpt' --traces 2 --answers-per-trace 1 --output '$work/built.jsonl' \
    && test \$(wc -l < '$work/built.jsonl') -eq 6"
# Its own workers must render q's prompts with the same hint, or every batch they send is refused.
check "build-data with the answer-only hint" timeout 300 "$vr" build-data --tasks "$work/addition.jsonl" \
    --posterior "$work/ckpt" --reasoning "$work/ckpt" --traces 2 --answers-per-trace 1 --hint answer \
    --output "$work/built-answer.jsonl"
check "experiment runs every arm of the tiny configuration and report writes tables, claims and charts" \
    bash -c "'$vr' experiment --config '$root/experiments/tiny.json' --run '$work/experiment' \
    && '$vr' report --run '$work/experiment' --output '$work/report' \
    && grep -q '^## Claims' '$work/report/README.md' && grep -q '| RFT |' '$work/report/README.md' \
    && test -s '$work/report/weight-by-difficulty.svg' && test -s '$work/report/training-loss-main.svg'"
# --records: a second run directory (another machine, a new checkout) continues from the records alone, with the
# initial models' measured cost.
check "experiment --records: a new run directory takes every finished run from the records and trains none again" \
    bash -c "'$vr' experiment --config '$root/experiments/tiny.json' --run '$work/records-a' --records '$work/records' \
    >/dev/null && '$vr' experiment --config '$root/experiments/tiny.json' --run '$work/records-b' \
    --records '$work/records' >'$work/records-b.out' && grep -q 'initial models are not needed' '$work/records-b.out' \
    && test \$(grep -c 'seed [12]: finished earlier' '$work/records-b.out') -eq 20 && ! find '$work/records' -name '*.safetensors' \
    | grep -q . && python3 -c 'import json, sys; a, b = (json.load(open(p)) for p in sys.argv[1:]); \
    sys.exit(a[\"arms\"] != b[\"arms\"] or a[\"initial\"][\"evaluation\"] != b[\"initial\"][\"evaluation\"] \
    or not 0 < a[\"initial\"][\"wallSeconds\"] == b[\"initial\"][\"wallSeconds\"])' \
    '$work/records-a/results.json' '$work/records-b/results.json'"
refuses "experiment refuses records of another experiment" "records of a different experiment" "$vr" experiment \
    --config "$root/experiments/addition-words.json" --run "$work/records-c" --records "$work/records"
check "demo runs as an experiment of the same runner: its table, results.json and a report" \
    bash -c "'$vr' demo --run '$work/demo' --workers 1 --model-steps 2 --reasoning-steps 5 --posterior-steps 5 \
    --train-questions 40 --test-questions 8 >'$work/demo.out' && grep -q '^all  *8  ' '$work/demo.out' \
    && test -s '$work/demo/results.json' && test -s '$work/demo/arms/variational/seed-1/worker-1.json' \
    && '$vr' report --run '$work/demo' --output '$work/demo-report' && grep -q 'demo' '$work/demo-report/README.md'"
learner_run=$(dirname "$(find "$work/experiment" -name metrics.jsonl -path '*variational*' | sort | head -1)")
check "report plots a learner run's curves" bash -c "'$vr' report --run '$learner_run' --output '$work/learner-report' \
    && grep -q '^# Learner run' '$work/learner-report/README.md' && test -s '$work/learner-report/loss.svg' \
    && grep -q 'steps skipped' '$work/learner-report/README.md'"
refuses "report names what a run directory lacks" "neither results.json" "$vr" report --run "$work" \
    --output "$work/none"
echo '{"name": "x", "tasks": [{"family": "addition"}], "arms": [{"name": "a", "method": "sft"}], "step": 1}' \
    >"$work/bad-experiment.json"
refuses "experiment names an unknown configuration key" 'unknown key' "$vr" experiment \
    --config "$work/bad-experiment.json" --run "$work/bad-run"
echo '{"model": {"layerCount": 1, "width": 32, "headCount": 2, "contextLength": 96, "vocabularySize": 268}}' \
    >"$work/short-context.json"
"$vr" sft --data "$work/toy.jsonl" --output "$work/short-ckpt" --config "$work/short-context.json" --steps 2 \
    --batch-size 8 >/dev/null
refuses "build-data names a question too long for the model" "context is 96" "$vr" build-data \
    --tasks "$work/tasks.jsonl" --posterior "$work/short-ckpt" --reasoning "$work/short-ckpt" --output "$work/none.jsonl"
refuses "learner names an unknown trace normalisation" "--normalization" "$vr" learner --tasks "$work/tasks.jsonl" \
    --run "$work/run" --reasoning "$work/ckpt" --posterior "$work/ckpt" --normalization mean
refuses "learner needs checkpoints or --resume" "--resume" "$vr" learner --tasks "$work/tasks.jsonl" --run "$work/run"
echo '{"modelSteps": 3, "reasoningOptimizer": {"learningRate": 0.002, "betta2": 0.9}}' >"$work/learner-typo.json"
refuses "learner --config names an unknown key and where it is" 'reasoningOptimizer: unknown key "betta2"' "$vr" learner \
    --tasks "$work/tasks.jsonl" --run "$work/run" --reasoning "$work/ckpt" --posterior "$work/ckpt" \
    --config "$work/learner-typo.json"
sed 's/betta2/beta2/' "$work/learner-typo.json" >"$work/learner.json"
check "learner --config with an option over it writes the effective configuration" bash -c "timeout 10 '$vr' learner \
    --tasks '$work/tasks.jsonl' --run '$work/config-run' --reasoning '$work/ckpt' --posterior '$work/ckpt' \
    --config '$work/learner.json' --model-steps 7 --request-endpoint 'tcp://127.0.0.1:*' \
    --publish-endpoint 'tcp://127.0.0.1:*' >/dev/null 2>&1; python3 -c 'import json,sys
c = json.load(open(\"$work/config-run/learner-config.json\"))
o = c[\"reasoningOptimizer\"]
assert c[\"modelSteps\"] == 7 and abs(o[\"learningRate\"] - 0.002) < 1e-9 and abs(o[\"beta2\"] - 0.9) < 1e-6, c
assert c[\"questionsPerStep\"] == 8 and abs(c[\"posteriorOptimizer\"][\"decayFloor\"] - 0.1) < 1e-6, c'"
refuses "learner resume without a checkpoint names the file" "learner.json" "$vr" learner \
    --tasks "$work/tasks.jsonl" --run "$work/empty-run" --resume
echo '{"rollout": {"temprature": 0.5}}' >"$work/worker-typo.json"
refuses "worker --config names an unknown key and where it is" 'rollout: unknown key "temprature"' "$vr" worker \
    --tasks "$work/tasks.jsonl" --config "$work/worker-typo.json"
check "worker --print-config prints the file with the options over it, and starts nothing" bash -c "
    '$vr' worker --tasks /nonexistent --config '$work/worker-typo.json' --print-config 2>/dev/null && exit 1
    echo '{\"rollout\": {\"traceTemperature\": 0.5}, \"seed\": 3}' >'$work/worker.json'
    '$vr' worker --tasks /nonexistent --config '$work/worker.json' --seed 9 --print-config | python3 -c 'import json,sys
c = json.load(sys.stdin)
assert c[\"seed\"] == 9 and abs(c[\"rollout\"][\"traceTemperature\"] - 0.5) < 1e-6, c'"
echo '{"request": 1}' >"$work/endpoints.json"
refuses "worker refuses a bad endpoints file" "endpoints.json" "$vr" worker --tasks "$work/tasks.jsonl" \
    --endpoints-file "$work/endpoints.json"
refuses "worker names a missing endpoints file" "the endpoints file $work/none.json cannot be read" "$vr" worker \
    --tasks "$work/tasks.jsonl" --endpoints-file "$work/none.json"
refuses "demo refuses one starting checkpoint without the other" "both" "$vr" demo --reasoning "$work/ckpt"
check "keys writes a CURVE key pair" "$vr" keys --directory "$work" --name learner
check "the secret key file is private" test "$(stat -c %a "$work/learner.key")" = 600
refuses "keys never overwrites a key file" "never overwritten" "$vr" keys --directory "$work" --name learner
install -m 644 "$work/learner.key" "$work/open.key"
check "build-data with CURVE: its own workers get admitted keys" bash -c "'$vr' build-data --tasks \
    '$work/addition.jsonl' --posterior '$work/ckpt' --reasoning '$work/ckpt' --traces 2 --answers-per-trace 1 \
    --normalization exact --output '$work/built-curve.jsonl' --curve-secret-key '$work/learner.key' \
    --curve-allowed-workers '$work/learner.pub' && test \$(wc -l < '$work/built-curve.jsonl') -eq 6"
refuses "worker refuses a secret key file that others can read" "chmod 600" "$vr" worker \
    --tasks "$work/tasks.jsonl" --curve-secret-key "$work/open.key" --curve-learner-key "$work/learner.pub"
refuses "worker needs both CURVE flags" "go together" "$vr" worker --tasks "$work/tasks.jsonl" \
    --curve-secret-key "$work/learner.key"
echo "not-a-key" >"$work/bad.pub"
refuses "worker names a malformed public key file" "bad.pub:1: not a CURVE key" "$vr" worker \
    --tasks "$work/tasks.jsonl" --curve-secret-key "$work/learner.key" --curve-learner-key "$work/bad.pub"

# Python's safetensors reads the checkpoint (a private environment under .build/).
venv=.build/python-venv
# PyYAML is for scripts/check-deploy.py, which `make test` runs next in the same environment.
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import numpy, safetensors, yaml' 2>/dev/null; then
    python3 -m venv "$venv" && "$venv/bin/pip" install -q numpy safetensors pyyaml >"$work/pip.log" 2>&1 ||
        { echo "could not install numpy, safetensors and pyyaml:"; tail -5 "$work/pip.log"; }
fi
check "Python safetensors loads the checkpoint" "$venv/bin/python" scripts/check_safetensors.py "$work/ckpt"

echo "cli: $passed passed, $failed failed"
((failed == 0))

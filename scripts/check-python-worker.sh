#!/usr/bin/env bash
# The Python worker of Tests/PythonWorker, written from docs/protocol.md alone, trains a real learner: a tiny
# byte-level model is fine-tuned to close its thoughts, `vr learner` serves it on loopback, and the Python worker
# (no Swift worker) samples for it until the learner has taken a posterior-phase step (traces from pi) and a
# model-phase step (traces from q with the hint) and stops. Passes only if no batch of the worker was refused.
#
#   scripts/check-python-worker.sh VR_BINARY
#
# Creates or completes the project's Python environment .build/python-venv (numpy, pyzmq and protobuf 4.21.12,
# the runtime of the code protoc 3.21 generates). Takes under a minute once that environment exists.
set -uo pipefail
vr=$(realpath "${1:?usage: check-python-worker.sh VR_BINARY}")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$root/.build/python-venv
work=$(mktemp -d)
pids=()
workers=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
report() { # report NAME STATUS [LOG...]: counts a check; on failure shows the tails of the logs
    local name=$1 status=$2
    shift 2
    if ((status == 0)); then
        passed=$((passed + 1))
        echo "ok: $name"
    else
        failed=$((failed + 1))
        echo "FAILED: $name"
        for log in "$@"; do [[ -f $log ]] && { echo "  $(basename "$log"):"; tail -15 "$log" | sed 's/^/    /'; }; done
    fi
}
finish() {
    echo "python-worker: $passed passed, $failed failed"
    ((failed == 0))
    exit
}
# shellcheck source=lib/wait-for.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/wait-for.sh"

# 1. The Python environment.
python=$venv/bin/python
has_packages() { "$python" -c 'import numpy, zmq, google.protobuf as p; assert p.__version__ == "4.21.12"' 2>/dev/null; }
if [[ ! -x $python ]] || ! has_packages; then
    { [[ -x $python ]] || python3 -m venv "$venv"; } &&
        "$venv/bin/pip" install -q numpy pyzmq protobuf==4.21.12 >"$work/pip.log" 2>&1
fi
has_packages
report "the Python environment has numpy, pyzmq and protobuf 4.21.12" $? "$work/pip.log"
((failed == 0)) || finish

# 2. The fingerprint recipe, on the test vector docs/protocol.md gives.
printf '%s\n' '{"id": "a1", "question": "2+3=?", "answer": 5, "verifier": "numeric"}' \
    '{"question": "7+8=?", "solution": "7+8=15\nAnswer: 15", "worked_solution": "7+8=15", "verifier": "numeric"}' \
    >"$work/vector.jsonl"
vector=$(cd "$root/Tests/PythonWorker" &&
    PYTHONDONTWRITEBYTECODE=1 "$python" -c 'import sys, tasks; print(tasks.fingerprint(tasks.read_tasks(sys.argv[1])))' \
        "$work/vector.jsonl" 2>&1)
[[ $vector == 070ef90073a413f1 ]]
report "the Python fingerprint of the documented test vector is 070ef90073a413f1 ($vector)" $?

# 3. Tasks, and one tiny model trained on both stages' SFT data, which serves as pi and as q.
{
    "$vr" tasks --families addition --count 32 --maximum-difficulty 1 --seed 11 --output "$work/tasks.jsonl" &&
        "$vr" sft-data --tasks "$work/tasks.jsonl" --stage reasoning --output "$work/pi.jsonl" &&
        "$vr" sft-data --tasks "$work/tasks.jsonl" --stage posterior --output "$work/q.jsonl" &&
        cat "$work/pi.jsonl" "$work/q.jsonl" >"$work/sft.jsonl" &&
        echo '{"model": {"layerCount": 1, "width": 32, "headCount": 2, "contextLength": 128, "vocabularySize": 268}}' \
            >"$work/model.json" &&
        "$vr" sft --data "$work/sft.jsonl" --output "$work/model" --config "$work/model.json" --steps 300 \
            --batch-size 16
} >"$work/setup.log" 2>&1
report "vr writes tasks and trains a model that closes its thoughts" $? "$work/setup.log"
((failed == 0)) || finish

# 4. The learner on free loopback ports: two posterior and two model steps, then it stops.
"$vr" learner --tasks "$work/tasks.jsonl" --run "$work/run" --reasoning "$work/model" --posterior "$work/model" \
    --request-endpoint 'tcp://127.0.0.1:*' --publish-endpoint 'tcp://127.0.0.1:*' \
    --endpoints-file "$work/endpoints.json" --model-steps 2 --questions-per-step 4 --questions-per-assignment 2 \
    --traces 2 --prior-traces 2 --worker-timeout 30 >"$work/learner.log" 2>&1 &
learner=$!
pids+=("$learner")
wait_for 60 test -s "$work/endpoints.json"
report "the learner serves" $? "$work/learner.log"
((failed == 0)) || finish

# 5. Two Python workers until the learner has finished its steps: one answers each assignment with one batch, the
#    other streams it, one batch per question, last question first.
for mode in whole stream; do
    PYTHONDONTWRITEBYTECODE=1 "$python" "$root/Tests/PythonWorker/worker.py" --tasks "$work/tasks.jsonl" \
        --endpoints-file "$work/endpoints.json" --id "python-worker-$mode" --learner-gone-seconds 10 \
        $([[ $mode == stream ]] && echo --stream) --seed "${#mode}" >"$work/worker-$mode.log" 2>&1 &
    workers+=($!)
    pids+=($!)
done
wait_for 240 bash -c "! kill -0 $learner 2>/dev/null"
report "the learner finishes within 4 minutes" $? "$work/learner.log" "$work"/worker-*.log
((failed == 0)) || finish
wait "$learner"
report "the learner exits 0" $? "$work/learner.log"
for worker in "${workers[@]}"; do
    kill -TERM "$worker" 2>/dev/null
    wait "$worker"
    report "a Python worker exits 0" $? "$work"/worker-*.log
done

# 6. Both phases trained on the worker's batches, and nothing it sent was refused.
"$python" - "$work/run/metrics.jsonl" >"$work/metrics.log" 2>&1 <<'PY'
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1])]
phases = [step["phase"] for step in steps]
assert len(steps) >= 2 and {"posterior", "model"} <= set(phases), f"steps by phase: {phases}"
last = steps[-1]
assert last["rejectedBatches"] == 0 and not last.get("rejections"), f"refusals: {last}"
print(f"{len(steps)} steps ({', '.join(phases)}), {sum(step['traces'] for step in steps)} traces")
PY
status=$?
report "the learner took a posterior and a model step and refused nothing: $(tail -1 "$work/metrics.log")" \
    $status "$work/metrics.log" "$work/learner.log"
accepted=$(cat "$work"/worker-*.log | grep -c ': BATCH_STATUS_ACCEPTED$')
grep -q 'finished:.*rejected 0;.*messages refused 0$' "$work/learner.log" && ! grep -q 'refused ' "$work"/worker-*.log &&
    ((accepted >= 2))
report "every batch of the Python workers was accepted ($accepted)" $? "$work/learner.log" "$work"/worker-*.log
# The streaming worker returned at least one assignment over two batches.
split=$(grep -o 'sent: assignment [0-9]*, 1 questions' "$work/worker-stream.log" | sort | uniq -d | wc -l)
((split >= 1))
report "the streaming worker returned $split assignments in parts, last question first" $? "$work/worker-stream.log"
finish

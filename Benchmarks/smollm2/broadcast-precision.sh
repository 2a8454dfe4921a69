#!/usr/bin/env bash
# The learner's parameter broadcast on SmolLM2-135M-Instruct (pi and q, 1,080 MB in float32) in float32 against
# bfloat16 (`vr learner --broadcast-precision`), end to end on loopback: from the moment the learner starts to
# publish a version (it encodes the snapshot, then queues it) until a worker holds the whole version, checked
# and decoded to float32 (its `received` event). One learner with --fixed-posterior and one worker per run; the
# precisions alternate, ROUNDS (default 2) times each, and every published version after the first counts.
#
#   Benchmarks/smollm2/broadcast-precision.sh [VR_BINARY]     (default .build/release/vr)
#
# Prints each version's time per precision, then the median of each and their ratio. Run it on an otherwise idle
# machine; the worker samples while it receives, as in a real run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
vr=$(realpath "${1:-$root/.build/release/vr}")
rounds=${ROUNDS:-2}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT

model=$(bash "$root/scripts/fetch-smollm2.sh")
head -8 "$root/data/reasoning-gym/basic_arithmetic-2t-1to2d.train.jsonl" >"$work/tasks.jsonl"
echo "work: $work" >&2
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"

run() { # precision, round
    local precision=$1 run="$work/$1-$2"
    "$vr" learner --tasks "$work/tasks.jsonl" --run "$run" --reasoning "$model" --posterior "$model" \
        --fixed-posterior --model-steps 4 --questions-per-step 1 --traces 2 --questions-per-assignment 1 \
        --learning-rate 0.00001 --broadcast-precision "$precision" --request-endpoint 'tcp://127.0.0.1:*' \
        --publish-endpoint 'tcp://127.0.0.1:*' --endpoints-file "$run.endpoints.json" --json >"$run.learner.log" 2>&1 &
    local learner=$!
    for _ in $(seq 600); do test -s "$run.endpoints.json" && break; sleep 0.1; done
    "$vr" worker --tasks "$work/tasks.jsonl" --tokenizer "$model" --endpoints-file "$run.endpoints.json" --id w \
        --answers-per-trace 1 --max-trace-tokens 16 --learner-gone-seconds 20 --json >"$run.worker.log" 2>&1 &
    local worker=$!
    wait $learner
    kill $worker 2>/dev/null || true
    wait $worker 2>/dev/null || true
    python3 - "$run.learner.log" "$run.worker.log" "$precision" >>"$work/times.tsv" <<'PY'
import json, sys
def events(path, name):
    for line in open(path):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == name:
            yield record
started = {int(r["version"]): float(r["time"]) - float(r["seconds"]) for r in events(sys.argv[1], "published")}
sizes = {int(r["version"]): int(r["bytes"]) for r in events(sys.argv[1], "published")}
for r in events(sys.argv[2], "received"):
    version = int(r["version"])
    if version in started:
        print(f"{sys.argv[3]}\t{version}\t{sizes[version]}\t{float(r['time']) - started[version]:.3f}")
PY
}

for round in $(seq "$rounds"); do
    for precision in float32 bfloat16; do
        echo "round $round: $precision ..." >&2
        run "$precision" "$round"
    done
done
echo "precision version bytes seconds"
column -t "$work/times.tsv"
python3 - "$work/times.tsv" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    precision, _, _, seconds = line.split("\t")
    times.setdefault(precision, []).append(float(seconds))
if set(times) != {"float32", "bfloat16"}:
    sys.exit(f"missing measurements: {sorted(times)}")
median = {p: statistics.median(t) for p, t in times.items()}
for p, t in times.items():
    print(f"{p}: median {median[p]:.3f} s over {len(t)} versions (range {min(t):.3f}-{max(t):.3f})")
print(f"bfloat16 / float32 time: {median['bfloat16'] / median['float32']:.2f}")
PY

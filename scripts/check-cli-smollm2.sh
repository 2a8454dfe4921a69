# The command-line checks on the real model, SmolLM2-135M-Instruct (VR_SMOLLM2 names its GGUF file): sourced by
# scripts/check-cli.sh, whose `check` and `refuses`, `$vr`, `$work` and `$root` it uses. Step counts are small; each
# check says what it shows.

smollm2=$VR_SMOLLM2
gym="$root/data/reasoning-gym"
# Four held-out and eight training problems of the simplest reasoning-gym family.
head -4 "$gym/basic_arithmetic-2t-1to2d.test.jsonl" >"$work/gym-test.jsonl"
head -8 "$gym/basic_arithmetic-2t-1to2d.train.jsonl" >"$work/gym-train.jsonl"

check "SmolLM2 answers a chat prompt" bash -c "'$vr' sample --checkpoint '$smollm2' --chat --temperature 0 \
    --prompt 'What is the capital of France? Answer in one sentence.' --max-new-tokens 32 --json | python3 -c \
    'import json,sys; r=json.loads(sys.stdin.read()); assert \"Paris\" in r[\"text\"] and \
    r[\"finishReason\"] == \"stop <|im_end|>\" and r[\"promptTokens\"][0] == 1 and \
    r[\"logProbTemperature\"] == 1, r'"

check "SmolLM2: eval reports accuracy on reasoning-gym problems" bash -c "'$vr' eval --checkpoint '$smollm2' \
    --tasks '$work/gym-test.jsonl' --style plain --temperature 0 --max-response-tokens 48 --json | python3 -c \
    'import json,sys; r=json.load(sys.stdin)[\"overall\"]; \
    assert r[\"questionCount\"] == 4 and 0 <= r[\"averageAtK\"] <= 1, r'"

# SFT overfits eight examples: the last step's loss is well below the first's; the output directory is a complete
# Hugging Face model (config, weights, tokenizer) that vr reads back with its tokenizer and chat format.
cat >"$work/smollm2-sft.json" <<'JSON'
{"steps": 6, "batchSize": 4, "learningRate": 0.0002, "warmupSteps": 1, "logEvery": 1}
JSON
check "SmolLM2: sft lowers the loss and writes a checkpoint that loads back" bash -c "'$vr' sft-data \
    --tasks '$work/gym-train.jsonl' --stage reasoning --output '$work/gym-sft.jsonl' \
    && '$vr' sft --initial '$smollm2' --config '$work/smollm2-sft.json' --data '$work/gym-sft.jsonl' \
    --output '$work/smollm2-sft' >'$work/sft.log' \
    && python3 -c 'import re,sys; losses=[float(x) for x in re.findall(r\"^step \\d+/\\d+ loss ([0-9.]+)\", \
    open(sys.argv[1]).read(), re.M)]; assert len(losses) == 6 and losses[-1] < 0.8 * losses[0], losses' \
    '$work/sft.log' \
    && test -s '$work/smollm2-sft/tokenizer.json' && grep -q '\"model_type\" *: *\"llama\"' \
    '$work/smollm2-sft/config.json' \
    && '$vr' sample --checkpoint '$work/smollm2-sft' --chat --temperature 0 --prompt 'What is 2 + 3?' \
    --max-new-tokens 16 --json | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); \
    assert r[\"promptTokens\"][0] == 1 and len(r[\"tokens\"]) > 0, r'"

check "SmolLM2: build-data writes one example per question with two workers" bash -c "'$vr' build-data \
    --tasks '$work/gym-test.jsonl' --posterior '$smollm2' --reasoning '$smollm2' --workers 2 --traces 2 \
    --answers-per-trace 1 --max-trace-tokens 24 --output '$work/gym-built.jsonl' \
    && test \$(wc -l < '$work/gym-built.jsonl') -eq 4"

# The variational loop on loopback: a learner with pi and q initialised from SmolLM2 and two workers take two
# model-phase steps; the run's checkpoint holds both models with their tokenizer.
check "SmolLM2: a learner and two workers take variational steps" bash -c "'$vr' learner \
    --tasks '$work/gym-train.jsonl' --run '$work/smollm2-run' --reasoning '$smollm2' --posterior '$smollm2' \
    --model-steps 2 --questions-per-step 2 --traces 2 --prior-traces 2 --questions-per-assignment 1 \
    --learning-rate 0.00001 --posterior-learning-rate 0.00001 --worker-timeout 60 \
    --request-endpoint 'tcp://127.0.0.1:*' \
    --publish-endpoint 'tcp://127.0.0.1:*' --endpoints-file '$work/smollm2-endpoints.json' \
    >'$work/smollm2-learner.log' 2>&1 & learner=\$!; \
    for i in \$(seq 300); do test -s '$work/smollm2-endpoints.json' && break; sleep 0.1; done; \
    for i in 1 2; do '$vr' worker --tasks '$work/gym-train.jsonl' --tokenizer '$smollm2' \
        --endpoints-file '$work/smollm2-endpoints.json' --id smollm2-worker-\$i --seed \$i --answers-per-trace 1 \
        --max-trace-tokens 24 --learner-gone-seconds 20 >'$work/smollm2-worker-\$i.log' 2>&1 & done; \
    wait \$learner || { tail -20 '$work/smollm2-learner.log'; exit 1; }; wait; \
    test \$(grep -c '\"phase\": *\"model\"' '$work/smollm2-run/metrics.jsonl') -ge 2 \
    && test -s '$work/smollm2-run/checkpoint/reasoning/tokenizer.json'"

# The experiment on the real model (experiments/smollm2-tiny.json, paths from the repository root): pi0 and q by SFT
# from SmolLM2 in its chat format, then an SFT arm, a variational, an RFT and a GRPO arm through learners and workers
# and an offline variational arm from q's trace pool, each evaluated on held-out problems beside the base model's own
# scores; the report reads the results.
check "SmolLM2: experiment trains every arm from the pretrained base model and report reads it" bash -c "cd '$root' \
    && '$vr' experiment --config experiments/smollm2-tiny.json --run '$work/smollm2-experiment' \
    >'$work/smollm2-experiment.log' 2>&1 \
    && python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); \
    assert [a[\"name\"] for a in r[\"arms\"]] == [\"sft\", \"variational\", \"offline\", \"rft\", \"grpo\"], r[\"arms\"]; \
    assert all(a[\"runs\"][0][\"modelSteps\"] == 2 for a in r[\"arms\"]), r[\"arms\"]; \
    assert r[\"initial\"][\"evaluation\"][\"overall\"][\"questionCount\"] == 4, r[\"initial\"]; \
    assert r[\"base\"][\"evaluation\"][\"overall\"][\"questionCount\"] == 4, r[\"base\"]; \
    assert [p[\"source\"] for p in r[\"pools\"]] == [\"q\"] and r[\"pools\"][0][\"questions\"] == 4, r[\"pools\"]' \
    '$work/smollm2-experiment/results.json' \
    && grep -q '<|im_start|>' '$work/smollm2-experiment/arms/variational/seed-1/learner/checkpoint/reasoning/tokenizer_config.json' \
    && '$vr' report --run '$work/smollm2-experiment' --output '$work/smollm2-report' >/dev/null \
    || { tail -30 '$work/smollm2-experiment.log'; exit 1; }"

#!/usr/bin/env bash
# Compares vr with llama.cpp and transformers/PyTorch on SmolLM2-135M-Instruct, the same weights in float32 on
# every side, back to back on this machine, and prints each side, the ratios and peak memory.
#
#   Benchmarks/smollm2/compare.sh [VR_BINARY]        (default .build/release/vr; build it with `make build`)
#
# - vr: `vr bench --model F32.gguf --batches 1,32` (sampling 64 prompt + 128 new tokens per sequence, prefill
#   included; training 4 x 256 tokens with AdamW).
# - llama.cpp: `llama-batched-bench` on the same F32 GGUF, -npp 64 -ntg 128 -npl 1,32, built by
#   build-llama-cpp.sh (outside the repository); its F32 file is written by `llama-quantize --allow-requantize`
#   from the Q4_1 file scripts/fetch-smollm2.sh fetches, so all sides hold the Q4_1 weights dequantized.
# - transformers: bench_transformers.py (generate with its KV cache; PyTorch training on the same shapes), in the
#   virtual environment VENV (default ~/.cache/vr-smollm2-venv, created with torch, transformers, accelerate
#   and gguf).
#
# Environment: ROUNDS (default 1) runs all three sides that many times in turn and ends with the median ratio and
# its range; REPEATS (default 3) timed runs per measurement; VR_THREADS (default 2) threads on every side. Run it
# on an otherwise idle machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
vr=$(realpath "${1:-$root/.build/release/vr}")
threads=${VR_THREADS:-2}
rounds=${ROUNDS:-1}
repeats=${REPEATS:-3}
venv=${VENV:-$HOME/.cache/vr-smollm2-venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

quantized=$(bash "$root/scripts/fetch-smollm2.sh")
tools=$(bash "$here/build-llama-cpp.sh")
model="$(dirname "$quantized")/SmolLM2-135M-Instruct.F32.gguf"
if [[ ! -s "$model" ]]; then
    echo "writing $model with llama-quantize ..." >&2
    "$tools/llama-quantize" --allow-requantize "$quantized" "$model.partial" F32 >&2
    mv "$model.partial" "$model"
fi
if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating virtual environment in $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet torch transformers accelerate gguf numpy >&2
fi

for round in $(seq "$rounds"); do
    echo "round $round of $rounds: vr bench (threads $threads) ..." >&2
    VR_THREADS="$threads" "$vr" bench --model "$model" --batches 1,32 --json --repeats "$repeats" \
        >"$work/vr-$round.jsonl"
    echo "round $round of $rounds: llama-batched-bench (threads $threads) ..." >&2
    /usr/bin/time -f '%M' -o "$work/llama-rss-$round" "$tools/llama-batched-bench" -m "$model" -t "$threads" \
        -tb "$threads" -c 8192 -b 2048 -ub 512 -npp 64 -ntg 128 -npl 1,32 --output-format jsonl \
        2>"$work/llama-$round.log" | grep '^{' >"$work/llama-$round.jsonl" \
        || { cat "$work/llama-$round.log" >&2; exit 1; }
    echo "round $round of $rounds: transformers (threads $threads) ..." >&2
    "$venv/bin/python" "$here/bench_transformers.py" "$model" --threads "$threads" --batches 1,32 \
        --repeats "$repeats" >"$work/transformers-$round.jsonl"
done

python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
ratios = {}
def lines(path):
    return [json.loads(line) for line in open(path) if line.strip()]
for round in range(1, rounds + 1):
    vr = {int(r["configuration"].rsplit(" b", 1)[1]): r for r in lines(f"{work}/vr-{round}.jsonl")}
    llama = {r["pl"]: r for r in lines(f"{work}/llama-{round}.jsonl")}
    llama_rss = int(open(f"{work}/llama-rss-{round}").read().split()[-1]) / 1024
    torch = {(r["metric"], r["batch"]): r for r in lines(f"{work}/transformers-{round}.jsonl")}
    side = next(iter(vr.values()))
    machine = side["machine"]
    if rounds > 1:
        print(f"round {round}")
    print(f"CPU {machine['processor']}; vr C kernels {machine['kernels']}, OpenBLAS {machine['blasKernels']}; "
          f"threads {side['threads']}; torch {next(iter(torch.values()))['torch_version']}")
    print(f"{'measure':22} {'vr tok/s':>9} {'llama.cpp':>10} {'(decode)':>9} {'transformers':>13} "
          f"{'vr/llama':>9} {'vr/tf':>6}  {'memory bound':>12} {'compute bound':>13}")
    for batch in sorted(vr):
        v = vr[batch]
        l = llama[batch]
        generated = l["pl"] * l["tg"] / l["t"]  # new tokens over prefill + decoding, as vr and transformers count
        t = torch[("sample", batch)]["tokens_per_s"]
        rate = v["samplingTokensPerSecond"]
        memory_bound = v["samplingMemoryBoundTokensPerSecond"]
        # The rate at which this run's arithmetic would go at the measured sgemm peak.
        compute_bound = rate * v["sgemmPeakGFLOPS"] / v["samplingGFLOPS"]
        print(f"{'sample b' + str(batch):22} {rate:9.1f} {generated:10.1f} {l['speed_tg']:9.1f} {t:13.1f} "
              f"{rate / generated:9.2f} {rate / t:6.2f}  {memory_bound:12.0f} {compute_bound:13.0f}")
        ratios.setdefault(f"sample b{batch} vs llama.cpp", []).append(rate / generated)
        ratios.setdefault(f"sample b{batch} vs llama.cpp decode", []).append(rate / l["speed_tg"])
        ratios.setdefault(f"sample b{batch} vs transformers", []).append(rate / t)
    v = vr[max(vr)]
    t = torch[("train", 4)]["tokens_per_s"]
    print(f"{'train 4x256':22} {v['trainingTokensPerSecond']:9.1f} {'':>10} {'':>9} {t:13.1f} {'':>9} "
          f"{v['trainingTokensPerSecond'] / t:6.2f}")
    ratios.setdefault("train vs PyTorch", []).append(v["trainingTokensPerSecond"] / t)
    print(f"peak RSS MiB: vr {side['peakResidentMebibytes']:.0f} (bench process: training and sampling), "
          f"llama.cpp {llama_rss:.0f}, transformers {max(r['peak_resident_mib'] for r in torch.values()):.0f}")
    print(f"vr: sgemm peak {side['sgemmPeakGFLOPS']:.1f} GFLOP/s; sampling GFLOP/s "
          + ", ".join(f"b{b} {vr[b]['samplingGFLOPS']:.1f}" for b in sorted(vr))
          + f"; training {v['trainingGFLOPS']:.1f} GFLOP/s; streaming "
          + ", ".join(f"b{b} {vr[b]['samplingStreamingGBPerSecond']:.1f}" for b in sorted(vr)) + " GB/s")
print(f"ratios over {rounds} round(s): median (lowest-highest)")
for name, values in ratios.items():
    print(f"  {name:34} {statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})")
PY

#!/usr/bin/env bash
# Runs `vr bench` and the PyTorch comparator back to back on this machine and prints both sides and the
# ratios, for the reference configurations S and M.
#
#   Benchmarks/compare.sh [VR_BINARY]        (default .build/release/vr; build it with `make build`)
#
# ROUNDS=N runs both sides N times in turn and ends with the median ratio, for a noisy machine; each round's
# ratio compares the two sides of that round. REPEATS (default 3) is passed to both as timed runs per
# measurement.
#
# ISA=avx2 restricts both sides to AVX2 + FMA on a machine with AVX-512, to measure the AVX2 path where no
# AVX2-only machine is at hand: vr runs its AVX2 kernels (VR_KERNELS) and OpenBLAS its Haswell ones, PyTorch its
# AVX2 kernels (ATEN_CPU_CAPABILITY), MKL and oneDNN theirs. A CPU that runs AVX-512 at full width may still run
# AVX2 code differently from an AVX2-only CPU; both sides print the processor they ran on.
#
# The PyTorch side runs in the virtual environment of Benchmarks/pytorch/run.sh (set VENV to reuse one).
# Run it on an otherwise idle machine: both sides use every core.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vr=${1:-.build/release/vr}
threads=${VR_THREADS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

vr_environment=()
torch_environment=()
case "${ISA:-}" in
    "") ;;
    avx2)
        vr_environment=(VR_KERNELS=avx2 OPENBLAS_CORETYPE=Haswell)
        torch_environment=(ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 ONEDNN_MAX_CPU_ISA=AVX2)
        ;;
    *)
        echo "ISA=$ISA: only avx2 can be emulated" >&2
        exit 2
        ;;
esac

rounds=${ROUNDS:-1}
for round in $(seq "$rounds"); do
    echo "round $round of $rounds: vr bench (threads $threads) ..." >&2
    env "${vr_environment[@]}" VR_THREADS="$threads" "$vr" bench --json --repeats "${REPEATS:-3}" \
        >"$work/vr-$round.jsonl"
    echo "round $round of $rounds: PyTorch eager (threads $threads) ..." >&2
    env "${torch_environment[@]}" "$here/pytorch/run.sh" --threads "$threads" --repeats "${REPEATS:-3}" \
        >"$work/torch-$round.jsonl"
done

python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
ratios = {}
for round in range(1, rounds + 1):
    vr = {r["configuration"]: r for r in map(json.loads, open(f"{work}/vr-{round}.jsonl"))}
    torch = {r["config"]: r for r in map(json.loads, open(f"{work}/torch-{round}.jsonl"))}
    if rounds > 1:
        print(f"round {round}")
    machine = next(iter(vr.values())).get("machine", {})
    torch_side = next(iter(torch.values()))
    print(f"vr: {machine.get('processor', '?')}, C kernels {machine.get('kernels', '?')}, "
          f"Swift kernels {machine.get('swiftKernels', '?')}, "
          f"OpenBLAS {machine.get('blasKernels', '?')}; "
          f"torch {torch_side['torch_version']}: CPU capability {torch_side.get('cpu_capability', '?')}")
    print(f"{'config':6} {'metric':10} {'vr tok/s':>10} {'torch tok/s':>12} {'ratio':>6}   vr GFLOP/s (% of sgemm peak)")
    for name in sorted(vr):
        v, t = vr[name], torch.get(name)
        if t is None:
            continue
        for metric, vk, tk, gk in (("train", "trainingTokensPerSecond", "train_tokens_per_s", "trainingGFLOPS"),
                                   ("sample", "samplingTokensPerSecond", "sample_tokens_per_s", "samplingGFLOPS")):
            share = 100 * v[gk] / v["sgemmPeakGFLOPS"]
            print(f"{name:6} {metric:10} {v[vk]:10.0f} {t[tk]:12.0f} {v[vk] / t[tk]:6.2f}   {v[gk]:.1f} ({share:.0f}%)")
            ratios.setdefault((name, metric), []).append(v[vk] / t[tk])
    print(f"sgemm peak measured by vr bench: {next(iter(vr.values()))['sgemmPeakGFLOPS']:.1f} GFLOP/s")
    print("sampling memory bound (vr bench: the weights and key/value reads no decoding step avoids, at the measured")
    print("streaming rate over the sampling working set, with no time for arithmetic):")
    for name in sorted(vr):
        v, t = vr[name], torch.get(name)
        if t is None:
            continue
        bound = v["samplingMemoryBoundTokensPerSecond"]
        ratios.setdefault((name, "bound"), []).append(bound / t["sample_tokens_per_s"])
        print(f"{name:6} {bound:10.0f} tok/s at {v['samplingStreamingGBPerSecond']:.1f} GB/s = "
              f"{bound / t['sample_tokens_per_s']:.2f}x torch; vr reaches {100 * v['samplingTokensPerSecond'] / bound:.0f}% of it")
if rounds > 1:
    print(f"ratio to torch over {rounds} rounds (bound: the sampling memory bound): median (lowest-highest)")
    for (name, metric), values in sorted(ratios.items()):
        print(f"{name:6} {metric:10} {statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})")
PY

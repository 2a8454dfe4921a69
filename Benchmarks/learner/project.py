#!/usr/bin/env python3
"""Projects the learner's model-step time to N machines from `vr bench --suite learner --json` measurements.

    python3 Benchmarks/learner/project.py ONE_RANK.json SPLIT.json [--questions Q] [--ranks 1,2,4,8,16]

ONE_RANK.json: one process using the whole machine (its step time is one machine's compute). SPLIT.json: the same
bench under `mpirun -n 2` on this machine, whose allreduce time gives the loopback (shared-memory) bandwidth.
Each of N machines like this one computes its share of the step's questions (the learner splits whole questions,
so ceil(Q / N) of Q at most), then the ranks sum the float32 gradient G with a ring allreduce, which sends
2 (N - 1) / N G per rank: time = 2 (N - 1) / N G / bandwidth + 2 (N - 1) latency. Prints the projected step time
and speedup for the measured loopback bandwidth and for 10 and 1 Gbit/s Ethernet (1.1 and 0.11 GB/s effective,
50 us latency).
"""

import argparse
import json
import math


def read(path):
    with open(path, encoding="utf-8") as handle:
        return json.loads(handle.read().strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("one_rank")
    parser.add_argument("split")
    parser.add_argument("--questions", type=int, help="questions per step to project (default: the bench's)")
    parser.add_argument("--ranks", default="1,2,4,8,16")
    arguments = parser.parse_args()
    one, split = read(arguments.one_rank), read(arguments.split)
    measured_questions = one["questionsPerStep"]
    questions = arguments.questions or measured_questions
    compute = one["modelStepSeconds"] * questions / measured_questions
    gradient = one["gradientBytes"]
    loopback = split["ringBytesPerRank"] / split["modelAllreduceSeconds"]
    links = [("loopback (measured)", loopback, 0.0), ("10 GbE", 1.1e9, 50e-6), ("1 GbE", 0.11e9, 50e-6)]
    print(f"{one['model']}, {one['parameterCount']} parameters, gradient {gradient / 2**20:.1f} MiB; "
          f"{questions} questions per step; one machine's step {compute:.2f} s ({one['machine']}); loopback "
          f"allreduce {split['modelAllreduceSeconds']:.3f} s for {split['ringBytesPerRank'] / 2**20:.1f} MiB per "
          f"rank, {loopback / 1e9:.2f} GB/s")
    print("| machines | compute | " + " | ".join(f"{name}: allreduce, step, speedup" for name, _, _ in links) + " |")
    print("| ---: | ---: | " + " | ".join("---:" for _ in links) + " |")
    for ranks in (int(r) for r in arguments.ranks.split(",")):
        share = compute * math.ceil(questions / ranks) / questions
        cells = []
        for _, bandwidth, latency in links:
            allreduce = 0.0 if ranks == 1 else 2 * (ranks - 1) / ranks * gradient / bandwidth + 2 * (ranks - 1) * latency
            step = share + allreduce
            cells.append(f"{allreduce:.2f} s, {step:.2f} s, {compute / step:.1f}x")
        print(f"| {ranks} | {share:.2f} s | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

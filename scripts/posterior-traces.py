#!/usr/bin/env python3
"""How much of the weight `vr build-data --selection weighted` gives to traces that depart from the reference.

    scripts/posterior-traces.py TASKS.jsonl BUILT.jsonl

TASKS is the task file given to `vr build-data --tasks`; BUILT is what it wrote. The verbose reference
thoughts of the built-in tasks are a deterministic function of the question, so a sampled trace that
differs from its question's reference does not follow the reference working; it "leaks the hint" when it
still states the answer as its last number. Prints, over questions with sampled traces: the number of
traces, the share of their weight on traces that differ from the reference, and the share on those that
differ and leak; then, per task family, the share of all the weight on that family's traces whose numbers
differ from its reference's (working that reaches the answer through wrong steps).
"""
import collections
import json
import re
import sys


def main(tasks_path, built_path):
    tasks = {}
    with open(tasks_path) as tasks_file:
        for line in tasks_file:
            task = json.loads(line)
            tasks[task["question"]] = task
    traces = differing = leaking = 0
    weight_total = weight_differing = weight_leaking = 0.0
    weight_wrong_numbers = collections.defaultdict(float)
    with open(built_path) as built_file:
        for number, line in enumerate(built_file, 1):
            example = json.loads(line)
            if "weight" not in example:
                continue  # a question without a usable trace keeps its reference thought
            match = re.search(r"<\|user\|>(.*?)<\|end\|>", example["prompt"], re.S)
            if match is None or match.group(1) not in tasks:
                sys.exit(f"{built_path}:{number}: the prompt names no question of {tasks_path}")
            task = tasks[match.group(1)]
            thought = example["response"].split("<|end_of_thought|>")[0]
            weight = float(example["weight"])
            traces += 1
            weight_total += weight
            if thought.strip() != task["thought"].strip():
                differing += 1
                weight_differing += weight
                numbers = re.findall(r"-?\d+", thought)
                if numbers != re.findall(r"-?\d+", task["thought"]):
                    weight_wrong_numbers[task["family"]] += weight
                if numbers and numbers[-1] == task["answer"]:
                    leaking += 1
                    weight_leaking += weight
    if traces == 0:
        sys.exit(f"{built_path}: no sampled traces")
    print(f"sampled traces with weight: {traces}")
    print(f"differ from the reference: {differing} traces, {weight_differing / weight_total:.1%} of the weight")
    print(f"differ and state the answer last: {leaking} traces, {weight_leaking / weight_total:.1%} of the weight")
    for family in sorted(weight_wrong_numbers):
        share = weight_wrong_numbers[family] / weight_total
        print(f"{family}: {share:.1%} of the weight on traces with other numbers than the reference's")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

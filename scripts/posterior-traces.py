#!/usr/bin/env python3
"""How much of the weight `vr build-data --selection weighted` gives to traces that depart from the reference.

    scripts/posterior-traces.py TASKS.jsonl BUILT.jsonl

TASKS is the task file given to `vr build-data --tasks`; BUILT is what it wrote. The verbose reference
thoughts of the built-in tasks are a deterministic function of the question, so a sampled trace that
differs from its question's reference does not follow the reference working; it "leaks the hint" when it
still states the answer as its last number. Prints, over questions with sampled traces: the number of
traces, the share of their weight on traces that differ from the reference, and the share on those that
differ and leak; then, per task family, the share of all the weight on that family's traces whose numbers
differ from its reference's (working that reaches the answer through wrong steps), and the share on its
traces with a false equation (a line whose sides, read as integer arithmetic, differ). The reference
thoughts' own false equations are counted first, as a check of that reading.

Both prompt formats are read: the built-in byte templates and a pretrained model's chat template.
"""
import collections
import json
import re
import sys

# The question inside a prompt: the built-in templates' user turn, or ChatML's (SmolLM2, Qwen2, Qwen3).
QUESTION_PATTERNS = [r"<\|user\|>(.*?)<\|end\|>", r"<\|im_start\|>user\n(.*?)<\|im_end\|>"]
ARITHMETIC = re.compile(r"^[\d\s+\-*()]+$")


def family_of(task):
    """The task's family: its own field, or the last part of its source (`reasoning-gym/products`)."""
    return task.get("family") or task.get("source", "other").split("/")[-1]


def has_false_equation(thought):
    """Whether a line of `thought` states an equation whose integer-arithmetic sides differ."""
    for line in thought.splitlines():
        statement = line.split(":")[-1]
        statement = re.sub(r"[A-Za-z]+", "", statement)
        sides = [side.strip() for side in statement.split("=")]
        if len(sides) < 2:
            continue
        values = [eval(side) for side in sides if side and ARITHMETIC.match(side)]
        if len(values) >= 2 and len(set(values)) > 1:
            return True
    return False


def question_of(prompt):
    for pattern in QUESTION_PATTERNS:
        match = re.search(pattern, prompt, re.S)
        if match:
            return match.group(1)
    return None


def main(tasks_path, built_path):
    tasks = {}
    with open(tasks_path) as tasks_file:
        for line in tasks_file:
            task = json.loads(line)
            tasks[task["question"]] = task
    traces = differing = leaking = 0
    weight_total = weight_differing = weight_leaking = 0.0
    weight_wrong_numbers = collections.defaultdict(float)
    weight_false_equation = collections.defaultdict(float)
    false_references = sum(has_false_equation(task["thought"]) for task in tasks.values())
    print(f"reference thoughts with a false equation: {false_references} of {len(tasks)}")
    with open(built_path) as built_file:
        for number, line in enumerate(built_file, 1):
            example = json.loads(line)
            if "weight" not in example:
                continue  # a question without a usable trace keeps its reference thought
            question = question_of(example["prompt"])
            if question is None or question not in tasks:
                sys.exit(f"{built_path}:{number}: the prompt names no question of {tasks_path}")
            task = tasks[question]
            thought = example["response"].split("<|end_of_thought|>")[0]
            weight = float(example["weight"])
            traces += 1
            weight_total += weight
            if has_false_equation(thought):
                weight_false_equation[family_of(task)] += weight
            if thought.strip() != task["thought"].strip():
                differing += 1
                weight_differing += weight
                numbers = re.findall(r"-?\d+", thought)
                if numbers != re.findall(r"-?\d+", task["thought"]):
                    weight_wrong_numbers[family_of(task)] += weight
                if numbers and numbers[-1] == task["answer"]:
                    leaking += 1
                    weight_leaking += weight
    if traces == 0:
        sys.exit(f"{built_path}: no sampled traces")
    print(f"sampled traces with weight: {traces}")
    print(f"differ from the reference: {differing} traces, {weight_differing / weight_total:.1%} of the weight")
    print(f"differ and state the answer last: {leaking} traces, {weight_leaking / weight_total:.1%} of the weight")
    for family in sorted(set(weight_wrong_numbers) | set(weight_false_equation)):
        share = weight_wrong_numbers[family] / weight_total
        false_share = weight_false_equation[family] / weight_total
        print(
            f"{family}: {share:.1%} of the weight on traces with other numbers than the reference's, "
            f"{false_share:.1%} on traces with a false equation"
        )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

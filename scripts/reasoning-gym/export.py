#!/usr/bin/env python3
"""Export a reasoning-gym dataset to VRTasks JSONL: disjoint train and test files plus a manifest.

Run outside CI, in a virtual environment with reasoning-gym installed:

    python3 -m venv ~/venvs/rg && ~/venvs/rg/bin/pip install -r scripts/reasoning-gym/requirements.txt
    ~/venvs/rg/bin/python scripts/reasoning-gym/export.py basic_arithmetic --train 400 --test 200 \\
        --set min_terms=2 --set max_terms=2 --set min_digits=1 --set max_digits=2 \\
        --name basic_arithmetic-2t-1to2d --output-dir data/reasoning-gym

Splits: one stream of items (seed S, indices 0, 1, 2, ...) fills the test file first, then the
train file. A question whose normalised text (NFKC, case-folded, all whitespace removed) was
already taken, or occurs in an --exclude file, is skipped, so no normalised question occurs twice
in a file or in both files. (Different seeds alone do not give disjoint splits: reasoning-gym
seeds item i with seed + i, so seeds S and S + 1 share all but one item, and small
configurations repeat questions anyway.)

Thoughts: by default (--thoughts given) a line has a thought only when reasoning-gym gives a worked
solution (gsm_symbolic). With --thoughts worked, basic_arithmetic, chain_sum, products and
leg_counting carry a short worked solution derived from the item's metadata (families.py); every
one is re-computed line by line with exact arithmetic and must reach the answer, else the export
stops with the item's index.

Each line: id, question, answer (reasoning-gym's answer string, unchanged), thought (when there is
one), difficulty, verifier, tolerance (approximate only), source
("reasoning-gym/<family>") and source_index (the reasoning-gym index, to regenerate the entry).
The manifest NAME.manifest.json records the family, its full configuration, the seed, the
reasoning-gym version, the counts of skipped items and the command line.
"""

import argparse
import dataclasses
import importlib.metadata
import json
import shlex
import sys
import unicodedata
from pathlib import Path

import reasoning_gym
from families import FAMILIES, check_worked

FORMAT_VERSION = 1


def normalised(question: str) -> str:
    """The deduplication key: NFKC, case-folded, every whitespace character removed."""
    return "".join(unicodedata.normalize("NFKC", question).casefold().split())


def parse_setting(text: str) -> tuple[str, object]:
    """`key=value`, the value read as JSON when it parses (2, true, ["+"]) and as a string otherwise."""
    key, separator, value = text.partition("=")
    if not separator or not key:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def excluded_questions(paths: list[str]) -> set[str]:
    keys = set()
    for path in paths:
        with open(path, encoding="utf-8") as file:
            keys.update(normalised(json.loads(line)["question"]) for line in file if line.strip())
    return keys


class RefusedItem(Exception):
    """A worked thought that does not reproduce reasoning-gym's answer (or cannot be made)."""


def thought_for(args, family, entry, index) -> str:
    """The given thought, or with --thoughts worked the family's worked one, checked against the answer."""
    if args.thoughts != "worked" or family.worked is None:
        return family.thought(entry)
    try:
        thought = family.worked(entry)
        check_worked(thought, entry["answer"])
    except (ValueError, KeyError, ZeroDivisionError) as error:
        raise RefusedItem(
            f"{args.family} item {index} ({entry['metadata'].get('expression', entry['question'])!r},"
            f" answer {entry['answer']!r}): no worked thought reproduces the answer: {error}"
        ) from error
    return thought


def thought_rule(args, family) -> str:
    if args.thoughts == "worked" and family.worked_rule is not None:
        return family.worked_rule
    return family.thought_rule


def record(args, family, entry, index, split, position, tolerance) -> dict:
    line = {
        "id": f"{args.name}/{split}/{position}",
        "question": entry["question"],
        "answer": entry["answer"],
        "difficulty": family.difficulty(entry, args.difficulty_key),
        "verifier": family.verifier,
        "source": f"reasoning-gym/{args.family}",
        "source_index": index,
    }
    thought = thought_for(args, family, entry, index)
    if thought:
        line["thought"] = thought
    if tolerance is not None:
        line["tolerance"] = tolerance
    return line


def export(args) -> dict:
    family = FAMILIES[args.family]
    wanted = {"test": args.test, "train": args.train}
    draws = args.max_draws or 20 * (args.train + args.test) + 1000
    dataset = reasoning_gym.create_dataset(args.family, seed=args.seed, size=draws, **dict(args.set))
    tolerance = family.tolerance(dataset.config)
    excluded = excluded_questions(args.exclude)
    taken: set[str] = set()
    splits: dict[str, list] = {"test": [], "train": []}
    skipped = {"duplicate": 0, "excluded": 0, "unsupported_answer": 0}
    index = 0
    while index < draws and any(len(splits[s]) < wanted[s] for s in splits):
        entry = dataset[index]
        key = normalised(entry["question"])
        if key in excluded:
            skipped["excluded"] += 1
        elif key in taken:
            skipped["duplicate"] += 1
        elif not family.supports(entry["answer"]):
            skipped["unsupported_answer"] += 1
        else:
            taken.add(key)
            split = "test" if len(splits["test"]) < wanted["test"] else "train"
            splits[split].append(record(args, family, entry, index, split, len(splits[split]), tolerance))
        index += 1
    for split, lines in splits.items():
        if len(lines) < wanted[split]:
            sys.exit(
                f"error: only {len(lines)} of {wanted[split]} distinct {split} questions after {draws} draws;"
                " widen the configuration, ask for fewer, or raise --max-draws"
            )
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    for split, lines in splits.items():
        with open(output / f"{args.name}.{split}.jsonl", "w", encoding="utf-8") as file:
            for line in lines:
                file.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    config = dataclasses.asdict(dataset.config)
    manifest = {
        "format": "vr-tasks reasoning-gym export",
        "format_version": FORMAT_VERSION,
        "reasoning_gym_version": importlib.metadata.version("reasoning-gym"),
        "family": args.family,
        "name": args.name,
        "seed": args.seed,
        "config": {key: value for key, value in config.items() if key not in ("seed", "size")},
        "files": {split: f"{args.name}.{split}.jsonl" for split in splits},
        "counts": {split: len(lines) for split, lines in splits.items()},
        "draws": index,
        "skipped": skipped,
        "deduplication": "by normalised question (NFKC, case-folded, whitespace removed) within and across splits"
        + (" and against " + ", ".join(Path(p).name for p in args.exclude) if args.exclude else ""),
        "verifier": family.verifier,
        "tolerance": tolerance,
        "difficulty": args.difficulty_key or family.difficulty_key or "0 (unknown)",
        "thought": thought_rule(args, family),
        "command": shlex.join(["python3", "scripts/reasoning-gym/export.py"] + sys.argv[1:]),
    }
    with open(output / f"{args.name}.manifest.json", "w", encoding="utf-8") as file:
        file.write(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("family", choices=sorted(FAMILIES), help="the reasoning-gym dataset")
    parser.add_argument("--train", type=int, required=True, help="train questions to write")
    parser.add_argument("--test", type=int, required=True, help="test questions to write")
    parser.add_argument("--seed", type=int, default=1, help="the reasoning-gym seed of the stream (default 1)")
    parser.add_argument(
        "--set", type=parse_setting, action="append", default=[], metavar="KEY=VALUE",
        help="a configuration field of the family, e.g. max_digits=2 or 'operators=[\"+\",\"-\"]'; repeatable",
    )
    parser.add_argument("--name", help="the file stem (default: the family)")
    parser.add_argument("--output-dir", default="data/reasoning-gym", help="where to write (default data/reasoning-gym)")
    parser.add_argument("--exclude", action="append", default=[], help="a task JSONL whose questions to leave out")
    parser.add_argument("--difficulty-key", help="the integer metadata field used as difficulty")
    parser.add_argument(
        "--thoughts", choices=["given", "worked"], default="given",
        help="given (default): only reasoning-gym's own worked solution (gsm_symbolic); worked: also the"
        " checked worked solutions of basic_arithmetic, chain_sum, products and leg_counting",
    )
    parser.add_argument("--max-draws", type=int, help="items to try before giving up (default 20 x wanted + 1000)")
    args = parser.parse_args()
    args.name = args.name or args.family
    if args.train < 0 or args.test < 0:
        parser.error("--train and --test must be non-negative")
    family = FAMILIES[args.family]
    if args.thoughts == "worked" and not family.has_worked_solution:
        parser.error(f"{args.family} has no worked solution; leave out --thoughts worked")
    try:
        manifest = export(args)
    except RefusedItem as error:
        sys.exit(f"error: {error}")
    print(f"{args.name}: {manifest['counts']} after {manifest['draws']} draws, skipped {manifest['skipped']}")


if __name__ == "__main__":
    main()

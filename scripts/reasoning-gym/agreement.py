#!/usr/bin/env python3
"""Score reference and perturbed answers with reasoning-gym's own score_answer, for the VRTasks verifier test.

For the first --items test questions of each named export (default: every manifest in --data-dir), regenerate the reasoning-gym
entry (family, config, seed and source_index from the manifest; its question and answer must equal
the exported line), build labelled candidate answers (the reference, reformattings such as `+5`,
`1,234`, `5.`, `x = 5`, and wrong values such as the reference plus one), and write one line per
candidate: family, verifier, tolerance, answer, label, candidate and reasoning-gym's score.
VRTasksTests (ReasoningGymAgreementTests) checks that the VRTasks verifier accepts exactly the
candidates reasoning-gym scores 1.0, apart from the disagreements it lists with their reasons.

    ~/venvs/rg/bin/python scripts/reasoning-gym/agreement.py --data-dir data/reasoning-gym [NAME ...]

export-all.sh names the eight small exports, one per family; the larger rg-* exports share their
families, verifiers and answer formats and are left out, so the fixture stays as it is.
"""

import argparse
import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import reasoning_gym


def plain(value: Decimal) -> str:
    """`value` in positional notation (no exponent), trailing zeros kept as computed."""
    return f"{value:f}"


def common_candidates(answer: str, variable: str) -> list[tuple[str, str]]:
    return [
        ("reference", answer),
        ("padded", f" {answer}\n"),
        ("trailing_period", answer + "."),
        ("variable", f"{variable} = {answer}"),
        ("sentence", f"The answer is {answer}"),
        ("units", f"{answer} units"),
        ("empty", ""),
    ]


def numeric_candidates(entry: dict) -> list[tuple[str, str]]:
    answer = entry["answer"]
    value = Decimal(answer)
    candidates = common_candidates(answer, entry["metadata"].get("variable", "x"))
    candidates += [("plus_one", plain(value + 1)), ("minus_one", plain(value - 1))]
    if value != 0:
        candidates.append(("negated", plain(-value)))
    if value >= 0:
        candidates += [("leading_plus", "+" + answer), ("leading_zero", "0" + answer)]
    if "." not in answer:
        candidates.append(("point_zero", answer + ".0"))
    if abs(value) >= 1000:
        candidates.append(("thousands", f"{value:,}"))
        candidates.append(("misplaced_comma", answer[:-2] + "," + answer[-2:]))
    if len(answer.lstrip("-")) > 1:
        candidates.append(("dropped_digit", answer[:-1]))
    return candidates


def fraction_candidates(entry: dict) -> list[tuple[str, str]]:
    meta = entry["metadata"]
    p, q = meta["simplified_numerator"], meta["simplified_denominator"]
    candidates = common_candidates(entry["answer"], "x")
    candidates += [
        ("plain", f"{p}/{q}"),
        ("spaced", f"{p} / {q}"),
        ("latex", f"\\frac{{{p}}}{{{q}}}"),
        ("dollars", f"${p}/{q}$"),
        ("unreduced", f"{2 * p}/{2 * q}"),
        ("question_fraction", f"{meta['numerator']}/{meta['denominator']}"),
        ("swapped", f"{q}/{p}"),
        ("decimal", plain((Decimal(p) / Decimal(q)).quantize(Decimal("0.000001")))),
        ("negated", f"-{p}/{q}"),
        ("plus_one", f"{p + 1}/{q}"),
    ]
    return candidates


def approximate_candidates(entry: dict, tolerance: str) -> list[tuple[str, str]]:
    answer = entry["answer"]
    value, step = Decimal(answer), Decimal(tolerance)
    candidates = common_candidates(answer, "x")
    candidates += [
        ("rounded", plain(value.quantize(step, rounding=ROUND_HALF_UP))),
        ("half_tolerance", plain(value + step / 2)),
        ("at_tolerance", plain(value + step)),
        ("beyond_tolerance", plain(value + 2 * step)),
        ("below_tolerance", plain(value - 2 * step)),
        ("one_place", plain(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))),
        ("negated", plain(-value)),
        ("scientific", f"{value:E}"),
    ]
    if value >= 0:
        candidates.append(("leading_plus", "+" + answer))
    if abs(value) >= 1000:
        candidates.append(("thousands", f"{value:,}"))
    return candidates


def candidates_for(manifest: dict, entry: dict) -> list[tuple[str, str]]:
    if manifest["verifier"] == "fraction":
        return fraction_candidates(entry)
    if manifest["verifier"] == "approximate":
        return approximate_candidates(entry, manifest["tolerance"])
    return numeric_candidates(entry)


def rows_for(manifest: dict, data_dir: Path, items: int) -> list[dict]:
    dataset = reasoning_gym.create_dataset(
        manifest["family"], seed=manifest["seed"], size=manifest["draws"], **manifest["config"]
    )
    with open(data_dir / manifest["files"]["test"], encoding="utf-8") as file:
        lines = [json.loads(line) for line in file][:items]
    rows = []
    for line in lines:
        entry = dataset[line["source_index"]]
        assert (entry["question"], entry["answer"]) == (line["question"], line["answer"]), line["id"]
        seen = set()
        for label, candidate in candidates_for(manifest, entry):
            if candidate in seen and label != "reference":
                continue  # e.g. `rounded` equal to the reference: keep the first label only
            seen.add(candidate)
            row = {"family": manifest["family"], "verifier": manifest["verifier"], "answer": line["answer"]}
            if manifest["tolerance"] is not None:
                row["tolerance"] = manifest["tolerance"]
            row.update(label=label, candidate=candidate, score=dataset.score_answer(candidate, entry))
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="the exports (manifest names) to cover; default: all in --data-dir")
    parser.add_argument("--data-dir", default="data/reasoning-gym")
    parser.add_argument("--items", type=int, default=8, help="test questions per manifest (default 8)")
    parser.add_argument("--output", default="score-agreement.jsonl", help="file name inside --data-dir")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    rows = []
    paths = [data_dir / f"{name}.manifest.json" for name in sorted(args.names)] or sorted(data_dir.glob("*.manifest.json"))
    for path in paths:
        rows += rows_for(json.loads(path.read_text(encoding="utf-8")), data_dir, args.items)
    with open(data_dir / args.output, "w", encoding="utf-8") as file:
        for row in rows:
            file.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    full = Counter(row["family"] for row in rows if row["score"] == 1.0)
    total = Counter(row["family"] for row in rows)
    for family in sorted(total):
        print(f"{family}: {total[family]} candidates, {full[family]} scored 1.0 by reasoning-gym")


if __name__ == "__main__":
    main()

"""The task file, its fingerprint and the verifiers (docs/protocol.md, "The task file and the dataset fingerprint"
and "Sampling and scoring")."""

import json
import re
from dataclasses import dataclass
from fractions import Fraction

VERIFIERS = ("exact", "numeric", "fraction", "approximate")


@dataclass(frozen=True)
class TaskItem:
    """One question as the protocol derives it from a task-file line."""

    id: str
    question: str
    answer: str
    solution: str
    worked_solution: str | None
    verifier: str
    tolerance: str | None

    def hint(self, kind: str) -> str:
        """The posterior's hint under `--hint worked-solution` or `--hint answer`."""
        if kind == "answer":
            return "Answer: " + self.answer
        return self.worked_solution if self.worked_solution is not None else self.solution

    def is_correct(self, final_answer: str | None) -> bool:
        """Whether the item's verifier accepts `final_answer`."""
        if final_answer is None:
            return False
        if self.verifier == "exact":
            return final_answer.strip() == self.answer.strip() and final_answer.strip() != ""
        if self.verifier == "numeric":
            given, expected = number(final_answer), number(self.answer)
            return given is not None and expected is not None and given == expected
        if self.verifier == "fraction":
            given, expected = lowest_terms_fraction(final_answer), number(self.answer)
            return given is not None and given == expected
        given, expected, tolerance = number(final_answer), number(self.answer), number(self.tolerance or "")
        if given is None or expected is None or tolerance is None:
            return False
        return abs(given - expected) <= tolerance


def read_tasks(path: str) -> list[TaskItem]:
    """The items of a JSON Lines task file, in file order.

    Raises ValueError naming the line for a line this worker cannot use, including a verifier it does not implement
    (`expression`).
    """
    items = []
    with open(path, encoding="utf-8") as file:
        for number_, line in enumerate(file.read().split("\n"), start=1):
            if line.strip(" \t\r") == "":
                continue
            try:
                items.append(item_from_line(json.loads(line), number_))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number_}: {error}") from error
    if not items:
        raise ValueError(f"{path}: no task items")
    return items


def item_from_line(fields: dict, line: int) -> TaskItem:
    """Derives an item's fields from one decoded line."""
    answer = fields.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, (str, int, type(None))):
        raise ValueError('"answer" must be a string or an integer')
    solution = fields.get("solution")
    if answer is None:
        answer = final_answer_in(solution or "")
        if answer is None:
            raise ValueError('neither "answer" nor a "solution" stating one is given')
    answer = str(answer)
    verifier = fields["verifier"]
    if verifier not in VERIFIERS:
        raise ValueError(f'verifier "{verifier}" is not one this worker implements ({", ".join(VERIFIERS)})')
    return TaskItem(
        id=fields.get("id") or f"line-{line}",
        question=fields["question"],
        answer=answer,
        solution=solution if solution is not None else "Answer: " + answer,
        worked_solution=fields.get("worked_solution"),
        verifier=verifier,
        tolerance=fields.get("tolerance"),
    )


def fingerprint(items: list[TaskItem]) -> str:
    """64-bit FNV-1a over each item's id, question, solution and answer, each followed by a zero byte."""
    value = 0xCBF29CE484222325
    for item in items:
        for field in (item.id, item.question, item.solution, item.answer):
            for byte in field.encode("utf-8") + b"\0":
                value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def final_answer_in(text: str) -> str | None:
    """The final answer a solution states: the last balanced \\boxed{...}, else the rest of the line after the last
    `answer:` (any case), else the last line that is not blank; trimmed; None when all are empty."""
    for candidate in (boxed_content(text), answer_line(text), last_line(text)):
        if candidate is not None and candidate.strip(" \t\r\n"):
            return candidate.strip(" \t\r\n")
    return None


def boxed_content(text: str) -> str | None:
    """The content of the last `\\boxed{...}` whose braces balance."""
    found = None
    start = text.find("\\boxed{")
    while start >= 0:
        depth, end = 1, start + len("\\boxed{")
        while end < len(text) and depth > 0:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        if depth == 0:
            found = text[start + len("\\boxed{") : end - 1]
        start = text.find("\\boxed{", start + 1)
    return found


def answer_line(text: str) -> str | None:
    """The rest of the line after the last `answer:` in any letter case."""
    lowered = "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
    position = lowered.rfind("answer:")
    if position < 0:
        return None
    return text[position + len("answer:") :].split("\n", 1)[0]


def last_line(text: str) -> str | None:
    """The last line that holds something besides whitespace."""
    lines = [line for line in text.split("\n") if line.strip(" \t\r\n")]
    return lines[-1] if lines else None


NUMBER = re.compile(r"([+-]?)(?:(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?|(\d+)\s*/\s*(\d+))")
LATEX_FRACTION = re.compile(r"([+-]?)\\d?frac\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}")


def unwrap(text: str) -> str:
    """The number's text without whitespace, one trailing `.`, a pair of `$` and a leading `x =`."""
    body = text.strip()
    if body.endswith("."):
        body = body[:-1].strip()
    if len(body) >= 2 and body[0] == "$" and body[-1] == "$":
        body = body[1:-1].strip()
    if body and body[0].isascii() and body[0].isalpha() and body[1:].strip().startswith("="):
        body = body[1:].strip()[1:].strip()
    return body


def number(text: str) -> Fraction | None:
    """The exact value of a numeric answer (decimal with optional thousands commas, p/q or \\frac{p}{q}), or None."""
    body = unwrap(text)
    if match := NUMBER.fullmatch(body):
        sign, integer, fraction_digits, numerator, denominator = match.groups()
        if numerator is not None:
            value = Fraction(int(numerator), int(denominator)) if int(denominator) else None
        else:
            value = Fraction(int(integer.replace(",", "") + (fraction_digits or "")), 10 ** len(fraction_digits or ""))
    elif match := LATEX_FRACTION.fullmatch(body):
        sign, numerator, denominator = match.groups()
        value = Fraction(int(numerator), int(denominator)) if int(denominator) else None
    else:
        return None
    return -value if value is not None and sign == "-" else value


def lowest_terms_fraction(text: str) -> Fraction | None:
    """The value of `p/q` (or \\frac{p}{q}) written in lowest terms with q > 0, else None."""
    body = unwrap(text)
    match = re.fullmatch(r"([+-]?)(\d+)\s*/\s*(\d+)", body) or LATEX_FRACTION.fullmatch(body)
    if not match:
        return None
    sign, numerator, denominator = match.groups()
    top, bottom = int(numerator), int(denominator)
    if bottom == 0 or Fraction(top, bottom).denominator != bottom:
        return None
    return Fraction(-top if sign == "-" else top, bottom)

"""How each exported reasoning-gym family becomes a task record: verifier, difficulty, reference thought.

A family missing here is refused by export.py: its answer format has no verifier in VRTasks yet.

Reference thoughts come in two kinds. A *given* thought is reasoning-gym's own worked solution
(only `gsm_symbolic` has one). A *worked* thought is derived here from the item's metadata for the
arithmetic families (`basic_arithmetic`, `chain_sum`, `products`, `leg_counting`): short working,
one step per line, each line an equation such as `12 * 3 = 36`. The export writes worked thoughts
only when asked (`--thoughts worked`), and `check_worked` re-computes every line with exact
arithmetic before an item is written.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any, Callable, Optional

from reasoning_gym.arithmetic.leg_counting import ANIMALS

# The answer syntax VRTasks' NumericAnswer reads (whitespace, a trailing period, $...$ and
# `x =` wrappers aside): a decimal with optional thousands commas, or a fraction.
_DECIMAL = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_FRACTION = r"[+-]?(?:\d+\s*/\s*\d+|\\d?frac\{\s*\d+\s*\}\{\s*\d+\s*\})"


def _wrapped(pattern: str) -> re.Pattern:
    return re.compile(rf"\s*(?:{pattern}|\${pattern}\$)\s*")


_SYNTAX = {
    "numeric": _wrapped(f"(?:{_DECIMAL}|{_FRACTION})"),
    "approximate": _wrapped(f"(?:{_DECIMAL}|{_FRACTION})"),
    "fraction": _wrapped(_FRACTION),
}

Rule = Callable[[dict[str, Any]], str]


def _no_thought(entry: dict[str, Any]) -> str:
    return ""


@dataclass(frozen=True)
class Family:
    """The export rules of one reasoning-gym dataset."""

    verifier: str  # a VerifierKind name: numeric, fraction or approximate
    difficulty_key: Optional[str]  # an integer metadata field; None: difficulty 0 (unknown)
    thought_rule: str  # what the given reference thought is, for the manifest and docs
    thought: Rule = _no_thought  # the given thought (reasoning-gym's own worked solution), or ""
    worked_rule: Optional[str] = None  # what the worked thought is; None: the family has none
    worked: Optional[Rule] = None  # the worked thought derived from the metadata
    tolerance: Callable[[Any], Optional[str]] = lambda config: None

    @property
    def has_worked_solution(self) -> bool:
        """Whether --thoughts worked gives this family a thought: a derived one, or reasoning-gym's own."""
        return self.worked is not None or self.thought is not _no_thought

    def supports(self, answer: str) -> bool:
        """Whether the VRTasks verifier can read `answer` (else the item is skipped and counted)."""
        return _SYNTAX[self.verifier].fullmatch(answer) is not None

    def difficulty(self, entry: dict[str, Any], key: Optional[str]) -> int:
        """The metadata field `key` (or the family's default) when it is a non-negative integer, else 0."""
        value = entry["metadata"].get(key or self.difficulty_key or "")
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _gsm_thought(entry: dict[str, Any]) -> str:
    """The worked solution `answer_cot` without its closing `#### <answer>` line."""
    lines = entry["metadata"]["answer_cot"].rstrip().split("\n")
    if lines and lines[-1].startswith("####"):
        lines = lines[:-1]
    return "\n".join(lines).strip()


def _decimal_tolerance(config: Any) -> str:
    """reasoning-gym's own: one unit in the last of `max_num_decimal_places` places."""
    return f"{Decimal(10) ** -config.max_num_decimal_places:f}"


# --- Expressions: integers, + - * /, parentheses, unary minus, with Python's precedence. ---

_TOKEN = re.compile(r"\s*(\d+|[-+*/()])")
ROUNDED = " (rounded down)"  # marks a division whose exact quotient is not an integer


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise ValueError(f"cannot read {text!r} at {position}")
        tokens.append(match.group(1))
        position = match.end()
    return tokens


class _Expression:
    """A recursive-descent reader of `text` with Python's grammar for this subset.

    With `steps` (a list), it evaluates as reasoning-gym does (`eval` with `/` as `//`) and appends one
    line per binary operation, in evaluation order, and one `-(v) = -v` line per negated computed value;
    without, it evaluates exactly (Fraction, `/` exact), to check such lines.
    """

    def __init__(self, text: str, steps: Optional[list[str]] = None):
        self.tokens, self.index, self.steps = _tokens(text), 0, steps

    def value(self) -> tuple[Fraction, bool]:
        result = self._sum()
        if self.index != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.index]!r} in {' '.join(self.tokens)!r}")
        return result

    def _peek(self) -> Optional[str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _next(self) -> str:
        if self.index >= len(self.tokens):
            raise ValueError(f"{' '.join(self.tokens)!r} ends early")
        self.index += 1
        return self.tokens[self.index - 1]

    def _sum(self) -> tuple[Fraction, bool]:
        left = self._product()
        while self._peek() in ("+", "-"):
            left = self._apply(left, self._next(), self._product())
        return left

    def _product(self) -> tuple[Fraction, bool]:
        left = self._unary()
        while self._peek() in ("*", "/"):
            left = self._apply(left, self._next(), self._unary())
        return left

    def _unary(self) -> tuple[Fraction, bool]:
        """A value and whether it was computed (a literal, even in parentheses, is not)."""
        token = self._next()
        if token == "-":
            value, computed = self._unary()
            if computed and self.steps is not None:
                self.steps.append(f"-({_number(value)}) = {_number(-value)}")
            return -value, computed
        if token == "(":
            inner = self._sum()
            if self._next() != ")":
                raise ValueError(f"unbalanced parentheses in {' '.join(self.tokens)!r}")
            return inner
        if not token.isdigit():
            raise ValueError(f"unexpected {token!r} in {' '.join(self.tokens)!r}")
        return Fraction(int(token)), False

    def _apply(self, left: tuple[Fraction, bool], operator: str, right: tuple[Fraction, bool]):
        a, b = left[0], right[0]
        if operator == "/" and b == 0:
            raise ValueError("division by zero")
        exact = {"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else None}[operator]
        if self.steps is None:
            return exact, True
        value = Fraction(floor(exact)) if operator == "/" else exact  # reasoning-gym divides with //
        mark = ROUNDED if value != exact else ""
        self.steps.append(f"{_number(a)} {operator} {_number(b)} = {_number(value)}{mark}")
        return value, True


def _number(value: Fraction) -> str:
    if value.denominator != 1:
        raise ValueError(f"non-integer intermediate {value}")
    return str(value.numerator)


def _expression_steps(expression: str) -> list[str]:
    steps: list[str] = []
    _Expression(expression, steps).value()
    if not steps:
        raise ValueError(f"{expression!r} has no operation to work")
    return steps


def _arithmetic_thought(entry: dict[str, Any]) -> str:
    """basic_arithmetic and chain_sum: one line per operation, as reasoning-gym evaluates the expression."""
    return "\n".join(_expression_steps(entry["metadata"]["expression"]))


def _place_parts(n: int) -> list[int]:
    """The non-zero place values of n >= 0, largest first: 405 -> [400, 5]."""
    digits = str(n)
    return [int(d) * 10 ** (len(digits) - 1 - i) for i, d in enumerate(digits) if d != "0"]


def _product_steps(a: int, b: int) -> tuple[list[str], int]:
    """a * b for a, b >= 0: partial products by the place values of b, then their running sum."""
    product = a * b
    parts = _place_parts(b)
    if len(parts) <= 1 or len(_place_parts(a)) <= 1:
        return [f"{a} * {b} = {product}"], product
    lines = [f"{a} * {b} = " + " + ".join(f"{a} * {p}" for p in parts)]
    lines += [f"{a} * {p} = {a * p}" for p in parts]
    total = a * parts[0]
    for p in parts[1:]:
        lines.append(f"{total} + {a * p} = {total + a * p}")
        total += a * p
    return lines, product


def _products_thought(entry: dict[str, Any]) -> str:
    """products: signs first, then each factor in turn by place value."""
    factors = [int(_Expression(part).value()[0]) for part in entry["metadata"]["expression"].split("*")]
    if len(factors) < 2:
        raise ValueError("a single factor has no operation to work")
    magnitudes = [abs(f) for f in factors]
    negative = sum(f < 0 for f in factors) % 2 == 1 and 0 not in factors
    lines = []
    if any(f < 0 for f in factors) and len(factors) == 2 and min(len(_place_parts(m)) for m in magnitudes) <= 1:
        # one product line carries the signs: -7 * 8 = -56
        return f"{factors[0]} * {factors[1]} = {factors[0] * factors[1]}"
    if any(f < 0 for f in factors):
        positive = " * ".join(map(str, magnitudes))
        lines.append(f"{' * '.join(map(str, factors))} = " + (f"-({positive})" if negative else positive))
    total = magnitudes[0]
    for m in magnitudes[1:]:
        steps, total = _product_steps(total, m)
        lines += steps
    if negative:
        lines.append(f"-({total}) = {-total}")
    return "\n".join(lines)


def _legs_thought(entry: dict[str, Any]) -> str:
    """leg_counting: each animal's legs from reasoning-gym's own table, then running sums."""
    lines, legs = [], []
    for animal, count in entry["metadata"]["animals"].items():
        per = ANIMALS[animal]
        noun = f"{animal}{'s' if count > 1 else ''}"  # reasoning-gym's plural, as in the question
        lines.append(f"{count} {noun}: {count} * {per} = {count * per} legs")
        legs.append(count * per)
    total = legs[0]
    for value in legs[1:]:
        lines.append(f"{total} + {value} = {total + value}")
        total += value
    return "\n".join(lines)


_LABEL = re.compile(r"^\d+ [a-z ]+: ")  # `12 chickens: ` before a leg-counting line


def check_worked(thought: str, answer: str) -> None:
    """Raise ValueError unless every line of `thought` is a true equation and the last one gives `answer`.

    A line is `[label: ]A = B[ = C ...][ legs][ (rounded down)]`; all sides are evaluated exactly
    (Fraction). `(rounded down)` allows `A / B = q` with q the floor of a non-integer quotient (reasoning-gym
    divides with Python's //). The last value of the last line must equal `answer` read as a number.
    """
    if not thought.strip():
        raise ValueError("empty worked thought")
    if re.search(r"(?im)^\s*answer\s*:", thought):
        raise ValueError("the thought states the answer in `Answer:` form")
    value = None
    for number, line in enumerate(thought.split("\n"), 1):
        text = _LABEL.sub("", line)
        rounded = text.endswith(ROUNDED)
        text = text.removesuffix(ROUNDED).removesuffix(" legs")
        sides = [_Expression(side).value()[0] for side in text.split(" = ")]
        if len(sides) < 2:
            raise ValueError(f"line {number} {line!r} is not an equation")
        if rounded:
            exact = sides[0]
            quotient = re.fullmatch(r"-?\d+ / -?\d+ = -?\d+", text)
            if not quotient or exact.denominator == 1 or floor(exact) != sides[1]:
                raise ValueError(f"line {number} {line!r}: not a rounded-down quotient")
        elif any(side != sides[0] for side in sides[1:]):
            raise ValueError(f"line {number} {line!r} is false")
        value = sides[-1]
    expected = Fraction(answer.strip().replace(",", ""))
    if value != expected:
        raise ValueError(f"the thought ends at {value}, the answer is {answer!r}")


_NONE = "empty: reasoning-gym gives no worked solution for this family"
_ARITHMETIC_RULE = (
    "worked from metadata.expression: one line per operation in Python's order of evaluation"
    " (precedence, then left to right), `a op b = c`; `/` is reasoning-gym's floor division,"
    " marked `(rounded down)` when inexact; a negated computed value gets its own line `-(v) = -v`"
)
_CHAIN_RULE = "worked from metadata.expression: running totals left to right, one per line, `a op b = c`"
_PRODUCTS_RULE = (
    "worked from metadata.expression: `a * b = a * p1 + a * p2 ...` over the non-zero place values"
    " of b, one line per partial product, then running sums; a single product line when a factor has"
    " one non-zero digit; negative factors: a sign line first and `-(v) = -v` last"
)
_LEGS_RULE = (
    "worked from metadata.animals with reasoning-gym's legs table: `N animals: N * legs = L legs`"
    " per animal, then running sums `a + b = c`"
)

FAMILIES: dict[str, Family] = {
    "gsm_symbolic": Family("numeric", None, "metadata.answer_cot without its final '#### <answer>' line", _gsm_thought),
    "basic_arithmetic": Family("numeric", "num_digits", _NONE, worked_rule=_ARITHMETIC_RULE, worked=_arithmetic_thought),
    "chain_sum": Family("numeric", "num_digits", _NONE, worked_rule=_CHAIN_RULE, worked=_arithmetic_thought),
    "products": Family("numeric", "num_digits", _NONE, worked_rule=_PRODUCTS_RULE, worked=_products_thought),
    "leg_counting": Family("numeric", "num_animals", _NONE, worked_rule=_LEGS_RULE, worked=_legs_thought),
    "simple_equations": Family("numeric", None, _NONE),
    "fraction_simplification": Family("fraction", None, _NONE),
    "decimal_arithmetic": Family("approximate", "num_terms", _NONE, tolerance=_decimal_tolerance),
}

"""How each exported reasoning-gym family becomes a task record: verifier, difficulty, reference thought.

A family missing here is refused by export.py: its answer format has no verifier in VRTasks yet.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Optional

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


@dataclass(frozen=True)
class Family:
    """The export rules of one reasoning-gym dataset."""

    verifier: str  # a VerifierKind name: numeric, fraction or approximate
    difficulty_key: Optional[str]  # an integer metadata field; None: difficulty 0 (unknown)
    thought_rule: str  # what the reference thought is, for the manifest and docs
    thought: Callable[[dict[str, Any]], str] = lambda entry: ""
    tolerance: Callable[[Any], Optional[str]] = lambda config: None

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


_NONE = "empty: reasoning-gym gives no worked solution for this family"

FAMILIES: dict[str, Family] = {
    "gsm_symbolic": Family("numeric", None, "metadata.answer_cot without its final '#### <answer>' line", _gsm_thought),
    "basic_arithmetic": Family("numeric", "num_digits", _NONE),
    "chain_sum": Family("numeric", "num_digits", _NONE),
    "products": Family("numeric", "num_digits", _NONE),
    "leg_counting": Family("numeric", "num_animals", _NONE),
    "simple_equations": Family("numeric", None, _NONE),
    "fraction_simplification": Family("fraction", None, _NONE),
    "decimal_arithmetic": Family("approximate", "num_terms", _NONE, tolerance=_decimal_tolerance),
}

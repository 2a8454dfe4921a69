"""The byte-level tokenizer and the prompt templates (docs/protocol.md, "Tokens" and "Prompts and templates")."""

from dataclasses import dataclass

from tasks import TaskItem

SPECIAL_TOKENS = {
    "<|endoftext|>": 256,
    "<|pad|>": 257,
    "<|system|>": 258,
    "<|user|>": 259,
    "<|assistant|>": 260,
    "<|end|>": 261,
    "<|begin_of_thought|>": 262,
    "<|end_of_thought|>": 263,
    "<|begin_of_solution|>": 264,
    "<|end_of_solution|>": 265,
    "<|begin_of_explanation|>": 266,
    "<|end_of_explanation|>": 267,
}
VOCABULARY_SIZE = 268
END_OF_THOUGHT = [SPECIAL_TOKENS["<|end_of_thought|>"]]
END_OF_SOLUTION = [SPECIAL_TOKENS["<|end_of_solution|>"]]

REASONING_SYSTEM = "Think, then answer."
POSTERIOR_SYSTEM = "Reason to the given solution."

# Longest first, so that the first match at a position is the longest.
_SPECIALS_BY_LENGTH = sorted(((text.encode(), id_) for text, id_ in SPECIAL_TOKENS.items()), key=lambda s: -len(s[0]))


def encode(text: str) -> list[int]:
    """Token ids of `text`: a special token's text becomes its id (longest match), every other byte its own id."""
    data = text.encode("utf-8")
    ids, position = [], 0
    while position < len(data):
        for special, id_ in _SPECIALS_BY_LENGTH:
            if data.startswith(special, position):
                ids.append(id_)
                position += len(special)
                break
        else:
            ids.append(data[position])
            position += 1
    return ids


def plain_text(ids: list[int]) -> str:
    """What a verifier reads: the bytes of `ids` without special tokens, decoded as UTF-8 (U+FFFD for bad bytes)."""
    return bytes(id_ for id_ in ids if 0 <= id_ < 256).decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Prompts:
    """One question's token sequences under posterior template B (the one `vr learner` uses)."""

    reasoning: list[int]
    posterior: list[int]

    @classmethod
    def of(cls, item: TaskItem, hint: str) -> "Prompts":
        """Renders `item`; `hint` is `worked-solution` or `answer`, as the learner's `--hint`."""
        reasoning = (
            f"<|system|>{REASONING_SYSTEM}<|end|><|user|>{item.question}<|end|><|assistant|><|begin_of_thought|>"
        )
        posterior = (
            f"<|system|>{POSTERIOR_SYSTEM}<|end|><|user|>{item.question}<|end|><|assistant|>"
            f"<|begin_of_solution|>{item.hint(hint)}<|end_of_solution|><|begin_of_thought|>"
        )
        return cls(encode(reasoning), encode(posterior))

    def answer_prompt(self, thought: list[int]) -> list[int]:
        """pi's prompt for an answer after `thought` (a trace without its closing marker)."""
        return self.reasoning + thought + encode("<|end_of_thought|><|begin_of_solution|>")

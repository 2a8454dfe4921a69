"""Sampling and scoring one assignment's questions (docs/protocol.md, "Prompts and templates", "Sampling and
scoring" and "Assignments, batches and credits")."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gpt import GPT
from snapshot import Models
from tasks import TaskItem, final_answer_in
from text import END_OF_SOLUTION, END_OF_THOUGHT, Prompts, plain_text
from vr.v1 import rollout_pb2


@dataclass(frozen=True)
class RolloutOptions:
    """How traces and answers are sampled: the worker's own settings."""

    trace_temperature: float = 0.7
    max_trace_tokens: int = 48
    answers_per_trace: int = 4
    answer_temperature: float = 1.0
    max_answer_tokens: int = 24


class Sampler:
    """Turns assigned questions into scored traces with the current pi and q."""

    def __init__(self, items: dict[str, TaskItem], hint: str, options: RolloutOptions, seed: int):
        self.items = items
        self.hint = hint
        self.options = options
        self.rng = np.random.default_rng(seed)

    def question(
        self, assignment: rollout_pb2.QuestionAssignment, models: Models, tick: Callable[[], None]
    ) -> rollout_pb2.QuestionRollout:
        """All traces of one assigned question, each with its answers and their verdicts."""
        item = self.items[assignment.question_id]
        prompts = Prompts.of(item, self.hint)
        model, prompt = trace_source(assignment, models, prompts)
        answers_from_q = assignment.answer_model == rollout_pb2.ANSWER_MODEL_POSTERIOR_PARAMETERS
        answer_model = models.posterior if answers_from_q else models.reasoning
        traces = model.sample(
            prompt,
            assignment.trace_count,
            stop=END_OF_THOUGHT,
            max_new_tokens=self.options.max_trace_tokens,
            temperature=self.options.trace_temperature,
            rng=self.rng,
            tick=tick,
        )
        rollout = rollout_pb2.QuestionRollout(question_id=item.id, phase=assignment.phase)
        for trace in traces:
            thought = trace.tokens[: -len(END_OF_THOUGHT)]
            answers = self.answers(item, prompts, thought, answer_model, tick) if trace.finished else []
            rollout.traces.append(
                rollout_pb2.TraceRecord(
                    prompt_token_ids=prompt,
                    trace_token_ids=trace.tokens,
                    behaviour_log_probs=trace.log_probs,
                    truncated=not trace.finished,
                    sampled_answers=rollout_pb2.SampledAnswers(
                        answer_count=self.options.answers_per_trace,
                        correct_count=sum(answer.correct for answer in answers),
                        answers=answers,
                    ),
                )
            )
        return rollout

    def answers(
        self, item: TaskItem, prompts: Prompts, thought: list[int], model: GPT, tick: Callable[[], None]
    ) -> list[rollout_pb2.SampledAnswer]:
        """The answers sampled after a finished trace, with verdicts; none when they would not fit the context."""
        prompt = prompts.answer_prompt(thought)
        if len(prompt) + self.options.max_answer_tokens > model.configuration.context_length:
            return []
        samples = model.sample(
            prompt,
            self.options.answers_per_trace,
            stop=END_OF_SOLUTION,
            max_new_tokens=self.options.max_answer_tokens,
            temperature=self.options.answer_temperature,
            rng=self.rng,
            tick=tick,
        )
        return [
            rollout_pb2.SampledAnswer(
                token_ids=sample.tokens,
                behaviour_log_probs=sample.log_probs,
                correct=sample.finished and item.is_correct(final_answer_in(plain_text(sample.tokens))),
            )
            for sample in samples
        ]


def trace_source(assignment: rollout_pb2.QuestionAssignment, models: Models, prompts: Prompts) -> tuple[GPT, list[int]]:
    """The parameters and prompt that sample a question's traces. Under template B every trace stops at
    `<|end_of_thought|>`."""
    if assignment.phase == rollout_pb2.PHASE_POSTERIOR:
        return models.reasoning, prompts.reasoning
    proposal = assignment.proposal
    if proposal in (rollout_pb2.PROPOSAL_UNSPECIFIED, rollout_pb2.PROPOSAL_HINTED_POSTERIOR):
        return models.posterior, prompts.posterior
    if proposal == rollout_pb2.PROPOSAL_UNHINTED_POSTERIOR:
        return models.posterior, prompts.reasoning
    return models.reasoning, prompts.reasoning

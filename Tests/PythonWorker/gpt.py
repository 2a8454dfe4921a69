"""The byte-level GPT model in numpy: parameter layout, forward pass with a key/value cache, and sampling
(docs/protocol.md, "Snapshots and the model" and "Sampling and scoring")."""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

EPSILON = 1e-5


@dataclass(frozen=True)
class Configuration:
    """A GPT model's shape: L layers, width C, H heads, context T, vocabulary V."""

    layer_count: int
    width: int
    head_count: int
    context_length: int
    vocabulary_size: int

    @classmethod
    def from_json(cls, fields: dict) -> "Configuration":
        """Reads one model of the announcement's configuration JSON; refuses the pretrained families."""
        if fields.get("family", "gpt") != "gpt":
            raise ValueError(f"this worker runs byte-level GPT models only, not {fields['family']}")
        return cls(
            fields["layerCount"],
            fields["width"],
            fields["headCount"],
            fields["contextLength"],
            fields["vocabularySize"],
        )

    @property
    def parameter_count(self) -> int:
        """V*C + T*C + L*(12*C*C + 13*C) + 2*C."""
        c = self.width
        return self.vocabulary_size * c + self.context_length * c + self.layer_count * (12 * c * c + 13 * c) + 2 * c

    def shapes(self) -> list[tuple[str, tuple[int, ...]]]:
        """Every tensor's name and shape in buffer order."""
        c, v, t = self.width, self.vocabulary_size, self.context_length
        shapes = [("wte", (v, c)), ("wpe", (t, c))]
        for layer in range(self.layer_count):
            shapes += [
                (f"h.{layer}.{name}", shape)
                for name, shape in [
                    ("ln_1.weight", (c,)),
                    ("ln_1.bias", (c,)),
                    ("attn.qkv.weight", (3 * c, c)),
                    ("attn.qkv.bias", (3 * c,)),
                    ("attn.proj.weight", (c, c)),
                    ("attn.proj.bias", (c,)),
                    ("ln_2.weight", (c,)),
                    ("ln_2.bias", (c,)),
                    ("mlp.fc.weight", (4 * c, c)),
                    ("mlp.fc.bias", (4 * c,)),
                    ("mlp.proj.weight", (c, 4 * c)),
                    ("mlp.proj.bias", (c,)),
                ]
            ]
        return shapes + [("ln_f.weight", (c,)), ("ln_f.bias", (c,))]


@dataclass
class Sample:
    """One generated continuation: its tokens (with the stop marker when finished) and their log-probs."""

    tokens: list[int]
    log_probs: list[float]
    finished: bool


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """LayerNorm over the last axis with the biased variance and epsilon 1e-5."""
    centered = x - x.mean(axis=-1, keepdims=True)
    variance = (centered * centered).mean(axis=-1, keepdims=True)
    return centered / np.sqrt(variance + EPSILON) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh approximation."""
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)))


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax over the last axis, in float64."""
    shifted = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class GPT:
    """A GPT-2 style model over one flat float32 parameter buffer."""

    def __init__(self, configuration: Configuration, parameters: np.ndarray):
        if parameters.size != configuration.parameter_count:
            raise ValueError(f"{parameters.size} parameters for a model of {configuration.parameter_count}")
        self.configuration = configuration
        self.weights: dict[str, np.ndarray] = {}
        offset = 0
        for name, shape in configuration.shapes():
            count = math.prod(shape)
            self.weights[name] = parameters[offset : offset + count].reshape(shape)
            offset += count

    def sample(
        self,
        prompt: list[int],
        count: int,
        *,
        stop: list[int],
        max_new_tokens: int,
        temperature: float,
        rng: np.random.Generator,
        tick: Callable[[], None] = lambda: None,
    ) -> list[Sample]:
        """`count` continuations of `prompt`, each ending at `stop` (finished), after `max_new_tokens` or when the
        context is full; drawn at `temperature` (0: greedy), log-probs at temperature 1. `tick` runs once per token
        step, so that the caller can keep the connection alive."""
        config = self.configuration
        if not 0 < len(prompt) < config.context_length:
            raise ValueError(f"a prompt of {len(prompt)} tokens does not fit the context of {config.context_length}")
        cache = Cache(config, count)
        logits = self.forward(np.array([prompt]), 0, cache)[:, -1]
        cache.repeat(count)
        logits = np.repeat(logits, count, axis=0)
        samples = [Sample([], [], False) for _ in range(count)]
        live = list(range(count))
        length = len(prompt)
        while live:
            tick()
            tokens = choose(logits, temperature, rng)
            log_probs = log_softmax(logits)[np.arange(count), tokens]
            length += 1
            for row in list(live):
                sample = samples[row]
                sample.tokens.append(int(tokens[row]))
                sample.log_probs.append(float(log_probs[row]))
                if sample.tokens[-len(stop) :] == stop:
                    sample.finished = True
                if sample.finished or len(sample.tokens) >= max_new_tokens or length >= config.context_length:
                    live.remove(row)
            if live:
                logits = self.forward(tokens[:, None], length - 1, cache)[:, -1]
        return samples

    def forward(self, tokens: np.ndarray, start: int, cache: "Cache") -> np.ndarray:
        """Logits `[B, n, V]` after `tokens` `[B, n]` at positions `start ..< start + n`, extending `cache`."""
        w = self.weights
        n = tokens.shape[1]
        x = w["wte"][tokens] + w["wpe"][start : start + n]
        for layer in range(self.configuration.layer_count):
            prefix = f"h.{layer}."
            h = layer_norm(x, w[prefix + "ln_1.weight"], w[prefix + "ln_1.bias"])
            qkv = h @ w[prefix + "attn.qkv.weight"].T + w[prefix + "attn.qkv.bias"]
            attended = self.attention(qkv, start, cache.layers[layer])
            x = x + attended @ w[prefix + "attn.proj.weight"].T + w[prefix + "attn.proj.bias"]
            h = layer_norm(x, w[prefix + "ln_2.weight"], w[prefix + "ln_2.bias"])
            h = gelu(h @ w[prefix + "mlp.fc.weight"].T + w[prefix + "mlp.fc.bias"])
            x = x + h @ w[prefix + "mlp.proj.weight"].T + w[prefix + "mlp.proj.bias"]
        return layer_norm(x, w["ln_f.weight"], w["ln_f.bias"]) @ w["wte"].T

    def attention(self, qkv: np.ndarray, start: int, layer: "LayerCache") -> np.ndarray:
        """Causal multi-head attention of the new rows over the cached and new keys and values."""
        batch, n, _ = qkv.shape
        heads, c = self.configuration.head_count, self.configuration.width
        d = c // heads
        q, k, v = (qkv[..., i * c : (i + 1) * c].reshape(batch, n, heads, d).transpose(0, 2, 1, 3) for i in range(3))
        layer.keys[:batch, :, start : start + n] = k
        layer.values[:batch, :, start : start + n] = v
        keys, values = layer.keys[:batch, :, : start + n], layer.values[:batch, :, : start + n]
        scores = q @ keys.transpose(0, 1, 3, 2) / math.sqrt(d)
        mask = np.arange(start + n)[None, :] > np.arange(start, start + n)[:, None]
        scores = np.where(mask, -np.inf, scores)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probabilities = scores / scores.sum(axis=-1, keepdims=True)
        return (probabilities @ values).transpose(0, 2, 1, 3).reshape(batch, n, c)


@dataclass
class LayerCache:
    """One layer's keys and values, `[B, H, T, D]`."""

    keys: np.ndarray
    values: np.ndarray


class Cache:
    """The key/value cache of a batch of sequences that share a prompt."""

    def __init__(self, configuration: Configuration, batch: int):
        heads = configuration.head_count
        shape = (batch, heads, configuration.context_length, configuration.width // heads)
        self.layers = [
            LayerCache(np.zeros(shape, np.float32), np.zeros(shape, np.float32))
            for _ in range(configuration.layer_count)
        ]

    def repeat(self, count: int) -> None:
        """Copies row 0 (the prompt's) into the first `count` rows."""
        for layer in self.layers:
            layer.keys[:count] = layer.keys[:1]
            layer.values[:count] = layer.values[:1]


def choose(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> np.ndarray:
    """One token per row of `logits` `[B, V]`: drawn from softmax(logits / temperature), or the argmax at 0."""
    if temperature == 0:
        return logits.argmax(axis=-1)
    probabilities = np.exp(log_softmax(logits / temperature))
    uniforms = rng.random((logits.shape[0], 1))
    tokens = (probabilities.cumsum(axis=-1) <= uniforms).sum(axis=-1)
    return np.minimum(tokens, logits.shape[1] - 1)

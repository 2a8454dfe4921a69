#!/usr/bin/env python3
"""PyTorch (eager, CPU, fp32) comparator for `vr bench`.

Implements the same GPT-2-style decoder-only transformer as Sources/VRModel and measures
training and sampling throughput on the two reference configurations:

  S: 4 layers, width 256, 4 heads, context 128, vocabulary 268   (training batch 16)
  M: 6 layers, width 384, 6 heads, context 256, vocabulary 268   (training batch 8)

Architecture (parameter names and [out, in] layouts match Sources/VRModel/ParameterLayout.swift):
  h = wte[x] + wpe[0..T); per block: h += proj(attn(ln_1(h))); h += mlp.proj(gelu_tanh(mlp.fc(ln_2(h))));
  logits = ln_f(h) @ wte^T (tied embeddings). LayerNorm eps 1e-5. The qkv weight is [3C, C] with rows
  q | k | v, and head i owns rows i*C/H ..< (i+1)*C/H of each.

Measurements (each the best of --repeats timed runs, after warm-up):
  training  B sequences of full context (B*T = 2048 tokens per step), forward + cross-entropy +
            backward + AdamW step (lr 3e-4, weight decay 0.1 on matrices, none on biases and
            LayerNorm parameters, as in GPT-2), fp32; --steps timed steps after 2 warm-up steps;
            train_tokens_per_s = B * T * steps / time.
            The training forward uses F.scaled_dot_product_attention(is_causal=True), which is
            PyTorch's fastest CPU attention (a fused flash-attention kernel); pass
            --train-attention explicit for the plain matmul + masked softmax + matmul form.
  sampling  batch 32, a prompt of 16 random tokens, then T - 16 new tokens generated one at a time
            with an explicit per-layer KV cache (preallocated [B, H, T, hs] key and value tensors),
            temperature-1 multinomial sampling (torch.multinomial on the softmax) under
            torch.no_grad(), plain eager per-step Python loop; the prompt prefill is included in
            the time; sample_tokens_per_s = 32 * (T - 16) / time. One untimed warm-up generation.

Output: one JSON object per configuration on stdout, e.g.
  {"system":"pytorch","config":"S","threads":2,"train_tokens_per_s":...,"sample_tokens_per_s":...,
   "torch_version":"2.x", ...extra descriptive fields}
Progress messages go to stderr.
"""

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class Config:
    name: str
    layer_count: int
    width: int
    head_count: int
    context_length: int
    vocabulary_size: int
    train_batch: int


CONFIGS = {
    "S": Config("S", layer_count=4, width=256, head_count=4, context_length=128, vocabulary_size=268, train_batch=16),
    "M": Config("M", layer_count=6, width=384, head_count=6, context_length=256, vocabulary_size=268, train_batch=8),
}
SAMPLE_BATCH = 32
PROMPT_LENGTH = 16
LAYER_NORM_EPS = 1e-5


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: Config, train_attention: str):
        super().__init__()
        self.head_count = cfg.head_count
        self.head_width = cfg.width // cfg.head_count
        self.qkv = nn.Linear(cfg.width, 3 * cfg.width)   # weight [3C, C]: rows q | k | v
        self.proj = nn.Linear(cfg.width, cfg.width)
        self.train_attention = train_attention

    def _split_heads(self, x):
        """[B, T, 3C] -> q, k, v each [B, H, T, hs]."""
        b, t, _ = x.shape
        q, k, v = x.split(self.head_count * self.head_width, dim=-1)
        return (z.view(b, t, self.head_count, self.head_width).transpose(1, 2) for z in (q, k, v))

    def _merge_heads(self, y):
        b, _, t, _ = y.shape
        return y.transpose(1, 2).reshape(b, t, self.head_count * self.head_width)

    def forward(self, x):
        """Full-sequence causal attention (training)."""
        q, k, v = self._split_heads(self.qkv(x))
        if self.train_attention == "sdpa":
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            y = explicit_attention(q, k, v, causal=True)
        return self.proj(self._merge_heads(y))

    def forward_cached(self, x, cache_k, cache_v, position):
        """Attention for tokens at positions position ..< position + T_new, using and filling the KV cache.

        cache_k, cache_v: [B, H, T_max, hs], preallocated.
        """
        q, k, v = self._split_heads(self.qkv(x))
        end = position + x.shape[1]
        cache_k[:, :, position:end] = k
        cache_v[:, :, position:end] = v
        y = explicit_attention(q, cache_k[:, :, :end], cache_v[:, :, :end], causal=x.shape[1] > 1, offset=position)
        return self.proj(self._merge_heads(y))


def explicit_attention(q, k, v, causal, offset=0):
    """softmax(q k^T / sqrt(hs)) v; with causal, query i (absolute position offset + i) sees keys 0...offset + i."""
    scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]))
    if causal:
        tq, tk = q.shape[-2], k.shape[-2]
        mask = torch.ones(tq, tk, dtype=torch.bool).tril(diagonal=offset)
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


class MLP(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.fc = nn.Linear(cfg.width, 4 * cfg.width)
        self.proj = nn.Linear(4 * cfg.width, cfg.width)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, cfg: Config, train_attention: str):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.width, eps=LAYER_NORM_EPS)
        self.attn = CausalSelfAttention(cfg, train_attention)
        self.ln_2 = nn.LayerNorm(cfg.width, eps=LAYER_NORM_EPS)
        self.mlp = MLP(cfg)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))

    def forward_cached(self, x, cache_k, cache_v, position):
        x = x + self.attn.forward_cached(self.ln_1(x), cache_k, cache_v, position)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """State-dict names are the checkpoint names with `wte`/`wpe` as `wte.weight`/`wpe.weight`."""

    def __init__(self, cfg: Config, train_attention: str = "sdpa"):
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocabulary_size, cfg.width)
        self.wpe = nn.Embedding(cfg.context_length, cfg.width)
        self.h = nn.ModuleList(Block(cfg, train_attention) for _ in range(cfg.layer_count))
        self.ln_f = nn.LayerNorm(cfg.width, eps=LAYER_NORM_EPS)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if getattr(module, "bias", None) is not None:
                nn.init.zeros_(module.bias)

    def logits(self, h):
        return F.linear(self.ln_f(h), self.wte.weight)  # tied embeddings

    def forward(self, idx, targets=None):
        """idx [B, T] -> logits [B, T, V], and the mean cross-entropy if targets are given."""
        t = idx.shape[1]
        h = self.wte(idx) + self.wpe.weight[:t]
        for block in self.h:
            h = block(h)
        logits = self.logits(h)
        if targets is None:
            return logits, None
        return logits, F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.reshape(-1))

    @torch.no_grad()
    def generate(self, prompt, new_tokens, temperature=1.0, generator=None):
        """Samples new_tokens tokens after prompt [B, P] with a KV cache; returns [B, P + new_tokens]."""
        cfg = self.cfg
        b, p = prompt.shape
        total = p + new_tokens
        assert total <= cfg.context_length
        hs = cfg.width // cfg.head_count
        caches = [
            (torch.empty(b, cfg.head_count, total, hs), torch.empty(b, cfg.head_count, total, hs))
            for _ in range(cfg.layer_count)
        ]
        out = torch.empty(b, total, dtype=torch.long)
        out[:, :p] = prompt
        x, position = prompt, 0
        for i in range(new_tokens):
            t = x.shape[1]
            h = self.wte(x) + self.wpe.weight[position:position + t]
            for block, (cache_k, cache_v) in zip(self.h, caches):
                h = block.forward_cached(h, cache_k, cache_v, position)
            logits = self.logits(h[:, -1])                              # [B, V], last position only
            probs = torch.softmax(logits / temperature, dim=-1)
            x = torch.multinomial(probs, 1, generator=generator)        # [B, 1]
            out[:, p + i] = x[:, 0]
            position += t
        return out


def make_optimizer(model, lr=3e-4, weight_decay=0.1):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr, betas=(0.9, 0.95), eps=1e-8)


def bench_training(cfg, repeats, steps, warmup_steps, train_attention, seed):
    torch.manual_seed(seed)
    model = GPT(cfg, train_attention).train()
    optimizer = make_optimizer(model)
    b, t = cfg.train_batch, cfg.context_length
    data = torch.randint(0, cfg.vocabulary_size, (b, t + 1))
    inputs, targets = data[:, :-1].contiguous(), data[:, 1:].contiguous()

    def step():
        _, loss = model(inputs, targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()  # synchronises and keeps the work honest

    for _ in range(warmup_steps):
        step()
    best = math.inf
    for r in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            loss = step()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        print(f"  [{cfg.name}] train repeat {r + 1}/{repeats}: {b * t * steps / elapsed:.0f} tokens/s "
              f"(loss {loss:.3f})", file=sys.stderr)
    return b * t * steps / best, sum(p.numel() for p in model.parameters())


def bench_sampling(cfg, repeats, seed):
    torch.manual_seed(seed)
    model = GPT(cfg).eval()
    generator = torch.Generator().manual_seed(seed)
    prompt = torch.randint(0, cfg.vocabulary_size, (SAMPLE_BATCH, PROMPT_LENGTH), generator=generator)
    new_tokens = cfg.context_length - PROMPT_LENGTH
    model.generate(prompt, new_tokens, generator=generator)  # warm-up
    best = math.inf
    for r in range(repeats):
        start = time.perf_counter()
        out = model.generate(prompt, new_tokens, generator=generator)
        elapsed = time.perf_counter() - start
        assert out.shape == (SAMPLE_BATCH, cfg.context_length)
        best = min(best, elapsed)
        print(f"  [{cfg.name}] sample repeat {r + 1}/{repeats}: {SAMPLE_BATCH * new_tokens / elapsed:.0f} tokens/s",
              file=sys.stderr)
    return SAMPLE_BATCH * new_tokens / best, new_tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default="S,M", help="comma-separated subset of S,M (default S,M)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs, best reported (default 3)")
    parser.add_argument("--steps", type=int, default=5, help="timed training steps per run (default 5)")
    parser.add_argument("--warmup-steps", type=int, default=2, help="untimed training steps (default 2)")
    parser.add_argument("--train-attention", choices=["sdpa", "explicit"], default="sdpa",
                        help="training attention: F.scaled_dot_product_attention (default) or explicit")
    parser.add_argument("--seed", type=int, default=1234)
    args = parser.parse_args()

    names = [n.strip().upper() for n in args.configs.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown or not names or args.threads < 1 or args.repeats < 1 or args.steps < 1 or args.warmup_steps < 0:
        parser.error(f"bad arguments (unknown configs: {unknown})" if unknown else "bad arguments")

    torch.set_num_threads(args.threads)
    for name in names:
        cfg = CONFIGS[name]
        print(f"[{name}] {cfg}", file=sys.stderr)
        train_tps, parameters = bench_training(
            cfg, args.repeats, args.steps, args.warmup_steps, args.train_attention, args.seed)
        sample_tps, new_tokens = bench_sampling(cfg, args.repeats, args.seed)
        print(json.dumps({
            "system": "pytorch",
            "config": name,
            "threads": args.threads,
            "train_tokens_per_s": round(train_tps, 1),
            "sample_tokens_per_s": round(sample_tps, 1),
            "torch_version": torch.__version__,
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "parameters": parameters,
            "train_batch": cfg.train_batch,
            "context_length": cfg.context_length,
            "train_steps": args.steps,
            "train_attention": args.train_attention,
            "sample_batch": SAMPLE_BATCH,
            "sample_new_tokens": new_tokens,
            "repeats": args.repeats,
        }), flush=True)


if __name__ == "__main__":
    main()

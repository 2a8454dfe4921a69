#!/usr/bin/env python3
"""Generates reference_model.safetensors, the golden fixture for the Swift transformer's forward pass.

The fixture holds a tiny GPT-2-style model (2 layers, width 32, 4 heads, context 16, vocabulary 64)
with deterministic random weights, a batch of tokens, and the logits and next-token log-probabilities
that this script's NumPy forward pass (float64 internally) computes for them.

Architecture (must match Sources/VRModel exactly):
  h = wte[x] + wpe[0..T)
  per block l:
    a = LayerNorm(h; ln_1)                       eps 1e-5, biased variance
    qkv = a @ qkv.weight^T + qkv.bias            weight [3C, C]: rows q | k | v; head i owns
                                                 columns i*hs ..< (i+1)*hs of each, hs = C / H
    att = softmax(q k^T / sqrt(hs), causal) v    per head, heads concatenated in order
    h = h + att @ proj.weight^T + proj.bias
    m = LayerNorm(h; ln_2)
    h = h + gelu_tanh(m @ fc.weight^T + fc.bias) @ mlp.proj.weight^T + mlp.proj.bias
  logits = LayerNorm(h; ln_f) @ wte^T            tied embeddings

The safetensors file is written by hand (no `safetensors` package needed): an 8-byte little-endian
header length, a JSON header padded with spaces to a multiple of 8, then the raw little-endian data.

Usage:
  python3 generate_reference.py                 # writes reference_model.safetensors next to this file
  python3 generate_reference.py --check-torch   # also compares against an independent PyTorch
                                                # implementation (skipped if torch is missing)
Only NumPy is required. The output is byte-for-byte reproducible.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np

CONFIG = {"layerCount": 2, "width": 32, "headCount": 4, "contextLength": 16, "vocabularySize": 64}
SEED = 20240611
BATCH = 2
GENERATOR = "Tests/VRModelTests/Fixtures/generate_reference.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_model.safetensors")
LAYER_NORM_EPS = 1e-5


def parameter_layout(config):
    """(name, shape) of every parameter, in the order of Sources/VRModel/ParameterLayout.swift."""
    c, v, t = config["width"], config["vocabularySize"], config["contextLength"]
    layout = [("wte", (v, c)), ("wpe", (t, c))]
    for layer in range(config["layerCount"]):
        p = f"h.{layer}."
        layout += [
            (p + "ln_1.weight", (c,)), (p + "ln_1.bias", (c,)),
            (p + "attn.qkv.weight", (3 * c, c)), (p + "attn.qkv.bias", (3 * c,)),
            (p + "attn.proj.weight", (c, c)), (p + "attn.proj.bias", (c,)),
            (p + "ln_2.weight", (c,)), (p + "ln_2.bias", (c,)),
            (p + "mlp.fc.weight", (4 * c, c)), (p + "mlp.fc.bias", (4 * c,)),
            (p + "mlp.proj.weight", (c, 4 * c)), (p + "mlp.proj.bias", (c,)),
        ]
    layout += [("ln_f.weight", (c,)), ("ln_f.bias", (c,))]
    return layout


def make_parameters(config, rng):
    """Deterministic, non-trivial float32 parameters: every tensor is random, none is 0 or 1."""
    params = {}
    for name, shape in parameter_layout(config):
        if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
            values = 1.0 + 0.1 * rng.standard_normal(shape)
        elif name.endswith(".bias"):
            values = 0.1 * rng.standard_normal(shape)
        else:  # wte, wpe and linear weights
            values = 0.2 * rng.standard_normal(shape)
        params[name] = values.astype(np.float32)
    return params


# ---------------------------------------------------------------------------------------------
# Forward pass (float64)
# ---------------------------------------------------------------------------------------------

def layer_norm(x, weight, bias):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # biased variance
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * weight + bias


def linear(x, weight, bias):
    """torch.nn.Linear semantics: weight is [out, in]."""
    return x @ weight.T + bias


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def causal_self_attention(a, p, prefix, head_count):
    b, t, c = a.shape
    hs = c // head_count
    qkv = linear(a, p[prefix + "attn.qkv.weight"], p[prefix + "attn.qkv.bias"])  # [B, T, 3C]
    q, k, v = qkv[..., :c], qkv[..., c:2 * c], qkv[..., 2 * c:]
    mask = np.tril(np.ones((t, t), dtype=bool))
    heads = []
    for i in range(head_count):
        cols = slice(i * hs, (i + 1) * hs)
        qi, ki, vi = q[..., cols], k[..., cols], v[..., cols]          # [B, T, hs]
        scores = qi @ ki.transpose(0, 2, 1) / math.sqrt(hs)            # [B, T, T]
        scores = np.where(mask, scores, -np.inf)
        heads.append(softmax(scores) @ vi)                             # [B, T, hs]
    att = np.concatenate(heads, axis=-1)                               # [B, T, C]
    return linear(att, p[prefix + "attn.proj.weight"], p[prefix + "attn.proj.bias"])


def forward(params, tokens, config):
    """Logits [B, T, V] in float64."""
    p = {name: value.astype(np.float64) for name, value in params.items()}
    t = tokens.shape[1]
    h = p["wte"][tokens] + p["wpe"][:t]
    for layer in range(config["layerCount"]):
        prefix = f"h.{layer}."
        a = layer_norm(h, p[prefix + "ln_1.weight"], p[prefix + "ln_1.bias"])
        h = h + causal_self_attention(a, p, prefix, config["headCount"])
        m = layer_norm(h, p[prefix + "ln_2.weight"], p[prefix + "ln_2.bias"])
        hidden = gelu_tanh(linear(m, p[prefix + "mlp.fc.weight"], p[prefix + "mlp.fc.bias"]))
        h = h + linear(hidden, p[prefix + "mlp.proj.weight"], p[prefix + "mlp.proj.bias"])
    return layer_norm(h, p["ln_f.weight"], p["ln_f.bias"]) @ p["wte"].T


def next_token_logprobs(logits, tokens):
    """log_softmax(logits)[b, t, tokens[b, t + 1]] for t < T - 1, shape [B, T - 1]."""
    logp = log_softmax(logits)
    b, t = tokens.shape
    return np.take_along_axis(logp[:, :t - 1, :], tokens[:, 1:, None], axis=-1)[..., 0]


# ---------------------------------------------------------------------------------------------
# safetensors writer
# ---------------------------------------------------------------------------------------------

DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.int32): "I32"}


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, array) in file order; arrays must be float32 or int32."""
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, array in tensors:
        array = np.ascontiguousarray(array)
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {
            "dtype": DTYPES[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for data in blobs:
            f.write(data)


# ---------------------------------------------------------------------------------------------
# Optional cross-check against PyTorch (independent implementation using torch.nn.functional)
# ---------------------------------------------------------------------------------------------

def check_against_torch(params, tokens, logits, logprobs, config):
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("torch is not installed; skipping --check-torch", file=sys.stderr)
        return
    p = {name: torch.from_numpy(value.astype(np.float64)) for name, value in params.items()}
    x = torch.from_numpy(tokens.astype(np.int64))
    b, t = x.shape
    c, nh = config["width"], config["headCount"]
    h = F.embedding(x, p["wte"]) + p["wpe"][:t]
    for layer in range(config["layerCount"]):
        pre = f"h.{layer}."
        a = F.layer_norm(h, (c,), p[pre + "ln_1.weight"], p[pre + "ln_1.bias"], eps=LAYER_NORM_EPS)
        q, k, v = F.linear(a, p[pre + "attn.qkv.weight"], p[pre + "attn.qkv.bias"]).split(c, dim=-1)
        q, k, v = (z.view(b, t, nh, c // nh).transpose(1, 2) for z in (q, k, v))
        att = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        att = att.transpose(1, 2).reshape(b, t, c)
        h = h + F.linear(att, p[pre + "attn.proj.weight"], p[pre + "attn.proj.bias"])
        m = F.layer_norm(h, (c,), p[pre + "ln_2.weight"], p[pre + "ln_2.bias"], eps=LAYER_NORM_EPS)
        hidden = F.gelu(F.linear(m, p[pre + "mlp.fc.weight"], p[pre + "mlp.fc.bias"]), approximate="tanh")
        h = h + F.linear(hidden, p[pre + "mlp.proj.weight"], p[pre + "mlp.proj.bias"])
    torch_logits = F.linear(F.layer_norm(h, (c,), p["ln_f.weight"], p["ln_f.bias"], eps=LAYER_NORM_EPS), p["wte"])
    torch_logprobs = torch.log_softmax(torch_logits, dim=-1)[:, :-1].gather(-1, x[:, 1:, None])[..., 0]
    d_logits = np.abs(torch_logits.numpy() - logits).max()
    d_logprobs = np.abs(torch_logprobs.numpy() - logprobs).max()
    print(f"torch {torch.__version__} float64 check: max |d logits| = {d_logits:.3e}, "
          f"max |d next-token logprobs| = {d_logprobs:.3e}")
    if max(d_logits, d_logprobs) > 1e-9:
        sys.exit("mismatch against torch")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", default=OUTPUT)
    parser.add_argument("--check-torch", action="store_true", help="compare against PyTorch if installed")
    args = parser.parse_args()

    rng = np.random.default_rng(SEED)
    params = make_parameters(CONFIG, rng)
    tokens = rng.integers(0, CONFIG["vocabularySize"], size=(BATCH, CONFIG["contextLength"])).astype(np.int32)

    logits = forward(params, tokens, CONFIG)
    logprobs = next_token_logprobs(logits, tokens)
    if args.check_torch:
        check_against_torch(params, tokens, logits, logprobs, CONFIG)

    metadata = {
        "format": "vr-transformer",
        "format_version": "1",
        "config": json.dumps(CONFIG, separators=(",", ":")),
        "generator": GENERATOR,
    }
    tensors = [(name, params[name]) for name, _ in parameter_layout(CONFIG)]
    tensors += [
        ("fixture.tokens", tokens),
        ("fixture.logits", logits.astype(np.float32)),
        ("fixture.next_token_logprobs", logprobs.astype(np.float32)),
    ]
    write_safetensors(args.output, tensors, metadata)
    print(f"wrote {args.output} ({os.path.getsize(args.output)} bytes); "
          f"logits std {logits.std():.3f}, range [{logits.min():.3f}, {logits.max():.3f}]; "
          f"mean next-token logprob {logprobs.mean():.3f}")


if __name__ == "__main__":
    main()

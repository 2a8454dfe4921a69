#!/usr/bin/env python3
"""Check that a vr checkpoint directory reads correctly with Python's `safetensors`.

Usage: check_safetensors.py CHECKPOINT_DIR

Loads CHECKPOINT_DIR/model.safetensors with safetensors.numpy.load_file (tensors) and safe_open
(metadata), re-derives the expected tensor names and shapes from CHECKPOINT_DIR/config.json following
Sources/VRModel/ParameterLayout.swift, and checks that every tensor is float32, has the expected shape
and holds only finite values, and that the metadata names the vr-transformer format and the same
configuration. Prints a one-line summary; exits 1 on any mismatch (listing each), 2 on usage errors.

Requires: pip install numpy safetensors
"""

import json
import math
import os
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

CONFIG_KEYS = ("layerCount", "width", "headCount", "contextLength", "vocabularySize")


def expected_layout(config):
    """(name, shape) pairs in buffer order, mirroring ParameterLayout.swift."""
    c = config["width"]
    layout = [("wte", (config["vocabularySize"], c)), ("wpe", (config["contextLength"], c))]
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


def check(directory):
    """Returns (problems, summary)."""
    model_path = os.path.join(directory, "model.safetensors")
    with open(os.path.join(directory, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    problems = [f"config.json: missing key {key!r}" for key in CONFIG_KEYS if key not in config]
    if problems:
        return problems, ""

    with safe_open(model_path, framework="numpy") as f:
        metadata = f.metadata() or {}
    if metadata.get("format") != "vr-transformer":
        problems.append(f"metadata format is {metadata.get('format')!r}, expected 'vr-transformer'")
    if metadata.get("format_version") != "1":
        problems.append(f"metadata format_version is {metadata.get('format_version')!r}, expected '1'")
    try:
        if json.loads(metadata.get("config", "null")) != config:
            problems.append(f"metadata config {metadata.get('config')} disagrees with config.json {config}")
    except json.JSONDecodeError as error:
        problems.append(f"metadata config is not JSON: {error}")

    tensors = load_file(model_path)
    expected = expected_layout(config)
    for name, shape in expected:
        if name not in tensors:
            problems.append(f"missing tensor {name!r} (expected shape {list(shape)})")
            continue
        array = tensors[name]
        if array.dtype != np.float32:
            problems.append(f"tensor {name!r} has dtype {array.dtype}, expected float32")
        if array.shape != shape:
            problems.append(f"tensor {name!r} has shape {list(array.shape)}, expected {list(shape)}")
        elif not np.isfinite(array).all():
            problems.append(f"tensor {name!r} has {int((~np.isfinite(array)).sum())} non-finite values")
    names = {name for name, _ in expected}
    problems += [f"unexpected tensor {name!r}" for name in sorted(tensors) if name not in names]

    count = sum(math.prod(shape) for _, shape in expected)
    summary = (
        f"ok: {model_path}: {len(tensors)} float32 tensors, {count} parameters, "
        f"config {json.dumps(config, sort_keys=True, separators=(',', ':'))}, all finite"
    )
    return problems, summary


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        problems, summary = check(argv[1])
    except Exception as error:  # unreadable or malformed files are mismatches too
        problems, summary = [f"{type(error).__name__}: {error}"], ""
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"FAILED: {argv[1]}: {len(problems)} problem(s)")
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""transformers / PyTorch (eager, CPU, float32) side of the SmolLM2 comparison (see compare.sh).

Loads a GGUF file with transformers (`from_pretrained(gguf_file=...)`, which dequantizes every tensor to
float32) and measures, on the shapes `vr bench --model` uses:

  sampling  for each --batches size B: B prompts of 64 random tokens, 128 new tokens each, `generate` with its
            KV cache, temperature-1 multinomial sampling with no top-k/top-p filter, min_new_tokens 128 so
            no sequence stops early; the prefill is included in the time;
            sample_tokens_per_s = B * 128 / time.
  training  4 sequences of 256 random tokens, forward + cross-entropy + backward + AdamW step (lr 1e-5);
            train_tokens_per_s = 4 * 256 * steps / time.

Each figure is the best of --repeats timed runs after one untimed warm-up. Output: one JSON object per line
on stdout; progress on stderr. peak_resident_mib is the process's peak resident memory after the run.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time

import torch
import transformers
from transformers import AutoModelForCausalLM

PROMPT_LENGTH = 64
NEW_TOKENS = 128
TRAIN_BATCH = 4
TRAIN_TIME = 256


def processor_name():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def peak_resident_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_seconds(repeats, body):
    body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return min(times)


def sampling(model, vocabulary_size, batch, repeats):
    generator = torch.Generator().manual_seed(3)
    prompts = torch.randint(0, vocabulary_size, (batch, PROMPT_LENGTH), generator=generator)
    mask = torch.ones_like(prompts)

    def generate():
        with torch.no_grad():
            output = model.generate(
                input_ids=prompts, attention_mask=mask, do_sample=True, temperature=1.0, top_k=None, top_p=None,
                max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, use_cache=True,
                pad_token_id=model.config.eos_token_id)
        assert output.shape == (batch, PROMPT_LENGTH + NEW_TOKENS), output.shape

    return batch * NEW_TOKENS / best_seconds(repeats, generate)


def training(model, vocabulary_size, steps, repeats):
    generator = torch.Generator().manual_seed(5)
    tokens = torch.randint(0, vocabulary_size, (TRAIN_BATCH, TRAIN_TIME), generator=generator)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)
    model.train()

    def run():
        for _ in range(steps):
            loss = model(input_ids=tokens, labels=tokens).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)

    seconds = best_seconds(repeats, run)
    model.eval()
    return TRAIN_BATCH * TRAIN_TIME * steps / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gguf", help="the model's GGUF file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batches", default="1,32", help="comma-separated sampling batch sizes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--train-steps", type=int, default=2)
    arguments = parser.parse_args()

    torch.set_num_threads(arguments.threads)
    directory, name = os.path.split(os.path.abspath(arguments.gguf))
    print(f"loading {name} with transformers {transformers.__version__} ...", file=sys.stderr)
    model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=torch.float32)
    model.eval()
    vocabulary_size = model.config.vocab_size
    description = {
        "system": "transformers", "model": name, "threads": arguments.threads, "processor": processor_name(),
        "torch_version": torch.__version__, "transformers_version": transformers.__version__,
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
    }
    for batch in (int(text) for text in arguments.batches.split(",")):
        print(f"transformers generate, batch {batch} ...", file=sys.stderr)
        rate = sampling(model, vocabulary_size, batch, arguments.repeats)
        print(json.dumps({**description, "metric": "sample", "batch": batch, "tokens_per_s": rate,
                          "peak_resident_mib": peak_resident_mib()}), flush=True)
    print(f"PyTorch training, {TRAIN_BATCH} x {TRAIN_TIME} ...", file=sys.stderr)
    rate = training(model, vocabulary_size, arguments.train_steps, arguments.repeats)
    print(json.dumps({**description, "metric": "train", "batch": TRAIN_BATCH, "tokens_per_s": rate,
                      "peak_resident_mib": peak_resident_mib()}), flush=True)


if __name__ == "__main__":
    main()

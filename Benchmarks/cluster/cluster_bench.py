#!/usr/bin/env python3
"""Cluster benchmark: rollouts/s with 1 and 2 workers, and the time from a learner update to every worker.

Runs `vr learner` and N `vr worker` processes on loopback with the demo's model size (4 layers, width 128)
and reads their JSON event lines:
  - rollouts/s: traces the learner trained on, per second of the run (from RUN/metrics.jsonl);
  - update latency: for each published version, the time from the learner's publication until every worker
    holds it complete ("received", over the PUB channel) and until every worker samples with it or a newer
    version ("applied"; a worker applies new parameters between assignments, so this includes the rest of the
    assignment it is working on).

usage: Benchmarks/cluster/cluster_bench.py VR_BINARY [--model-steps N] [--workers 1,2]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run(vr, *args, **kwargs):
    return subprocess.run([vr, *args], check=True, capture_output=True, text=True, **kwargs)


def prepare(vr, work):
    run(vr, "tasks", "--families", "addition", "--count", "500", "--maximum-difficulty", "2",
        "--output", f"{work}/train.jsonl", "--seed", "1")
    config = {"model": {"layerCount": 4, "width": 128, "headCount": 4, "contextLength": 128,
                        "vocabularySize": 268}, "steps": 30, "batchSize": 16}
    with open(f"{work}/sft.json", "w") as file:
        json.dump(config, file)
    for stage, name in (("reasoning", "pi"), ("posterior", "q")):
        run(vr, "sft-data", "--tasks", f"{work}/train.jsonl", "--stage", stage, "--output", f"{work}/{name}.jsonl")
        run(vr, "sft", "--data", f"{work}/{name}.jsonl", "--output", f"{work}/{name}", "--config", f"{work}/sft.json")


def events(path):
    rows = []
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return rows


def measure(vr, work, worker_count, model_steps):
    run_dir = f"{work}/run-{worker_count}"
    endpoints = f"{run_dir}.endpoints"
    environment = dict(os.environ, VR_THREADS="1")
    learner_log = open(f"{run_dir}.learner.log", "w")
    learner = subprocess.Popen(
        [vr, "learner", "--tasks", f"{work}/train.jsonl", "--run", run_dir, "--reasoning", f"{work}/pi",
         "--posterior", f"{work}/q", "--request-endpoint", "tcp://127.0.0.1:*", "--publish-endpoint",
         "tcp://127.0.0.1:*", "--endpoints-file", endpoints, "--model-steps", str(model_steps), "--json"],
        stdout=learner_log, stderr=subprocess.STDOUT, env=environment)
    while not os.path.exists(endpoints):
        time.sleep(0.1)
    workers = []
    for index in range(worker_count):
        log = open(f"{run_dir}.worker{index}.log", "w")
        workers.append(subprocess.Popen(
            [vr, "worker", "--tasks", f"{work}/train.jsonl", "--endpoints-file", endpoints, "--id", f"w{index}",
             "--seed", str(index), "--json", "--learner-gone-seconds", "2"],
            stdout=log, stderr=subprocess.STDOUT, env=environment))
    if learner.wait() != 0:
        sys.exit(f"learner failed; see {run_dir}.learner.log")
    for worker in workers:
        worker.terminate()
        worker.wait()
    metrics = [json.loads(line) for line in open(f"{run_dir}/metrics.jsonl")]
    traces = sum(row["traces"] for row in metrics)
    seconds = metrics[-1]["elapsedSeconds"] - metrics[0]["elapsedSeconds"]
    traces_after_first = traces - metrics[0]["traces"]
    published = {int(row["version"]): float(row["time"]) for row in events(f"{run_dir}.learner.log")
                 if row.get("event") == "published"}
    per_worker = [events(f"{run_dir}.worker{index}.log") for index in range(worker_count)]
    received, applied = [], []
    for version, published_at in published.items():
        arrivals, uses = [], []
        for rows in per_worker:
            got = [float(row["time"]) for row in rows if row.get("event") == "received"
                   and int(row["version"]) == version]
            used = [float(row["time"]) for row in rows if row.get("event") == "applied"
                    and int(row["version"]) >= version]
            arrivals.append(min(got) if got else None)
            uses.append(min(used) if used else None)
        if all(value is not None for value in arrivals):
            received.append(max(arrivals) - published_at)
        if all(value is not None for value in uses):
            applied.append(max(uses) - published_at)
    return {
        "workers": worker_count,
        "rolloutsPerSecond": traces_after_first / seconds if seconds > 0 else 0,
        "steps": len(metrics),
        "publishedVersions": len(published),
        "receivedByAllMedianMs": 1000 * statistics.median(received) if received else None,
        "receivedByAllP90Ms": 1000 * statistics.quantiles(received, n=10)[-1] if len(received) > 1 else None,
        "appliedByAllMedianMs": 1000 * statistics.median(applied) if applied else None,
        "appliedByAllP90Ms": 1000 * statistics.quantiles(applied, n=10)[-1] if len(applied) > 1 else None,
        "snapshotBytes": next((int(row["bytes"]) for row in events(f"{run_dir}.learner.log")
                               if row.get("event") == "published"), None),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vr")
    parser.add_argument("--model-steps", type=int, default=40)
    parser.add_argument("--workers", default="1,2")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        print("preparing tasks and SFT checkpoints (4 layers, width 128)", flush=True)
        prepare(arguments.vr, work)
        for count in [int(value) for value in arguments.workers.split(",")]:
            result = measure(arguments.vr, work, count, arguments.model_steps)
            print(json.dumps(result, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()

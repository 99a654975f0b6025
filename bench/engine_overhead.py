"""Engine overhead per simple step, in microseconds: pure engine, in-memory journal.

    .venv/bin/python bench/engine_overhead.py [--steps 50] [--runs 200]

Prints figures; no pass/fail. A linear chain of `data.set` nodes, each with one
expression, so the figure covers graph walking, expression evaluation and journaling.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflows.engine import InMemoryJournal, default_registry, run_workflow  # noqa: E402


def chain(steps: int) -> dict:
    nodes = [{"id": "start", "type": "trigger.manual", "config": {}}]
    edges = []
    for index in range(steps):
        nodes.append({"id": f"s{index}", "type": "data.set", "config": {"fields": {"n": "{{ input.n + 1 }}"}}})
        source = "start" if index == 0 else f"s{index - 1}"
        edges.append({"id": f"e{index}", "source": source, "source_port": "out", "target": f"s{index}"})
    return {"nodes": nodes, "edges": edges}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    registry, definition = default_registry(), chain(args.steps)
    per_step = []
    for _ in range(args.runs):
        journal = InMemoryJournal()
        started = time.perf_counter()
        outcome = run_workflow(
            definition, registry=registry, journal=journal, trigger_node_id="start", trigger_payload={"n": 0}
        )
        elapsed = time.perf_counter() - started
        assert outcome.status == "completed" and outcome.output == {"n": args.steps}
        per_step.append(elapsed / (args.steps + 1) * 1e6)
    per_step.sort()
    print(f"engine overhead per step ({args.steps}-step chain, {args.runs} runs, in-memory journal):")
    print(f"  median {statistics.median(per_step):8.1f} µs")
    print(f"  p90    {per_step[int(0.9 * len(per_step))]:8.1f} µs")
    print(f"  best   {per_step[0]:8.1f} µs")
    print(f"reproduce: .venv/bin/python bench/engine_overhead.py --steps {args.steps} --runs {args.runs}")


if __name__ == "__main__":
    main()

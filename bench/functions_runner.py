"""What one call of a code function costs: a cold sandbox vs one started ahead (the pool).

Each call is a fresh bubblewrap sandbox (new namespaces, seccomp, rlimits, `python3 -I -S`);
"cold" starts it inside the call, "warm" takes one the runner started beforehand and
waited for. Also: the cost of the limits (a call that hits the wall clock, the CPU limit,
the memory cap). Prints figures and the command; asserts nothing.

    .venv/bin/python bench/functions_runner.py --calls 30
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from functions_app.sandbox import CodeRunner, Limits  # noqa: E402

SOURCE = "def main(input, ctx):\n    return {'sum': sum(input['numbers'])}\n"


def timed(runner: CodeRunner, source: str, limits: Limits | None = None) -> tuple[float, object]:
    started = time.perf_counter()
    result = runner.run(source, {"numbers": list(range(100))}, limits=limits)
    return (time.perf_counter() - started) * 1000, result


def settle(runner: CodeRunner) -> None:
    """Let the pre-started sandbox finish booting (it reports `ready`) before timing the next call."""
    sandbox = runner._pool[-1] if runner._pool else None
    if sandbox is not None:
        line = sandbox.read_line(time.monotonic() + 10, 1024)
        sandbox.buffer = (line + b"\n" if isinstance(line, bytes) else b"") + sandbox.buffer


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered):6.1f} ms   p95 {p95:6.1f} ms   min {ordered[0]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()

    cold_runner = CodeRunner(pool_size=0)
    cold = [timed(cold_runner, SOURCE)[0] for _ in range(args.calls)]

    warm_runner = CodeRunner(pool_size=1)
    warm_runner.warm_up()
    warm = []
    for _ in range(args.calls):
        settle(warm_runner)
        elapsed, result = timed(warm_runner, SOURCE)
        assert result.ok, result.as_dict()
        warm.append(elapsed)

    limit_cases = {
        "wall clock (1 s sleep loop)": ("import time\ndef main(i, c):\n    while True: time.sleep(0.1)\n",
                                        Limits(wall_seconds=1)),
        "CPU (1 s spin)": ("def main(i, c):\n    while True: pass\n", Limits(wall_seconds=30, cpu_seconds=1)),
        "memory (128 MiB)": ("def main(i, c):\n    x = []\n    while True: x.append(' ' * 10**6)\n",
                             Limits(memory_bytes=128 * 1024 * 1024)),
    }  # fmt: skip
    print(f"command: .venv/bin/python bench/functions_runner.py --calls {args.calls}")
    print(f"cold (sandbox started in the call): {summary(cold)}")
    print(f"warm (sandbox started ahead):       {summary(warm)}")
    for label, (source, limits) in limit_cases.items():
        elapsed, result = timed(cold_runner, source, limits)
        print(f"limit {label:28s} stopped after {elapsed:7.1f} ms with {result.code}")
    warm_runner.close()


if __name__ == "__main__":
    main()

"""A hostile corpus against the code runner: each attempt is contained with a clear error (or
finds nothing), and the runner serves the next call normally.

The runner is the real one (bubblewrap, seccomp, rlimits): no mocks. Limits are small here so
the corpus runs quickly; none of the assertions is about time.
"""

from __future__ import annotations

import os
import socket

import pytest

from functions_app.sandbox import CodeRunner, Limits

# The wall clock is generous so that on a busy machine the CPU limit, not the clock, stops a
# spinning function; only the sleeping case uses a short clock (sleep costs no CPU).
LIMITS = Limits(wall_seconds=60, cpu_seconds=1, memory_bytes=128 * 1024 * 1024, output_bytes=64 * 1024)
SLEEPER_LIMITS = Limits(wall_seconds=2, cpu_seconds=1, memory_bytes=128 * 1024 * 1024, output_bytes=64 * 1024)
HEALTHY = "def main(input, ctx):\n    return {'sum': sum(input)}\n"


def body(*lines: str) -> str:
    return "def main(input, ctx):\n" + "".join(f"    {line}\n" for line in lines)


# (name, source, expectation): "error:CODE" = fails with that code; "output:<predicate>".
CORPUS = [
    ("environment", "import os\n" + body("return dict(os.environ)"), "no_secret_env"),
    ("etc_passwd", body("return open('/etc/passwd').read()"), "error:FUNCTION_ERROR"),
    ("project_settings", body(f"return open({os.path.abspath('flowbuilder/settings.py')!r}).read()"),
     "error:FUNCTION_ERROR"),
    ("vault_key_dir", body(f"import os; return os.listdir({os.path.abspath('var')!r})"), "error:FUNCTION_ERROR"),
    ("proc_1_environ", body("return open('/proc/1/environ').read()"), "output:empty"),
    ("proc_self_environ", body("return open('/proc/self/environ').read()"), "no_secret_env"),
    ("proc_lists_only_the_sandbox", body("import os; return sorted(p for p in os.listdir('/proc') if p.isdigit())"),
     "output:few_pids"),
    ("postgres_tcp", body("import socket; s = socket.create_connection(('127.0.0.1', 5432), 1); return 'open'"),
     "error:FUNCTION_ERROR"),
    ("redis_tcp", body("import socket; s = socket.create_connection(('127.0.0.1', 6379), 1); return 'open'"),
     "error:FUNCTION_ERROR"),
    ("postgres_unix_socket", body("import socket; s = socket.socket(socket.AF_UNIX);"
                                  " s.connect('/var/run/postgresql/.s.PGSQL.5432'); return 'open'"),
     "error:FUNCTION_ERROR"),
    ("outbound_network", body("import urllib.request; return urllib.request.urlopen('http://example.com').status"),
     "error:FUNCTION_ERROR"),
    ("fork_bomb", "import os\n" + body("while True:", "    os.fork()"), "error:FUNCTION_ERROR"),
    ("os_system", "import os\n" + body("status = os.system('touch /tmp/pwned')",
                                       "return status != 0 and not os.path.exists('/tmp/pwned')"), "output:true"),
    ("subprocess", "import subprocess\n" + body("return subprocess.run(['id']).returncode"), "error:FUNCTION_ERROR"),
    ("ctypes_fork", "import ctypes\n" + body("return ctypes.CDLL(None).fork()"), "output:negative"),
    ("importlib_posix", "import importlib\n" + body("return importlib.import_module('posix').fork()"),
     "error:FUNCTION_ERROR"),
    ("memory_bomb", body("x = []", "while True:", "    x.append(' ' * 10_000_000)"), "error:MEMORY_LIMIT"),
    ("infinite_sleep", body("import time", "while True:", "    time.sleep(1)"), "error:TIMEOUT"),
    ("cpu_spin", body("while True:", "    pass"), "error:CPU_LIMIT"),
    ("huge_output", body("return 'x' * 10_000_000"), "error:OUTPUT_LIMIT"),
    ("huge_logs", body("for _ in range(5_000):", "    print('y' * 1000)", "return 1"), "output:one"),
    ("signal_parent", "import os, signal\n" + body("os.kill(os.getppid(), signal.SIGKILL)", "return os.getppid()"),
     "output:one"),
    ("kill_all", "import os, signal\n" + body("os.kill(-1, signal.SIGKILL)", "return 1"), "error:FUNCTION_ERROR"),
    ("write_outside_tmp", body("open('/usr/pwned', 'w').write('x')"), "error:FUNCTION_ERROR"),
    ("write_root", body("open('/pwned', 'w').write('x')"), "error:FUNCTION_ERROR"),
    ("fill_tmp", body("open('/tmp/big', 'w').write('z' * 40_000_000)"), "error:MEMORY_LIMIT|FUNCTION_ERROR"),
    ("ptrace", "import ctypes\n" + body("return ctypes.CDLL(None).ptrace(16, 1, 0, 0)"), "output:negative"),
    ("new_user_namespace", "import ctypes\n" + body("return ctypes.CDLL(None).unshare(0x10000000)"),
     "output:negative"),
    ("exit_early", "import sys\n" + body("sys.exit(3)"), "error:FUNCTION_ERROR"),
    ("os_exit", "import os\n" + body("os._exit(0)"), "error:FUNCTION_CRASHED"),
    ("not_json", body("return {1, 2}"), "error:OUTPUT_NOT_JSON"),
    ("no_main", "x = 1\n", "error:NO_MAIN"),
    ("syntax", "def main(input, ctx) return 1\n", "error:SYNTAX_ERROR"),
]


@pytest.fixture(scope="module")
def hostile_runner():
    runner = CodeRunner(pool_size=1)
    yield runner
    runner.close()


def check(expectation: str, result) -> None:
    if expectation.startswith("error:"):
        assert not result.ok, result.as_dict()
        assert result.code in expectation.removeprefix("error:").split("|"), result.as_dict()
        assert result.message
        return
    assert result.ok, result.as_dict()
    output = result.output
    predicates = {
        "no_secret_env": lambda: not set(str(output)) or all(
            name not in str(output) for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FLOWBUILDER")
        ),
        "empty": lambda: output == "",
        "few_pids": lambda: len(output) <= 3,
        "true": lambda: output is True,
        "negative": lambda: output < 0,
        "one": lambda: output == 1,
    }
    assert predicates[expectation.removeprefix("output:")](), result.as_dict()


@pytest.mark.parametrize("name,source,expectation", CORPUS, ids=[case[0] for case in CORPUS])
def test_hostile_code_is_contained_and_the_runner_serves_the_next_call(hostile_runner, name, source, expectation):
    result = hostile_runner.run(source, {}, limits=SLEEPER_LIMITS if name == "infinite_sleep" else LIMITS)
    check(expectation, result)
    follow_up = hostile_runner.run(HEALTHY, [1, 2, 3], limits=LIMITS)
    assert follow_up.ok and follow_up.output == {"sum": 6}, follow_up.as_dict()


def test_the_product_survives_a_signal_to_its_parent(hostile_runner):
    source = "import os, signal\n" + body("for pid in range(1, 400):", "    try:", "        os.kill(pid, 9)",
                                          "    except Exception:", "        pass", "return 1")  # fmt: skip
    hostile_runner.run(source, {}, limits=LIMITS)
    assert os.getpid() and hostile_runner.run(HEALTHY, [5], limits=LIMITS).output == {"sum": 5}


def test_a_limit_hit_is_named(hostile_runner):
    result = hostile_runner.run(body("while True:", "    pass"), {}, limits=LIMITS)
    assert result.limits_hit == ["cpu"]
    assert "CPU" in result.message


def test_the_database_is_really_listening_so_the_refusal_means_something():
    with socket.create_connection(("127.0.0.1", 5432), 1):
        pass

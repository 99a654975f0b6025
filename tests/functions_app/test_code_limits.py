"""The limits a code function runs under, from its settings and the operator's caps."""

from functions_app.runtime import code_limits


def test_a_busy_loop_meets_the_wall_limit_the_user_set_before_the_cpu_limit(settings):
    settings.FLOWBUILDER_FUNCTIONS_CPU_SECONDS = 10
    limits = code_limits({"timeout_seconds": 1})
    # A single-threaded loop spends at most one CPU second per wall second: with the CPU limit a
    # second above, "ran longer than 1 s" is what it always reports (the browser walkthrough
    # saw CPU_LIMIT win the race once on a quiet machine).
    assert (limits.wall_seconds, limits.cpu_seconds) == (1, 2)
    assert code_limits({"timeout_seconds": 2.5}).cpu_seconds == 4


def test_the_operators_cpu_cap_still_binds(settings):
    settings.FLOWBUILDER_FUNCTIONS_CPU_SECONDS = 10
    assert code_limits({"timeout_seconds": 30}).cpu_seconds == 10

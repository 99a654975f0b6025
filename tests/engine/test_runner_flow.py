"""Walking the graph: every built-in node, branches, fan-out, merge and loops."""

from __future__ import annotations

from tests.engine.support import flow, link, node, probe_calls
from workflows.engine import InMemoryJournal, RunOutcome


def _statuses(journal, status: str) -> list[str]:
    return [r.step_key for r in journal.records if r.status == status]


def test_a_trigger_payload_flows_through_data_set(run):
    definition = flow(
        [node("shape", "data.set", {"fields": {"total": "{{ input.a + vars.extra }}"}, "keep_input": True})],
        [link("start", "shape")],
        variables={"extra": 10},
    )
    outcome = run(definition, {"a": 5})
    assert outcome == RunOutcome("completed", output={"a": 5, "total": 15})


def test_every_step_is_journaled_with_input_and_output(run, journal):
    definition = flow([node("shape", "data.set", {"fields": {"x": 1}})], [link("start", "shape")])
    run(definition, {"a": 1})
    finished = {r.step_key: r for r in journal.records if r.status == "succeeded"}
    assert finished["shape"].input == {"a": 1}
    assert finished["shape"].output == {"x": 1}
    assert finished["shape"].idempotency_key == "exec-1:shape"
    assert [r.status for r in journal.records] == ["running", "succeeded", "running", "succeeded"]


def _if_flow(condition: dict) -> dict:
    return flow(
        [
            node("check", "logic.if", condition),
            node("yes", "test.probe", {"output": "yes"}),
            node("no", "test.probe", {"output": "no"}),
        ],
        [link("start", "check"), link("check", "yes", "true"), link("check", "no", "false")],
    )


def test_if_follows_only_the_taken_port_and_skips_the_other(run, journal):
    outcome = run(_if_flow({"condition": "{{ input.amount > 100 }}"}), {"amount": 150})
    assert outcome.output == "yes"
    assert probe_calls("no") == 0
    assert _statuses(journal, "skipped") == ["no"]


def test_if_compares_left_and_right_with_an_operator(run):
    condition = {"left": "{{ input.tags }}", "operator": "contains", "right": "vip"}
    assert run(_if_flow(condition), {"tags": ["x"]}).output == "no"


def test_switch_routes_by_case_and_falls_back_to_default(run):
    definition = flow(
        [
            node("route", "logic.switch", {"value": "{{ input.plan }}", "cases": ["free", "pro"]}),
            node("pro", "test.probe", {"output": "pro"}),
            node("other", "test.probe", {"output": "other"}),
        ],
        [link("start", "route"), link("route", "pro", "pro"), link("route", "other", "default")],
    )
    assert run(definition, {"plan": "pro"}).output == "pro"
    # A new execution needs a new journal; the same one would replay the first run.
    assert run(definition, {"plan": "team"}, journal=InMemoryJournal()).output == "other"


def test_switch_accepts_condition_cases(run):
    cases = [{"port": "big", "when": "{{ input > 10 }}"}]
    definition = flow(
        [node("route", "logic.switch", {"cases": cases}), node("big", "test.probe", {"output": "big"})],
        [link("start", "route"), link("route", "big", "big")],
    )
    assert run(definition, 50).output == "big"


def test_fan_out_runs_every_branch_and_merge_joins_them(run):
    definition = flow(
        [
            node("a", "test.probe", {"output": 1}),
            node("b", "test.probe", {"output": 2}),
            node("join", "logic.merge"),
        ],
        [link("start", "a"), link("start", "b"), link("a", "join"), link("b", "join")],
    )
    assert run(definition).output == {"a": 1, "b": 2}


def test_merge_does_not_wait_for_a_dead_branch(run):
    definition = flow(
        [
            node("check", "logic.if", {"condition": "{{ true }}"}),
            node("yes", "test.probe", {"output": "y"}),
            node("no", "test.probe", {"output": "n"}),
            node("join", "logic.merge", {"mode": "list"}),
        ],
        [
            link("start", "check"),
            link("check", "yes", "true"),
            link("check", "no", "false"),
            link("yes", "join"),
            link("no", "join"),
        ],
    )
    assert run(definition).output == ["y"]


def _loop_flow(concurrency: int) -> dict:
    return flow(
        [
            node("each", "logic.for_each", {"items": "{{ input }}", "concurrency": concurrency}),
            node("double", "data.set", {"fields": {"value": "{{ input * 2 }}", "index": "{{ loop.index }}"}}),
            node("after", "data.set", {"fields": {"results": "{{ input }}"}}),
        ],
        [
            link("start", "each"),
            link("each", "double", "loop"),
            link("double", "each"),
            link("each", "after", "done"),
        ],
    )


def test_for_each_runs_the_body_per_item_and_collects_results_in_order(run, journal):
    outcome = run(_loop_flow(concurrency=1), [1, 2, 3])
    assert outcome.output == {
        "results": [{"value": 2, "index": 0}, {"value": 4, "index": 1}, {"value": 6, "index": 2}]
    }
    assert "each[1]/double" in _statuses(journal, "succeeded")


def test_for_each_runs_items_concurrently_up_to_its_limit(run):
    outcome = run(_loop_flow(concurrency=8), list(range(20)))
    assert [r["value"] for r in outcome.output["results"]] == [i * 2 for i in range(20)]


def test_for_each_refuses_items_that_are_not_a_list(run):
    outcome = run(_loop_flow(concurrency=1), "nope")
    assert outcome.status == "failed"
    assert outcome.error["code"] == "NOT_A_LIST"


def test_succeed_ends_the_run_with_its_output(run):
    definition = flow(
        [node("ok", "logic.succeed", {"output": {"done": "{{ input }}"}}), node("never", "test.probe")],
        [link("start", "ok"), link("start", "never")],
    )
    assert run(definition, 7) == RunOutcome("completed", output={"done": 7})


def test_fail_fails_the_run_with_its_code_and_message(run):
    definition = flow(
        [node("stop", "logic.fail", {"code": "REJECTED", "message": "amount {{ input }} too high"})],
        [link("start", "stop")],
    )
    outcome = run(definition, 900)
    assert outcome.status == "failed"
    assert outcome.error == {"node_id": "stop", "code": "REJECTED", "message": "amount 900 too high"}


def test_chat_message_records_the_message_and_uses_the_sender(run):
    sent = []
    definition = flow(
        [node("reply", "chat.message", {"text": "Hi {{ trigger.name }}"})], [link("start", "reply")]
    )
    payload = {"name": "Ada", "channel": "whatsapp", "from": "+34600"}
    recorded = run(definition, payload).output
    assert recorded["sent"] is False
    assert recorded["message"]["text"] == "Hi Ada"
    output = run(
        definition,
        payload,
        journal=InMemoryJournal(),
        services={"chat_sender": lambda m: sent.append(m) or "msg-1"},
    ).output
    assert output["receipt"] == "msg-1"
    assert sent[0]["to"] == "+34600"


def test_function_call_runs_a_host_function(run):
    definition = flow([node("fn", "function.call", {"function": "double"})], [link("start", "fn")])
    assert run(definition, 4, services={"functions": {"double": lambda x: x * 2}}).output == 8
    assert run(definition, 4, journal=InMemoryJournal()).error["code"] == "UNKNOWN_FUNCTION"


def test_sub_workflow_runs_inline_when_the_host_offers_a_runner(run):
    definition = flow(
        [node("child", "logic.sub_workflow", {"workflow_id": "wf-2", "input": "{{ input }}"})],
        [link("start", "child")],
    )
    services = {"run_sub_workflow": lambda workflow_id, data, execution: {"ran": workflow_id, "with": data}}
    assert run(definition, 1, services=services).output == {"ran": "wf-2", "with": 1}


def test_every_trigger_emits_its_payload(run, registry):
    for trigger in ("trigger.webhook", "trigger.schedule", "trigger.form", "trigger.message"):
        node_type = registry.get(trigger)
        definition = {"nodes": [node("start", trigger, node_type.example)], "edges": []}
        assert run(definition, {"fired": trigger}, journal=InMemoryJournal()).output == {"fired": trigger}


def test_it_refuses_to_start_from_a_node_that_is_not_a_trigger(run):
    definition = flow([node("shape", "data.set", {"fields": {}})], [link("start", "shape")])
    assert run(definition, trigger_node_id="shape").error["code"] == "UNKNOWN_TRIGGER"

"""Flow control: branches, joins, loops, waits, sub-workflows and explicit endings.

`logic.merge` and `logic.for_each` are control constructs: the runner gathers the merged
inputs and drives the loop body; their `run` only shapes values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ..expression_limits import Unusable
from ..expression_values import compare, contains, same
from ..plain_words import kind_of
from ..registry import NodeContext, NodeError, NodeResult, NodeType, Wait

# The same rules as comparisons inside expressions: `true` never equals 1 (D16).
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": same,
    "ne": lambda a, b: not same(a, b),
    "gt": lambda a, b: compare("gt", a, b),
    "gte": lambda a, b: compare("gteq", a, b),
    "lt": lambda a, b: compare("lt", a, b),
    "lte": lambda a, b: compare("lteq", a, b),
    "contains": lambda a, b: contains(a, b),
    "not_contains": lambda a, b: not contains(a, b),
    "in": lambda a, b: contains(b, a),
    "starts_with": lambda a, b: str(a).startswith(str(b)),
    "ends_with": lambda a, b: str(a).endswith(str(b)),
    "is_empty": lambda a, b: not a,
    "is_not_empty": lambda a, b: bool(a),
}
# How the editor and error messages show each operator.
OPERATOR_WORDS = {
    "eq": "equals",
    "ne": "does not equal",
    "gt": "is greater than",
    "gte": "is greater than or equal to",
    "lt": "is less than",
    "lte": "is less than or equal to",
    "contains": "contains",
    "not_contains": "does not contain",
    "in": "is one of",
    "starts_with": "starts with",
    "ends_with": "ends with",
    "is_empty": "is empty",
    "is_not_empty": "is not empty",
}
_PORT_NAME = {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}


class IfNode(NodeType):
    type = "logic.if"
    category = "logic"
    pure = True
    label = "If"
    description = "Send the input out of `true` or `false`."
    outputs = ["true", "false"]
    config_schema = {
        "type": "object",
        "properties": {
            "condition": {"x-expression": True, "description": "Truthy → `true` port."},
            "left": {"x-expression": True},
            "operator": {"enum": sorted(_OPERATORS), "x-enum-labels": OPERATOR_WORDS},
            "right": {"x-expression": True},
        },
        "oneOf": [{"required": ["condition"]}, {"required": ["left", "operator"]}],
    }
    example = {"condition": "{{ input.amount > vars.threshold }}"}

    def run(self, ctx: NodeContext) -> NodeResult:
        config = ctx.config
        if "condition" in config:
            verdict = bool(config["condition"])
        else:
            left, right, operator = config.get("left"), config.get("right"), config["operator"]
            try:
                verdict = _OPERATORS[operator](left, right)
            except (TypeError, Unusable) as exc:
                words = OPERATOR_WORDS.get(operator, operator)
                message = f"Can't check whether {kind_of(left)} {words} {kind_of(right)}"
                if isinstance(exc, Unusable) and "true and false" in str(exc):
                    message += " (true and false are not numbers)"
                raise NodeError("BAD_COMPARISON", message, retryable=False) from None
        return NodeResult(output=ctx.input, port="true" if verdict else "false")


class SwitchNode(NodeType):
    type = "logic.switch"
    category = "logic"
    pure = True
    label = "Switch"
    description = (
        "Route by value: a scalar case matches `value` and names its port; an object case "
        "{port, when} matches when `when` is truthy. No match → `default`."
    )
    outputs = ["default"]
    config_schema = {
        "type": "object",
        "properties": {
            "value": {"x-expression": True},
            "cases": {
                "type": "array",
                "items": {
                    "oneOf": [
                        {"type": ["string", "number", "boolean"]},
                        {
                            "type": "object",
                            "properties": {"port": _PORT_NAME, "when": {"x-expression": True}},
                            "required": ["port", "when"],
                            "additionalProperties": False,
                        },
                    ]
                },
            },
        },
        "required": ["cases"],
    }
    example = {"value": "{{ input.plan }}", "cases": ["free", "pro"]}

    def output_ports(self, config: Mapping[str, Any]) -> list[str]:
        cases = config.get("cases") if isinstance(config.get("cases"), list) else []
        return [_case_port(case) for case in cases] + super().output_ports(config)

    def run(self, ctx: NodeContext) -> NodeResult:
        value = ctx.config.get("value")
        for case in ctx.config.get("cases", []):
            matched = bool(case.get("when")) if isinstance(case, dict) else same(value, case)
            if matched:
                return NodeResult(output=ctx.input, port=_case_port(case))
        return NodeResult(output=ctx.input, port="default")


def _case_port(case: Any) -> str:
    if isinstance(case, dict):
        return str(case.get("port"))
    return str(case).lower() if isinstance(case, bool) else str(case)


class MergeNode(NodeType):
    type = "logic.merge"
    category = "logic"
    pure = True
    label = "Merge"
    description = "Wait for every live incoming branch; output them keyed by node id, or as a list."
    control = "merge"
    config_schema = {
        "type": "object",
        "properties": {"mode": {"enum": ["object", "list"], "default": "object"}},
        "additionalProperties": False,
    }
    example = {"mode": "object"}

    def run(self, ctx: NodeContext) -> NodeResult:
        joined = dict(ctx.input or {})
        if ctx.config.get("mode") == "list":
            return NodeResult(output=list(joined.values()))
        return NodeResult(output=joined)


class ForEachNode(NodeType):
    type = "logic.for_each"
    category = "logic"
    pure = True
    label = "For each"
    description = (
        "Run the nodes reached from `loop` once per item (up to `concurrency` at a time), "
        "then emit the list of results on `done`."
    )
    outputs = ["loop", "done"]
    control = "for_each"
    config_schema = {
        "type": "object",
        "properties": {
            "items": {"x-expression": True, "type": ["array", "string"]},
            "concurrency": {"type": "integer", "minimum": 1, "maximum": 32, "default": 1},
        },
        "required": ["items"],
        "additionalProperties": False,
    }
    example = {"items": "{{ input.rows }}", "concurrency": 4}

    def run(self, ctx: NodeContext) -> NodeResult:
        items = ctx.config.get("items")
        if not isinstance(items, list):
            raise NodeError("NOT_A_LIST", f"items is {type(items).__name__}, not a list", retryable=False)
        return NodeResult(output=items, port="loop")


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parked_until(ctx: NodeContext) -> datetime | None:
    recorded = (ctx.wait_state or {}).get("resume_at")
    if isinstance(recorded, datetime):
        return recorded
    return _parse_time(recorded) if isinstance(recorded, str) else None


class WaitNode(NodeType):
    type = "logic.wait"
    category = "logic"
    pure = True
    label = "Wait"
    description = "Pause for some seconds or until a time, holding no worker."
    config_schema = {
        "type": "object",
        "properties": {
            "seconds": {"type": "number", "minimum": 0},
            "until": {"type": "string", "x-expression": True, "description": "ISO 8601 time."},
        },
        "oneOf": [{"required": ["seconds"]}, {"required": ["until"]}],
        "additionalProperties": False,
    }
    example = {"seconds": 3600}

    def run(self, ctx: NodeContext) -> NodeResult:
        # The first run fixes the wake-up time; replays must not push it later.
        resume_at = _parked_until(ctx)
        if resume_at is None:
            if "until" in ctx.config:
                try:
                    resume_at = _parse_time(str(ctx.config["until"]))
                except ValueError:
                    raise NodeError(
                        "BAD_TIME", f"until={ctx.config['until']!r} is not ISO 8601", retryable=False
                    ) from None
            else:
                resume_at = ctx.clock() + timedelta(seconds=float(ctx.config["seconds"]))
        if ctx.clock() >= resume_at:
            return NodeResult(output=ctx.input)
        waiting_for = {"kind": "timer", "node_id": ctx.node_id, "step_key": ctx.step_key}
        return NodeResult(wait=Wait(resume_at=resume_at, waiting_for=waiting_for))


class WaitForEventNode(NodeType):
    type = "logic.wait_for_event"
    category = "logic"
    pure = True
    label = "Wait for event"
    description = "Pause until the API delivers the named event (out) or the timeout passes (timeout)."
    outputs = ["out", "timeout"]
    config_schema = {
        "type": "object",
        "properties": {
            "event": {"type": "string", "minLength": 1},
            "timeout_seconds": {"type": "number", "exclusiveMinimum": 0},
        },
        "required": ["event"],
        "additionalProperties": False,
    }
    example = {"event": "approval", "timeout_seconds": 86400}

    def run(self, ctx: NodeContext) -> NodeResult:
        if ctx.resume is not None:
            if ctx.resume.get("timed_out"):
                return NodeResult(output=ctx.input, port="timeout")
            return NodeResult(output=ctx.resume.get("payload"))
        resume_at = _parked_until(ctx)
        if resume_at is None and ctx.config.get("timeout_seconds") is not None:
            resume_at = ctx.clock() + timedelta(seconds=float(ctx.config["timeout_seconds"]))
        if resume_at is not None and ctx.clock() >= resume_at:
            return NodeResult(output=ctx.input, port="timeout")
        waiting_for = {
            "kind": "event",
            "event": ctx.config["event"],
            "node_id": ctx.node_id,
            "step_key": ctx.step_key,
        }
        return NodeResult(wait=Wait(resume_at=resume_at, waiting_for=waiting_for))


class SubWorkflowNode(NodeType):
    type = "logic.sub_workflow"
    category = "logic"
    label = "Run workflow"
    description = (
        "Run another workflow. With a `run_sub_workflow` service it runs inline; otherwise "
        "the run parks until the host resumes it with the child's output."
    )
    config_schema = {
        "type": "object",
        "properties": {"workflow_id": {"type": "string", "minLength": 1}, "input": {"x-expression": True}},
        "required": ["workflow_id"],
        "additionalProperties": False,
    }
    example = {"workflow_id": "wf_123", "input": "{{ input }}"}

    def run(self, ctx: NodeContext) -> NodeResult:
        if ctx.resume is not None:
            return NodeResult(output=ctx.resume.get("payload"))
        child_input = ctx.config.get("input", ctx.input)
        runner = ctx.services.get("run_sub_workflow")
        if callable(runner):
            return NodeResult(output=runner(ctx.config["workflow_id"], child_input, ctx.execution))
        waiting_for = {
            "kind": "sub_workflow",
            "workflow_id": ctx.config["workflow_id"],
            "input": child_input,
            "node_id": ctx.node_id,
            "step_key": ctx.step_key,
        }
        return NodeResult(wait=Wait(waiting_for=waiting_for))


class SucceedNode(NodeType):
    type = "logic.succeed"
    category = "logic"
    pure = True
    label = "Succeed"
    description = "End the run successfully with `output` (default: the input)."
    outputs: list[str] = []
    config_schema = {
        "type": "object",
        "properties": {"output": {"x-expression": True}},
        "additionalProperties": False,
    }
    example = {"output": {"status": "done"}}

    def run(self, ctx: NodeContext) -> NodeResult:
        return NodeResult(output=ctx.config.get("output", ctx.input), ends_run=True)


class FailNode(NodeType):
    type = "logic.fail"
    category = "logic"
    pure = True
    label = "Fail"
    description = "Fail the run with a code and a message."
    outputs: list[str] = []
    config_schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$", "default": "WORKFLOW_FAILED"},
            "message": {"type": "string", "x-expression": True},
        },
        "additionalProperties": False,
    }
    example = {"code": "REJECTED", "message": "Amount {{ input.amount }} is over the limit"}

    def run(self, ctx: NodeContext) -> NodeResult:
        code = ctx.config.get("code") or "WORKFLOW_FAILED"
        raise NodeError(code, str(ctx.config.get("message") or "failed by the workflow"), retryable=False)


LOGIC_TYPES: list[type[NodeType]] = [
    IfNode,
    SwitchNode,
    MergeNode,
    ForEachNode,
    WaitNode,
    WaitForEventNode,
    SubWorkflowNode,
    SucceedNode,
    FailNode,
]

"""Named host functions: the target of the state-machine form's `task` states."""

from __future__ import annotations

from ..registry import NodeContext, NodeError, NodeResult, NodeType


class FunctionCallNode(NodeType):
    type = "function.call"
    category = "action"
    label = "Call function"
    description = "Call a function the host registered under `services['functions'][name]`."
    config_schema = {
        "type": "object",
        "properties": {
            "function": {"type": "string", "minLength": 1},
            "input": {"x-expression": True},
        },
        "required": ["function"],
        "additionalProperties": False,
    }
    example = {"function": "validateCustomerData", "input": "{{ input }}"}

    def run(self, ctx: NodeContext) -> NodeResult:
        name = ctx.config["function"]
        function = (ctx.services.get("functions") or {}).get(name)
        if not callable(function):
            raise NodeError("UNKNOWN_FUNCTION", f"no function named {name!r} is registered", retryable=False)
        return NodeResult(output=function(ctx.config.get("input", ctx.input)))


FUNCTION_TYPES: list[type[NodeType]] = [FunctionCallNode]

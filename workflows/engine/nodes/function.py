"""Named host functions: the target of the state-machine form's `task` states."""

from __future__ import annotations

from ..registry import NodeContext, NodeError, NodeResult, NodeType


class FunctionCallNode(NodeType):
    type = "function.call"
    category = "action"
    label = "Call function"
    description = (
        "Call one of the project's functions (code, AI or HTTP) by name with an input; its output "
        "is the step's output. `credentials` picks a credential for each one the function declares."
    )
    config_schema = {
        "type": "object",
        "properties": {
            "function": {"type": "string", "minLength": 1, "x-function": True},
            "input": {"x-expression": True},
            "credentials": {
                "type": "object",
                "description": "Credential for each name the function declares (name → credential id).",
                "additionalProperties": {"type": "string", "x-credential-type": "any"},
            },
        },
        "required": ["function"],
        "additionalProperties": False,
    }
    example = {"function": "validateCustomerData", "input": "{{ input }}"}

    def run(self, ctx: NodeContext) -> NodeResult:
        name = ctx.config["function"]
        host = ctx.services.get("functions") or {}
        value = ctx.config.get("input", ctx.input)
        if hasattr(host, "call_function"):  # the app's function host (functions_app.runtime)
            output = host.call_function(name, value, credentials=ctx.config.get("credentials"), log=ctx.log)
            return NodeResult(output=output)
        function = host.get(name)
        if not callable(function):
            raise NodeError("UNKNOWN_FUNCTION", f"no function named {name!r} is registered", retryable=False)
        return NodeResult(output=function(value))


FUNCTION_TYPES: list[type[NodeType]] = [FunctionCallNode]

"""Data shaping nodes."""

from __future__ import annotations

from ..registry import NodeContext, NodeResult, NodeType


class SetNode(NodeType):
    type = "data.set"
    category = "data"
    pure = True
    label = "Set fields"
    description = "Build an object from named fields (expressions allowed), optionally on top of the input."
    config_schema = {
        "type": "object",
        "properties": {
            "fields": {"type": "object", "additionalProperties": {"x-expression": True}},
            "keep_input": {"type": "boolean", "default": False},
        },
        "required": ["fields"],
        "additionalProperties": False,
    }
    example = {"fields": {"full_name": "{{ input.first }} {{ input.last }}"}, "keep_input": True}

    def run(self, ctx: NodeContext) -> NodeResult:
        base = dict(ctx.input) if ctx.config.get("keep_input") and isinstance(ctx.input, dict) else {}
        base.update(ctx.config.get("fields") or {})
        return NodeResult(output=base)


DATA_TYPES: list[type[NodeType]] = [SetNode]

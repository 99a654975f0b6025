"""A cost limit: every field costs 1, and what is under a list costs as many times as it may repeat.

A list's size is its `first` or `limit` argument (written in the document, else its default,
or the maximum when it comes from a variable), and LIST_FACTOR for lists without one (a
run's steps, a workflow's versions). An operation over MAX_COST is refused before anything
runs, with QUERY_TOO_COMPLEX, its cost and the limit.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from strawberry.extensions import AddValidationRules

from flowbuilder.api.pagination import MAX_LIMIT

MAX_COST = 5000
LIST_FACTOR = 10
SIZE_ARGUMENTS = {"first": (20, MAX_LIMIT), "limit": (5, 20)}  # default, largest
DEFAULT_SIZES = {"workflows": 20, "executions": 20, "recentExecutions": 5}


def list_size(node: FieldNode, is_list: bool) -> int:
    """How many times what is under this field may repeat."""
    for argument in node.arguments or ():
        if argument.name.value in SIZE_ARGUMENTS:
            _, largest = SIZE_ARGUMENTS[argument.name.value]
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), largest))
            return largest  # a variable: the worst case
    if node.name.value in DEFAULT_SIZES:
        return DEFAULT_SIZES[node.name.value]
    if node.name.value == "edges":  # a connection's edges: its size was counted on the connection
        return 1
    return LIST_FACTOR if is_list else 1


class CostRule(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:
        root = self.context.schema.get_root_type(node.operation)
        cost = self.cost(node.selection_set, root, set())
        if cost > MAX_COST:
            self.report_error(
                GraphQLError(
                    f"The operation costs {cost}; the limit is {MAX_COST}. Ask for fewer items (first, limit) or "
                    "fewer nested lists.",
                    node,
                    extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "limit": MAX_COST},
                )
            )

    def cost(self, selections: SelectionSetNode | None, parent, seen: set[str]) -> int:
        total = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.context.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, inner, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = self.context.get_fragment(selection.name.value)
                if fragment is not None:
                    inner = self.context.schema.get_type(fragment.type_condition.name.value)
                    total += self.cost(fragment.selection_set, inner, {*seen, selection.name.value})
        return total

    def field_cost(self, node: FieldNode, parent, seen: set[str]) -> int:
        definition = parent.fields.get(node.name.value) if isinstance(parent, GraphQLObjectType) else None
        if definition is None:  # __typename, introspection, or an unknown field other rules report
            return 1
        is_list = is_list_type(get_nullable_type(definition.type))
        inner = self.cost(node.selection_set, get_named_type(definition.type), seen)
        return 1 + list_size(node, is_list) * inner


class CostLimiter(AddValidationRules):
    def __init__(self) -> None:
        super().__init__([CostRule])

"""The schema and its safety limits: depth, tokens, aliases and cost; introspection stays on."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

from graphql_api.complexity import CostLimiter
from graphql_api.mutations import Mutation
from graphql_api.queries import Query
from graphql_api.subscriptions import Subscription

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 20


class Phase(SchemaExtension):
    """Notes on the HTTP context which phase ran last, so a request error gets its code (errors.py)."""

    def _mark(self, phase: str) -> None:
        context = self.execution_context.context
        if hasattr(context, "phase"):
            context.phase = phase

    def on_parse(self) -> Iterator[None]:
        self._mark("parse")
        yield

    def on_validate(self) -> Iterator[None]:
        self._mark("validate")
        yield

    def on_execute(self) -> Iterator[None]:
        self._mark("execute")
        yield


class FlowbuilderSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Logged by the view's mapping (the REST handler logs what is unexpected), not once per error here."""


schema = FlowbuilderSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[
        Phase,
        # Factories: a fresh extension per operation (Strawberry deprecates shared instances).
        partial(QueryDepthLimiter, max_depth=MAX_DEPTH),
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        CostLimiter,
    ],
)

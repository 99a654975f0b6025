"""The schema and its safety limits: depth, tokens, aliases and cost; introspection stays on."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import strawberry
from graphql import GraphQLError, OperationDefinitionNode
from rest_framework.exceptions import APIException
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

from graphql_api.complexity import CostLimiter
from graphql_api.mutations import Mutation
from graphql_api.queries import Query
from graphql_api.subscriptions import Subscription

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 20
INTERNAL_MESSAGE = "Something went wrong on our side; it has been logged."


class Phase(SchemaExtension):
    """Notes on the HTTP context which phase ran last, so a request error gets its code (errors.py);
    refuses a document of several operations that does not say which to run."""

    def _mark(self, phase: str) -> None:
        context = self.execution_context.context
        if hasattr(context, "phase"):
            context.phase = phase

    def on_parse(self) -> Iterator[None]:
        self._mark("parse")
        yield

    def on_validate(self) -> Iterator[None]:
        self._mark("validate")
        execution = self.execution_context
        named = getattr(execution.context, "operation_named", True)
        definitions = execution.graphql_document.definitions
        if sum(isinstance(item, OperationDefinitionNode) for item in definitions) > 1 and not named:
            # Strawberry would run the first one; the GraphQL spec (and we) ask which.
            message = "The document has several operations: name the one to run in `operationName`."
            execution.pre_execution_errors = [GraphQLError(message, extensions={"code": "GRAPHQL_VALIDATION_FAILED"})]
        yield

    def on_execute(self) -> Iterator[None]:
        self._mark("execute")
        yield


class FlowbuilderSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Log what nobody expected, once.

        Over HTTP the view's mapping does it (REST's handler logs unexpected errors with their
        traceback); over the WebSocket this is the only place, and an API error (a refusal, a
        wrong argument) is an answer, not something to log.
        """
        if not isinstance(getattr(execution_context, "context", None), dict):
            return
        unexpected = [
            error for error in errors
            if error.original_error is not None and not isinstance(error.original_error, APIException | GraphQLError)
        ]  # fmt: skip
        super().process_errors(unexpected, execution_context)
        for error in unexpected:  # logged above with its traceback; the client sees what HTTP shows
            error.message = INTERNAL_MESSAGE
            error.extensions = {"code": "INTERNAL_ERROR", "status": 500}


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

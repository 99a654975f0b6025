"""WebSocket routes of every app, gathered in one list for asgi.py."""

from django.urls import path
from strawberry.channels import GraphQLWSConsumer

from graphql_api.schema import schema
from workflows.consumers import ExecutionConsumer, WorkflowConsumer

websocket_urlpatterns: list = [
    path("ws/executions/<str:object_id>/", ExecutionConsumer.as_asgi()),
    path("ws/workflows/<str:object_id>/", WorkflowConsumer.as_asgi()),
    # GraphQL subscriptions (graphql-transport-ws), at the same path as the HTTP endpoint.
    path("api/v1/graphql", GraphQLWSConsumer.as_asgi(schema=schema)),
]

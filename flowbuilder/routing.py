"""WebSocket routes of every app, gathered in lists for asgi.py."""

from django.urls import path
from strawberry.channels import GraphQLWSConsumer

from chat.consumers import TryChatConsumer, WidgetConsumer
from graphql_api.schema import schema
from workflows.consumers import ExecutionConsumer, WorkflowConsumer

websocket_urlpatterns: list = [
    path("ws/executions/<str:object_id>/", ExecutionConsumer.as_asgi()),
    path("ws/workflows/<str:object_id>/", WorkflowConsumer.as_asgi()),
    path("ws/workflows/<str:workflow_id>/chat/", TryChatConsumer.as_asgi()),
    # GraphQL subscriptions (graphql-transport-ws), at the same path as the HTTP endpoint.
    path("api/v1/graphql", GraphQLWSConsumer.as_asgi(schema=schema)),
]

# Routes that other sites' pages open: no session, no ALLOWED_HOSTS origin check. The consumer
# checks the Origin against its own allow-list (the chat widget: the channel's allowed domains).
public_websocket_urlpatterns: list = [
    path("ws/chat/<str:channel_token>/", WidgetConsumer.as_asgi()),
]

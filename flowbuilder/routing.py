"""WebSocket routes of every app, gathered in one list for asgi.py."""

from django.urls import path

from workflows.consumers import ExecutionConsumer, WorkflowConsumer

websocket_urlpatterns: list = [
    path("ws/executions/<str:object_id>/", ExecutionConsumer.as_asgi()),
    path("ws/workflows/<str:object_id>/", WorkflowConsumer.as_asgi()),
]

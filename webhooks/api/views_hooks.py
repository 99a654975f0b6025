"""The inbound URLs of a workflow's `trigger.webhook` nodes, for the node settings panel."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from flowbuilder.api.exceptions import ApiError
from webhooks.inbound import (
    DEFAULT_METHODS,
    DEFAULT_RESPONSE_MODE,
    ensure_hooks,
    published_definition,
    regenerate_token,
    webhook_nodes,
)
from workflows.api.helpers import get_workflow


class InboundHookSerializer(serializers.Serializer):
    node_id = serializers.CharField()
    token = serializers.CharField()
    url = serializers.CharField(help_text="Where to send requests; no API key needed.")
    methods = serializers.ListField(child=serializers.CharField())
    response_mode = serializers.CharField()
    signed = serializers.BooleanField(help_text="Requests must carry an HMAC signature.")
    live = serializers.BooleanField(help_text="The workflow is active and its published version has this node.")


def describe_hooks(request, workflow) -> list[dict]:
    """Each webhook node's URL, with its settings from the draft (or the published version)."""
    hooks = ensure_hooks(workflow)
    published = webhook_nodes(published_definition(workflow))
    draft = webhook_nodes(workflow.definition)
    rows = []
    for node_id, hook in hooks.items():
        config = draft.get(node_id) or published.get(node_id) or {}
        rows.append(
            {
                "node_id": node_id,
                "token": hook.token,
                "url": request.build_absolute_uri(f"/hooks/{hook.token}"),
                "methods": list(config.get("methods") or DEFAULT_METHODS),
                "response_mode": config.get("response_mode") or DEFAULT_RESPONSE_MODE,
                "signed": bool(config.get("hmac_secret")),
                "live": workflow.status == "active" and node_id in published,
            }
        )
    return rows


class WorkflowHookListView(APIView):
    @extend_schema(responses=InboundHookSerializer(many=True))
    def get(self, request, workflow_id: str):
        workflow = get_workflow(request, workflow_id)
        return Response(InboundHookSerializer(describe_hooks(request, workflow), many=True).data)


class WorkflowHookRegenerateView(APIView):
    """A new token for one webhook node (editors); the old URL answers 404 from now on."""

    @extend_schema(request=None, responses=InboundHookSerializer)
    def post(self, request, workflow_id: str, node_id: str):
        workflow = get_workflow(request, workflow_id)
        hook = ensure_hooks(workflow).get(node_id)
        if hook is None:
            raise ApiError(404, "NOT_FOUND", f"The workflow has no webhook trigger node {node_id}.")
        regenerate_token(hook, actor=request.access.actor, api_key=request.access.api_key)
        [row] = [row for row in describe_hooks(request, workflow) if row["node_id"] == node_id]
        return Response(InboundHookSerializer(row).data)

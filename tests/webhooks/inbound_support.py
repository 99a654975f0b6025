"""Building blocks for the inbound webhook tests: flows with a webhook trigger, live tokens, signatures."""

from __future__ import annotations

import hashlib
import hmac

from webhooks.inbound import ensure_hooks
from workflows import services


def hook_flow(trigger_config: dict | None = None, *, fail: bool = False) -> dict:
    """webhook → data.set (echoes the body) → succeed, or → fail when `fail`."""
    last = (
        {"id": "stop", "type": "logic.fail", "config": {"code": "REJECTED", "message": "no thanks"}}
        if fail
        else {"id": "stop", "type": "logic.succeed", "config": {}}
    )
    return {
        "nodes": [
            {"id": "hook", "type": "trigger.webhook", "config": trigger_config or {"methods": ["POST"]}},
            {"id": "reply", "type": "data.set", "config": {"fields": {"got": "{{ trigger.body }}", "ok": True}}},
            last,
        ],
        "edges": [
            {"id": "e1", "source": "hook", "source_port": "out", "target": "reply"},
            {"id": "e2", "source": "reply", "source_port": "out", "target": "stop"},
        ],
    }


def live_hook(project, actor, *, name: str = "Hooked", config: dict | None = None, fail: bool = False):
    """An active workflow with one webhook node; returns (workflow, token)."""
    workflow = services.create_workflow(project, name=name, definition=hook_flow(config, fail=fail), actor=actor)
    services.set_workflow_active(workflow, True, actor=actor)
    workflow.refresh_from_db()
    return workflow, ensure_hooks(workflow)["hook"].token


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

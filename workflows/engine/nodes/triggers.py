"""Triggers: where a run starts. Each one simply emits the payload that fired it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from ..credential_types import credential_field
from ..input_schema import INPUT_SCHEMA_PROPERTY, schema_problems
from ..registry import NodeContext, NodeResult, NodeType

# What this trigger would receive, for test runs: the editor's Run starts with it (issue 16).
SAMPLE_INPUT = {
    "type": "object",
    "description": "Test input: what this trigger would receive. The editor's Run starts with it.",
}


class _Trigger(NodeType):
    category = "trigger"
    pure = True
    inputs: list[str] = []
    outputs = ["out"]

    def run(self, ctx: NodeContext) -> NodeResult:
        return NodeResult(output=ctx.trigger)


class _InputTrigger(_Trigger):
    """A trigger whose payload may be described by an `input_schema` (checked before a run starts)."""

    def check_config(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        if "input_schema" not in config:
            return []
        return [(f"input_schema{path}", message) for path, message in schema_problems(config["input_schema"])]


class ManualTrigger(_InputTrigger):
    type = "trigger.manual"
    label = "Manual"
    description = "Started by pressing Run or by the API."
    config_schema = {
        "type": "object",
        "properties": {"input_schema": INPUT_SCHEMA_PROPERTY, "sample_input": SAMPLE_INPUT},
        "additionalProperties": False,
    }
    example: dict[str, Any] = {}


class WebhookTrigger(_InputTrigger):
    type = "trigger.webhook"
    label = "Webhook"
    description = "Started by an HTTP request to the workflow's webhook URL."
    config_schema = {
        "type": "object",
        "properties": {
            "methods": {
                "type": "array",
                "items": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
                "minItems": 1,
                "uniqueItems": True,
                "default": ["POST"],
            },
            "response_mode": {"enum": ["immediate", "last_node"], "default": "immediate"},
            "hmac_secret": credential_field(
                "hmac_secret",
                description="Credential (cred_…, type hmac_secret) holding the shared secret for "
                "signed requests: Standard Webhooks headers, or (deprecated, replayable) a body-only HMAC.",
            ),
            "sample_input": SAMPLE_INPUT,
            "signature_header": {
                "type": "string",
                "minLength": 1,
                "default": "X-Hub-Signature-256",
                "description": "Deprecated body-only scheme: header carrying "
                "`sha256=<hex HMAC-SHA256 of the raw body>`.",
            },
            "input_schema": INPUT_SCHEMA_PROPERTY,
        },
        "additionalProperties": False,
    }
    example = {"methods": ["POST"], "response_mode": "immediate"}

    def check_config(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        problems = super().check_config(config)
        secret = config.get("hmac_secret")
        if isinstance(secret, str) and secret and not secret.startswith("cred_"):
            # A secret in the definition is readable by every viewer and copied into every version.
            problems.append(
                (
                    "hmac_secret",
                    "must name a credential (cred_…), not hold the secret itself: store the secret as "
                    "an 'hmac_secret' credential under Credentials and choose it here",
                )
            )
        return problems


class ScheduleTrigger(_Trigger):
    type = "trigger.schedule"
    label = "Schedule"
    description = "Started on a cron schedule."
    config_schema = {
        "type": "object",
        "properties": {
            "cron": {"type": "string", "minLength": 1},
            "timezone": {"type": "string", "default": "UTC"},
            "sample_input": SAMPLE_INPUT,
        },
        "required": ["cron"],
        "additionalProperties": False,
    }
    example = {"cron": "0 9 * * 1-5", "timezone": "Europe/Madrid"}

    def check_config(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        problems = []
        cron = config.get("cron")
        if isinstance(cron, str) and not croniter.is_valid(cron):
            problems.append(("cron", f"{cron!r} is not a valid cron expression"))
        timezone = config.get("timezone")
        if isinstance(timezone, str):
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                problems.append(("timezone", f"unknown time zone {timezone!r}"))
        return problems


class FormTrigger(_Trigger):
    type = "trigger.form"
    label = "Form submitted"
    description = "Started when a hosted form is submitted."
    config_schema = {
        "type": "object",
        "properties": {
            "form_id": {
                "type": "string",
                "minLength": 1,
                "title": "Form",
                "description": "The form whose submissions start this flow; its fields arrive as trigger.data.<key>.",
                "x-form": True,
            },
            "sample_input": SAMPLE_INPUT,
        },
        "required": ["form_id"],
        "additionalProperties": False,
    }
    example = {"form_id": "contact"}


class MessageTrigger(_Trigger):
    type = "trigger.message"
    label = "Chat message"
    description = "Started by an incoming chat message, optionally matching keywords."
    config_schema = {
        "type": "object",
        "properties": {
            "channel": {"type": "string"},
            "keywords": {"type": "array", "items": {"type": "string"}},
            "sample_input": SAMPLE_INPUT,
        },
        "additionalProperties": False,
    }
    example = {"channel": "whatsapp", "keywords": ["help", "support"]}


# What an error workflow's trigger receives: the run that failed (workflows/error_workflows.py).
FAILED_RUN_SAMPLE = {
    "workflow": {"id": "wf_…", "name": "Nightly import"},
    "execution": {
        "id": "exec_…",
        "url": "http://127.0.0.1:8000/executions/exec_…/",
        "mode": "schedule",
        "status": "failed",
        "started_at": "2026-01-05T08:00:00+00:00",
        "completed_at": "2026-01-05T08:00:02+00:00",
        "recovered_count": 0,
    },
    "error": {"code": "HTTP_ERROR", "message": "The server answered 503.", "node_id": "fetch"},
    "node": {"id": "fetch", "name": "Fetch orders", "type": "http.request"},
}


class ErrorTrigger(_Trigger):
    type = "trigger.error"
    label = "Another workflow failed"
    description = (
        "Starts when a workflow that names this one as its error workflow fails (its settings: "
        "“On failure, run”). Receives `workflow`, `execution` (with `url`), `error` and `node`."
    )
    config_schema = {
        "type": "object",
        "properties": {
            "sample_input": {**SAMPLE_INPUT, "default": FAILED_RUN_SAMPLE},
        },
        "additionalProperties": False,
    }
    example: dict[str, Any] = {"sample_input": FAILED_RUN_SAMPLE}


TRIGGER_TYPES: list[type[NodeType]] = [
    ManualTrigger,
    WebhookTrigger,
    ScheduleTrigger,
    FormTrigger,
    MessageTrigger,
    ErrorTrigger,
]

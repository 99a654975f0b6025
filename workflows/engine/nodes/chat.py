"""Chat nodes: send a message, ask a question, ask a form's fields one by one.

Sending is the host's `chat_sender` service (the chat app provides it for runs started by a
chat message): `chat_sender(message) -> receipt`, where `message` holds `text`, `channel`,
`to` and an `idempotency_key` that names this one send (a replayed step sends nothing twice).

`chat.ask` and `chat.form` park the run like `logic.wait_for_event` (waiting_for kind
`chat_reply`); the chat app resumes it with `{"text", "payload"}` when the customer answers,
and the wake-up at `timeout_seconds` leaves through the `timeout` port. `chat.form` keeps
its progress (field index, answers so far) in its `waiting_for`, so each answer is a resume
of the same step, and checks each answer with the host's `chat_validate_field(field, text)
-> (value, error)` (the forms validator).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..registry import NodeContext, NodeError, NodeResult, NodeType, Wait
from .logic import _parked_until

REPLY_KIND = "chat_reply"
FIELD_TYPES = ["text", "textarea", "email", "number", "select", "date", "checkbox"]
TIMEOUT_SCHEMA = {
    "type": "number",
    "exclusiveMinimum": 0,
    "title": "Timeout (seconds)",
    "description": "No answer by then: the run leaves through the timeout port.",
}


def _message(ctx: NodeContext, text: str, key_suffix: str = "") -> dict[str, Any]:
    trigger = ctx.trigger if isinstance(ctx.trigger, dict) else {}
    return {
        "channel": ctx.config.get("channel") or trigger.get("channel"),
        "to": ctx.config.get("to") or trigger.get("from"),
        "text": text,
        "idempotency_key": ctx.idempotency_key + key_suffix,
    }


def _send(ctx: NodeContext, text: str, key_suffix: str) -> Any:
    sender = ctx.services.get("chat_sender")
    if not callable(sender):
        raise NodeError(
            "NO_CONVERSATION",
            "This node asks the customer and waits for the answer: the run must start from a chat message.",
            retryable=False,
        )
    # expects_reply: the conversation now waits for the customer (the host marks it so).
    return sender({**_message(ctx, text, key_suffix), "expects_reply": True})


def _timeout_at(ctx: NodeContext):
    seconds = ctx.config.get("timeout_seconds")
    return ctx.clock() + timedelta(seconds=float(seconds)) if seconds is not None else None


def _park(ctx: NodeContext, resume_at, **state: Any) -> NodeResult:
    waiting_for = {"kind": REPLY_KIND, "node_id": ctx.node_id, "step_key": ctx.step_key, **state}
    return NodeResult(wait=Wait(resume_at=resume_at, waiting_for=waiting_for))


def _timed_out(ctx: NodeContext, resume_at) -> bool:
    return bool((ctx.resume or {}).get("timed_out")) or (resume_at is not None and ctx.clock() >= resume_at)


def _answer(ctx: NodeContext) -> dict[str, Any]:
    payload = (ctx.resume or {}).get("payload")
    payload = payload if isinstance(payload, dict) else {"text": payload}
    text = payload.get("text")
    return {"text": text if isinstance(text, str) else "", "payload": payload.get("payload")}


class ChatMessageNode(NodeType):
    type = "chat.message"
    category = "action"
    label = "Send chat message"
    description = "Send a message on a chat channel; channel and recipient default to the trigger's."
    config_schema = {
        "type": "object",
        "properties": {
            "channel": {"type": "string", "x-expression": True},
            "to": {"type": "string", "x-expression": True},
            "text": {"type": "string", "minLength": 1, "x-expression": True},
        },
        "required": ["text"],
        "additionalProperties": False,
    }
    example = {"text": "Hi {{ trigger.name }}! How can I help you today?"}

    def run(self, ctx: NodeContext) -> NodeResult:
        message = _message(ctx, ctx.config["text"])
        sender = ctx.services.get("chat_sender")
        receipt = sender(message) if callable(sender) else None
        return NodeResult(output={"message": message, "sent": callable(sender), "receipt": receipt})


class ChatAskNode(NodeType):
    type = "chat.ask"
    category = "action"
    label = "Ask in chat"
    description = (
        "Send a question and wait for the customer's next message: its text is `text` on the "
        "out port; no answer within the timeout leaves through `timeout`."
    )
    outputs = ["out", "timeout"]
    config_schema = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 1, "x-expression": True, "title": "Question"},
            "timeout_seconds": TIMEOUT_SCHEMA,
        },
        "required": ["text"],
        "additionalProperties": False,
    }
    example = {"text": "What is your order number?", "timeout_seconds": 3600}

    def run(self, ctx: NodeContext) -> NodeResult:
        if ctx.resume is not None and not ctx.resume.get("timed_out"):
            return NodeResult(output=_answer(ctx))
        resume_at = _parked_until(ctx)
        if _timed_out(ctx, resume_at):
            return NodeResult(output=ctx.input, port="timeout")
        if ctx.wait_state is None:  # first time here: ask (a replay of the parked step asks nothing)
            _send(ctx, ctx.config["text"], ":ask")
            resume_at = _timeout_at(ctx)
        return _park(ctx, resume_at)


FORM_FIELD_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "title": "Key"},
        "label": {"type": "string", "minLength": 1, "title": "Question"},
        "type": {"enum": FIELD_TYPES, "default": "text"},
        "required": {"type": "boolean", "default": True},
        "options": {"type": "array", "items": {"type": "string"}},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "max_length": {"type": "integer", "minimum": 1},
    },
    "required": ["name"],
    "additionalProperties": False,
}


def question_for(field: dict[str, Any]) -> str:
    question = str(field.get("label") or field["name"])
    if field.get("type") == "select" and field.get("options"):
        question += " (" + ", ".join(map(str, field["options"])) + ")"
    return question


class ChatFormNode(NodeType):
    type = "chat.form"
    category = "action"
    label = "Chat form"
    description = (
        "Ask each field in turn, check every answer like a hosted form does and ask again after a "
        "bad one; the answers, by field name, leave through out. No answer within the timeout "
        "(per question) leaves through `timeout` with the answers so far in `answers`."
    )
    outputs = ["out", "timeout"]
    config_schema = {
        "type": "object",
        "properties": {
            "fields": {"type": "array", "minItems": 1, "maxItems": 50, "items": FORM_FIELD_SCHEMA},
            "timeout_seconds": TIMEOUT_SCHEMA,
        },
        "required": ["fields"],
        "additionalProperties": False,
    }
    example = {
        "fields": [
            {"name": "name", "type": "text", "required": True, "label": "What's your name?"},
            {"name": "email", "type": "email", "required": True, "label": "And your email?"},
        ],
        "timeout_seconds": 3600,
    }

    def check_config(self, config):
        names = [str(field.get("name")) for field in config.get("fields") or [] if isinstance(field, dict)]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        return [("config.fields", f"Field names must differ: {', '.join(duplicates)}.")] if duplicates else []

    def run(self, ctx: NodeContext) -> NodeResult:
        fields = list(ctx.config["fields"])
        state = dict((ctx.wait_state or {}).get("waiting_for") or {})
        index, answers, turn = int(state.get("field", 0)), dict(state.get("answers") or {}), int(state.get("turn", 0))
        resume_at = _parked_until(ctx)
        if _timed_out(ctx, resume_at) and (ctx.resume is None or ctx.resume.get("timed_out")):
            return NodeResult(output={"answers": answers, "missing": fields[index]["name"]}, port="timeout")
        if ctx.resume is None:
            if ctx.wait_state is not None:  # a replay of the parked step: keep waiting
                return _park(ctx, resume_at, field=index, answers=answers, turn=turn)
            return self._ask(ctx, fields, 0, answers, 0, "")
        value, error = _validate(ctx, fields[index], _answer(ctx)["text"])
        if error:
            return self._ask(ctx, fields, index, answers, turn, error + " ")
        answers[fields[index]["name"]] = value
        if index + 1 == len(fields):
            return NodeResult(output=answers)
        return self._ask(ctx, fields, index + 1, answers, turn, "")

    def _ask(self, ctx, fields, index: int, answers: dict, turn: int, prefix: str) -> NodeResult:
        _send(ctx, prefix + question_for(fields[index]), f":form:{turn + 1}")
        return _park(ctx, _timeout_at(ctx), field=index, answers=answers, turn=turn + 1)


def _validate(ctx: NodeContext, field: dict[str, Any], text: str) -> tuple[Any, str | None]:
    validate = ctx.services.get("chat_validate_field")
    if not callable(validate):
        raise NodeError("NO_VALIDATOR", "This run has no field validator for chat forms.", retryable=False)
    return validate(field, text)


CHAT_TYPES: list[type[NodeType]] = [ChatMessageNode, ChatAskNode, ChatFormNode]

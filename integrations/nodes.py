"""Node types that reach the outside world with the project's credentials: db.query,
db.ask, email.send and ai.chat.

They follow the engine's NodeType interface and find their collaborators in
`ctx.services` (see integrations.runtime), so the engine never imports this app. Outputs
hold results only: a decrypted secret never becomes part of a stored step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from integrations import ask as asking
from integrations import email as email_sending
from integrations import llm, sql, sql_rows
from workflows.engine import NodeContext, NodeError, NodeRegistry, NodeResult, NodeType, RetryPolicy
from workflows.engine.credential_types import credential_field

_ADDRESSES = {
    "x-expression": True,
    "anyOf": [{"type": "string", "minLength": 3}, {"type": "array", "items": {"type": "string"}}],
}


def _service(ctx: NodeContext, name: str):
    found = ctx.services.get(name)
    if found is None:
        raise NodeError("NO_INTEGRATIONS", f"this run has no {name} service", retryable=False)
    return found


def _lookup(call, *args):
    try:
        return call(*args)
    except LookupError as error:
        raise NodeError("RESOURCE_NOT_FOUND", str(error), retryable=False) from None


def _http_client(ctx: NodeContext):
    if ctx.services.get("http_client") is not None:
        return ctx.services["http_client"]
    return _service(ctx, "http_client_factory")()


@contextmanager
def _database_errors() -> Iterator[None]:
    """Query refusals and failures as node errors: only a lost connection or a timeout is retried."""
    try:
        yield
    except sql.QueryRefused as refused:
        raise NodeError(refused.code, str(refused), retryable=False) from None
    except sql.QueryFailed as failure:
        retryable = failure.code in ("UNREACHABLE", "TIMEOUT", "CONNECTION_FAILED")
        raise NodeError(failure.code, failure.message, retryable=retryable) from None


def _metered_chat(ctx: NodeContext, credential_id: str):
    """One LLM call per use, metered per model in the organization's usage as it returns."""
    fields = _lookup(_service(ctx, "credentials").credential_fields, credential_id, "llm")
    provider = llm.LlmProvider.from_fields(fields)
    client = _http_client(ctx)
    default_model = str(ctx.services.get("default_llm_model") or "")
    usage = _service(ctx, "usage")

    def chat(request: llm.ChatRequest) -> llm.ChatReply:
        try:
            reply = llm.chat(provider, request, http_client=client, default_model=default_model)
        except llm.LlmError as error:
            retry = {"retryable": error.retryable, "retry_after": error.retry_after}
            raise NodeError(error.code, error.message, **retry) from None
        usage.record_ai_tokens(
            reply.total_tokens, model=reply.model, input_tokens=reply.input_tokens, output_tokens=reply.output_tokens
        )
        return reply

    return chat


_ROWS_AS = {
    "enum": list(sql_rows.ROWS_AS),
    "default": "objects",
    "description": "`objects` (keyed by column name) or `arrays` (positional, in column order; smaller).",
}


class DbQueryNode(NodeType):
    type = "db.query"
    category = "action"
    label = "Database query"
    description = (
        "Run one read-only statement (SELECT, WITH … SELECT) on a PostgreSQL or MySQL connection or the "
        "project's Datasets (uploaded files, as tables), "
        "in a read-only transaction with the connection's timeout and row limit. Pass values as "
        "params (%s or %(name)s placeholders), never inside the SQL text. Output: `columns` (name, type), "
        "`rows` as objects keyed by column name (`rows_as: arrays` for positional rows), `row_count`, `truncated`."
    )
    config_schema = {
        "type": "object",
        "properties": {
            "connection": {"type": "string", "minLength": 1, "x-connection-kinds": ["postgresql", "mysql", "datasets"]},
            "sql": {"type": "string", "minLength": 1, "x-expression": True},
            "params": {"type": ["array", "object"], "x-expression": True},
            "row_limit": {"type": "integer", "minimum": 1, "maximum": 100_000},
            "rows_as": _ROWS_AS,
        },
        "required": ["connection", "sql"],
        "additionalProperties": False,
    }
    example = {
        "connection": "conn_…",
        "sql": "SELECT name FROM customers WHERE city = %(city)s",
        "params": {"city": "{{ input.city }}"},
    }

    def run(self, ctx: NodeContext) -> NodeResult:
        target = _lookup(_service(ctx, "connections").database_target, ctx.config["connection"])
        target = _limited(target, ctx.config.get("row_limit"))
        with _database_errors():
            result = sql.run_read_query(target, str(ctx.config["sql"]), ctx.config.get("params"))
        return NodeResult(output=result.as_dict(ctx.config.get("rows_as") or "objects"))


def _limited(target, row_limit):
    return replace(target, row_limit=min(target.row_limit, int(row_limit))) if row_limit else target


class DbAskNode(NodeType):
    type = "db.ask"
    category = "action"
    label = "Ask data"
    description = (
        "Ask a database a question in plain words. The node reads the connection's schema (tables, columns, "
        "types, keys; minus what the connection excludes from AI), an LLM writes one read-only SELECT, it runs "
        "read-only (a database error is shown to the model once for a fix), and a second call words the answer. "
        "Output: `question`, `sql`, `columns`, `rows`, `answer`. Tokens are on the step and in the usage."
    )
    config_schema = {
        "type": "object",
        "properties": {
            "connection": {"type": "string", "minLength": 1, "x-connection-kinds": ["postgresql", "mysql", "datasets"]},
            "credential": credential_field("llm", minLength=1),
            "question": {"type": "string", "minLength": 1, "x-expression": True},
            "model": {"type": "string", "description": "Default: the credential's, then the site's."},
            "answer_in_words": {
                "type": "boolean",
                "default": True,
                "description": "A second model call words the answer; off: a sentence from the rows alone.",
            },
            "rows_as": _ROWS_AS,
            "row_limit": {"type": "integer", "minimum": 1, "maximum": 100_000},
            "refresh_schema": {
                "type": "boolean",
                "default": False,
                "description": "Read the schema afresh instead of the copy kept for 10 minutes.",
            },
        },
        "required": ["connection", "credential", "question"],
        "additionalProperties": False,
    }
    example = {"connection": "conn_…", "credential": "cred_…", "question": "{{ trigger.question }}"}
    default_retry = RetryPolicy(max_attempts=4, backoff_seconds=1, backoff_multiplier=2, max_delay_seconds=60)

    def run(self, ctx: NodeContext) -> NodeResult:
        config = ctx.config
        connections = _service(ctx, "connections")
        with _database_errors():
            refresh = bool(config.get("refresh_schema"))
            source = _lookup(lambda: connections.ask_source(config["connection"], refresh=refresh))
            source = replace(source, target=_limited(source.target, config.get("row_limit")))
            chat = asking.Metered(_metered_chat(ctx, config["credential"]))
            try:
                answer = asking.ask(
                    source,
                    str(config.get("question") or ""),
                    chat,
                    model=str(config.get("model") or ""),
                    words=config.get("answer_in_words", True) is not False,
                    rows_as=config.get("rows_as") or "objects",
                )
            except asking.AskFailed as failure:
                raise NodeError(failure.code, failure.message, retryable=False) from None
        return NodeResult(output={**answer, "model": ", ".join(chat.models), "usage": chat.usage()})


class EmailSendNode(NodeType):
    type = "email.send"
    category = "action"
    label = "Send email"
    description = "Send an email through an SMTP credential, or the site's mail settings when none is chosen."
    config_schema = {
        "type": "object",
        "properties": {
            "credential": credential_field("smtp"),
            "to": _ADDRESSES,
            "cc": _ADDRESSES,
            "from_email": {"type": "string", "x-expression": True},
            "subject": {"type": "string", "minLength": 1, "x-expression": True},
            "text": {"type": "string", "x-expression": True},
            "html": {"type": "string", "x-expression": True},
        },
        "required": ["to", "subject"],
        "additionalProperties": False,
    }
    example = {"to": "{{ input.email }}", "subject": "Welcome", "text": "Hello {{ input.name }}!"}

    def check_config(self, config: Mapping[str, Any]) -> list[tuple[str, str]]:
        # Sending refuses an email without a body (EMAIL_INVALID): say so before a run.
        if config.get("text") or config.get("html"):
            return []
        return [("text", "Fill in Text or HTML: an email needs a body")]

    def run(self, ctx: NodeContext) -> NodeResult:
        config = ctx.config
        outgoing = email_sending.OutgoingEmail(
            to=_address_list(config.get("to")),
            cc=_address_list(config.get("cc")),
            subject=str(config.get("subject", "")),
            text=str(config.get("text") or ""),
            html=str(config.get("html") or ""),
            from_email=str(config.get("from_email") or ""),
        )
        try:
            if config.get("credential"):
                smtp = _lookup(_service(ctx, "credentials").credential_fields, config["credential"], "smtp")
                sent = email_sending.send_via_smtp(outgoing, smtp)
            else:
                sent = email_sending.send_via_django(outgoing)
        except email_sending.EmailError as error:
            raise NodeError(error.code, error.message, retryable=error.retryable) from None
        return NodeResult(output={"subject": outgoing.subject, **sent})


def _address_list(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(item).strip() for item in value]


class AiChatNode(NodeType):
    type = "ai.chat"
    category = "action"
    label = "AI chat"
    description = (
        "Ask an LLM (Anthropic or an OpenAI-compatible endpoint, from an llm credential). "
        "Give `prompt` or a list of `messages`; `json_output` parses the answer as JSON into `data`. "
        "With a `knowledge_base`, the best passages for the question (the prompt, else the last user message) "
        "are given to the model to cite as [1], [2]…; the output adds `sources` and `found` (false when "
        "nothing relevant was found, and the model is told to say so). "
        "Tokens used are on the step and in the organization's usage."
    )
    config_schema = {
        "type": "object",
        "properties": {
            "credential": credential_field("llm", minLength=1),
            "model": {"type": "string", "description": "Default: the credential's, then the site's."},
            "system": {"type": "string", "x-expression": True},
            "prompt": {"type": "string", "x-expression": True},
            "messages": {
                "type": "array",
                "x-expression": True,
                "items": {
                    "type": "object",
                    "properties": {"role": {"enum": ["user", "assistant"]}, "content": {"type": "string"}},
                    "required": ["role", "content"],
                },
            },
            "json_output": {"type": "boolean", "default": False},
            "max_tokens": {"type": "integer", "minimum": 1, "maximum": 64_000, "default": 1024},
            "temperature": {"type": "number", "minimum": 0, "maximum": 2},
            "knowledge_base": {
                "type": "string",
                "x-knowledge-base": True,
                "description": "Answer from this knowledge base's passages, with citations.",
            },
            "knowledge_limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": 20,
                "default": 4,
                "description": "How many passages the model gets.",
            },
        },
        "required": ["credential"],
        "anyOf": [{"required": ["prompt"]}, {"required": ["messages"]}],
        "additionalProperties": False,
    }
    example = {"credential": "cred_…", "system": "You are terse.", "prompt": "Summarise: {{ input.text }}"}
    # Providers rate-limit often: retry 429/5xx 4 times in all (1, 2, 4 s, or the provider's
    # Retry-After up to 60 s). This is the node's one policy; a node's own `retry` replaces it.
    default_retry = RetryPolicy(max_attempts=4, backoff_seconds=1, backoff_multiplier=2, max_delay_seconds=60)

    def run(self, ctx: NodeContext) -> NodeResult:
        config = ctx.config
        chat = _metered_chat(ctx, config["credential"])
        messages = list(config.get("messages") or [])
        if config.get("prompt"):
            messages.append({"role": "user", "content": str(config["prompt"])})
        system, grounding = str(config.get("system") or ""), None
        if config.get("knowledge_base"):
            grounding = _grounding(ctx, messages)
            system = f"{system}\n\n{grounding.instructions}".strip()
        request = llm.ChatRequest(
            messages=messages,
            system=system,
            model=str(config.get("model") or ""),
            max_tokens=int(config.get("max_tokens", 1024)),
            temperature=config.get("temperature"),
            json_output=bool(config.get("json_output")),
        )
        output = chat(request).as_dict()
        if grounding is not None:
            output |= {"sources": grounding.sources, "found": grounding.found}
        return NodeResult(output=output)


def _grounding(ctx: NodeContext, messages: list):
    """The knowledge base's passages for the question: the last user message (the prompt, if given)."""
    question = next((str(m.get("content") or "") for m in reversed(messages) if m.get("role") == "user"), "")
    knowledge = _service(ctx, "knowledge")
    limit = int(ctx.config.get("knowledge_limit") or 4)
    return _lookup(knowledge.ground, str(ctx.config["knowledge_base"]), question, limit)


INTEGRATION_NODE_TYPES: list[type[NodeType]] = [DbQueryNode, DbAskNode, EmailSendNode, AiChatNode]


def register_integration_nodes(registry: NodeRegistry) -> NodeRegistry:
    for node_type in INTEGRATION_NODE_TYPES:
        if node_type.type not in registry:
            registry.register(node_type)
    return registry

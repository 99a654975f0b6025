"""Converters between the canonical form and the two other shapes users bring.

*states* (state machine): `{"start_at"?, "states": {name: {"type": task|succeed|fail|
choice|wait|parallel, "next": ...}}, "functions": [...]}`. The start is `start_at`, else
the first state; on export the start state is listed first and `start_at` is omitted, as
in the seed examples. A `task` calls a host function (`function.call`); a canonical node
with no native state equivalent is exported as a task carrying `resource` (its node type),
`config` and `ports` (targets of ports other than `out`), so nothing is lost.

*configuration* (chatbot): `{"channel"?, "configuration": {"trigger": {"type", ...},
"nodes": [{"id", "type", ..., "next"}]}}`; `message` maps to `chat.message` (`content` is
its `text`), `ai_response` to `ai.chat`, `form` to `chat.form` (its `fields` as they are),
`ask` to `chat.ask`, anything else to `chatbot.<type>` with its fields as config.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .convert_states import canonical_node as _node
from .convert_states import edge, states_from_canonical, states_to_canonical

FORMATS = ("nodes", "states", "configuration")
_CHAT_TYPES = {"message": "chat.message", "ai_response": "ai.chat", "form": "chat.form", "ask": "chat.ask"}
_CHAT_TYPES_BACK = {v: k for k, v in _CHAT_TYPES.items()}


def detect_format(data: Mapping[str, Any]) -> str:
    if isinstance(data.get("nodes"), list):
        return "nodes"
    if isinstance(data.get("states"), dict):
        return "states"
    if isinstance(data.get("configuration"), dict):
        return "configuration"
    raise ValueError("unrecognised workflow format: expected nodes, states or configuration")


def to_canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    fmt = detect_format(data)
    if fmt == "nodes":
        return dict(data)
    if fmt == "states":
        return states_to_canonical(data)
    return _configuration_to_canonical(data)


def from_canonical(canonical: Mapping[str, Any], fmt: str) -> dict[str, Any]:
    if fmt == "nodes":
        return dict(canonical)
    if fmt == "states":
        return states_from_canonical(canonical)
    if fmt == "configuration":
        return _configuration_from_canonical(canonical)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _configuration_to_canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    configuration = data["configuration"]
    trigger = dict(configuration.get("trigger") or {"type": "manual"})
    chat_nodes = list(configuration.get("nodes") or [])
    taken = {str(n.get("id")) for n in chat_nodes}
    trigger_id = next(c for c in ("trigger", "trigger-0", "trigger-1") if c not in taken)
    trigger_config = {k: v for k, v in trigger.items() if k != "type"}
    if data.get("channel"):
        trigger_config["channel"] = data["channel"]
    nodes = [_node(trigger_id, f"trigger.{trigger.get('type', 'manual')}", trigger_config, 0)]
    edges = [edge(trigger_id, str(chat_nodes[0]["id"]))] if chat_nodes else []
    for index, chat in enumerate(chat_nodes, start=1):
        config = {k: v for k, v in chat.items() if k not in ("id", "type", "next")}
        node_type = _CHAT_TYPES.get(chat.get("type", ""), f"chatbot.{chat.get('type')}")
        if node_type == "chat.message" and "content" in config:
            config["text"] = config.pop("content")
        nodes.append(_node(str(chat["id"]), node_type, config, index))
        if chat.get("next"):
            edges.append(edge(str(chat["id"]), str(chat["next"])))
    return {"nodes": nodes, "edges": edges, "variables": {}, "settings": {}}


def _configuration_from_canonical(canonical: Mapping[str, Any]) -> dict[str, Any]:
    nodes = list(canonical.get("nodes") or [])
    out = {
        e["source"]: e["target"] for e in canonical.get("edges") or [] if e.get("source_port", "out") == "out"
    }
    triggers = [n for n in nodes if str(n.get("type", "")).startswith("trigger.")]
    if len(triggers) != 1:
        raise ValueError("the configuration form needs exactly one trigger")
    trigger_config = dict(triggers[0].get("config") or {})
    channel = trigger_config.pop("channel", None)
    result: dict[str, Any] = {}
    if channel:
        result["channel"] = channel
    chat_nodes = []
    for node in nodes:
        if node is triggers[0]:
            continue
        node_type = str(node["type"])
        config = dict(node.get("config") or {})
        if node_type == "chat.message" and "text" in config:
            config["content"] = config.pop("text")
        chat_type = _CHAT_TYPES_BACK.get(node_type) or node_type.removeprefix("chatbot.")
        chat = {"id": node["id"], "type": chat_type, **config}
        if node["id"] in out:
            chat["next"] = out[node["id"]]
        chat_nodes.append(chat)
    trigger = {"type": str(triggers[0]["type"]).removeprefix("trigger."), **trigger_config}
    result["configuration"] = {"trigger": trigger, "nodes": chat_nodes}
    return result

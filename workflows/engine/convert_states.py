"""The state-machine (`states`) form ⇄ canonical; see `convert` for the shape.

A `parallel` state P becomes a pass-through node P (data.set, no fields, keep_input) that
fans out to each branch's start, and a `P-join` merge (list mode) that every branch's last
state leads into; export recognises that pair and rebuilds the parallel state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_NATIVE = {"function.call", "logic.succeed", "logic.fail", "logic.wait", "logic.switch"}
_PASS_THROUGH = {"fields": {}, "keep_input": True}


def edge(source: str, target: str, port: str = "out") -> dict[str, str]:
    return {"id": f"{source}-{port}-{target}", "source": source, "source_port": port, "target": target}


def canonical_node(node_id: str, node_type: str, config: dict[str, Any], index: int) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": node_type,
        "name": node_id,
        "config": config,
        "position": {"x": 250 * index, "y": 0},
    }


def states_to_canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    states = data["states"]
    if not states:  # next(iter({})) raised StopIteration, which no caller expects (a 500)
        raise ValueError("states must hold at least one state")
    start = data.get("start_at") or next(iter(states))
    trigger_id = next(c for c in ("trigger", "trigger-0", "trigger-1") if c not in states)
    nodes = [canonical_node(trigger_id, "trigger.manual", {}, 0)]
    edges = [edge(trigger_id, start)]
    _add_states(states, nodes, edges, join=None)
    return {"nodes": nodes, "edges": edges, "variables": {}, "settings": {}}


def _add_states(states: Mapping[str, Any], nodes: list, edges: list, join: str | None) -> None:
    for name, state in states.items():
        if not isinstance(state, Mapping):  # `state.get` on a list was an AttributeError (a 500)
            raise ValueError(f"state {name!r} must be an object")
        node_type, config, ports = _state_to_node(name, state, nodes, edges)
        nodes.append(canonical_node(name, node_type, config, len(nodes)))
        for port, target in ports.items():
            edges.append(edge(name, target, port))
        ends_branch = "out" not in ports and state.get("type") not in ("succeed", "fail", "choice")
        if join and ends_branch:
            edges.append(edge(name, join))


def _state_to_node(name: str, state: Mapping[str, Any], nodes: list, edges: list) -> tuple[str, dict, dict]:
    kind = state.get("type")
    ports = {"out": state["next"]} if state.get("next") else {}
    if kind == "task" and "resource" in state:
        return state["resource"], dict(state.get("config") or {}), {**ports, **(state.get("ports") or {})}
    if kind == "task":
        config = {
            "function": state["task"],
            **({"input": state["parameters"]} if "parameters" in state else {}),
        }
        return "function.call", config, ports
    if kind == "succeed":
        return "logic.succeed", ({"output": state["output"]} if "output" in state else {}), {}
    if kind == "fail":
        config = {k2: state[k1] for k1, k2 in (("error", "code"), ("cause", "message")) if k1 in state}
        return "logic.fail", config, {}
    if kind == "wait":
        config = {"seconds": state["seconds"]} if "seconds" in state else {"until": state["timestamp"]}
        return "logic.wait", config, ports
    if kind == "choice":
        cases = [
            {"port": f"choice-{i}", "when": c["condition"]} for i, c in enumerate(state.get("choices", []))
        ]
        ports = {f"choice-{i}": c["next"] for i, c in enumerate(state.get("choices", []))}
        if state.get("default"):
            ports["default"] = state["default"]
        return "logic.switch", {"cases": cases}, ports
    if kind == "parallel":
        join = f"{name}-join"
        for branch in state.get("branches", []):
            branch_start = branch.get("start_at") or next(iter(branch["states"]))
            edges.append(edge(name, branch_start))
            _add_states(branch["states"], nodes, edges, join=join)
        nodes.append(canonical_node(join, "logic.merge", {"mode": "list"}, len(nodes)))
        if state.get("next"):
            edges.append(edge(join, state["next"]))
        return "data.set", dict(_PASS_THROUGH), {}
    raise ValueError(f"state {name!r} has unknown type {kind!r}")


def states_from_canonical(canonical: Mapping[str, Any]) -> dict[str, Any]:
    nodes = {n["id"]: n for n in canonical.get("nodes") or []}
    out: dict[str, dict[str, list[str]]] = {}
    for e in canonical.get("edges") or []:
        out.setdefault(e["source"], {}).setdefault(e.get("source_port", "out"), []).append(e["target"])
    triggers = [n for n in nodes.values() if str(n["type"]).startswith("trigger.")]
    if len(triggers) != 1 or len(out.get(triggers[0]["id"], {}).get("out", [])) != 1:
        raise ValueError("the states form needs exactly one trigger leading to one start state")
    start = out[triggers[0]["id"]]["out"][0]
    states: dict[str, Any] = {}
    functions: list[str] = []
    _export_chain(start, nodes, out, states, functions, stop=None)
    result: dict[str, Any] = {"states": states}
    if functions:
        result["functions"] = list(dict.fromkeys(functions))
    return result


def _export_chain(
    first: str, nodes: dict, out: dict, states: dict, functions: list, stop: str | None
) -> None:
    """Export every state reachable from `first`, not crossing `stop` (a parallel's join)."""
    pending = [first]
    while pending:
        node_id = pending.pop(0)
        if node_id in states or node_id == stop or node_id not in nodes:
            continue
        state, follow = _node_to_state(nodes[node_id], nodes, out, functions)
        states[node_id] = state
        pending.extend(follow)


def _node_to_state(
    node: Mapping[str, Any], nodes: dict, out: dict, functions: list
) -> tuple[dict, list[str]]:
    node_id, node_type, config = node["id"], node["type"], dict(node.get("config") or {})
    ports = {port: targets for port, targets in out.get(node_id, {}).items()}
    join = f"{node_id}-join"
    if node_type == "data.set" and config == _PASS_THROUGH and join in nodes:
        return _parallel_state(node_id, join, nodes, out, functions)
    if any(len(targets) > 1 for targets in ports.values()):
        raise ValueError(f"node {node_id!r} fans out; only parallel states can do that in the states form")
    single = {port: targets[0] for port, targets in ports.items()}
    state = _native_state(node_type, config, single, functions)
    if state is None:
        state = {"type": "task", "resource": node_type, "config": config}
        extra = {p: t for p, t in single.items() if p != "out"}
        if extra:
            state["ports"] = extra
    if "out" in single and node_type != "logic.switch":
        state["next"] = single["out"]
    return state, list(single.values())


def _native_state(node_type: str, config: dict, ports: dict, functions: list) -> dict | None:
    if node_type not in _NATIVE or set(ports) - {"out", "default"} - {
        p for p in ports if p.startswith("choice-")
    }:
        return None
    if node_type == "function.call" and set(config) <= {"function", "input"}:
        functions.append(config["function"])
        return {
            "type": "task",
            "task": config["function"],
            **({"parameters": config["input"]} if "input" in config else {}),
        }
    if node_type == "logic.succeed":
        return {"type": "succeed", **({"output": config["output"]} if "output" in config else {})}
    if node_type == "logic.fail":
        return {
            "type": "fail",
            **{k2: config[k1] for k1, k2 in (("code", "error"), ("message", "cause")) if k1 in config},
        }
    if node_type == "logic.wait":
        return {
            "type": "wait",
            **({"seconds": config["seconds"]} if "seconds" in config else {"timestamp": config["until"]}),
        }
    cases = config.get("cases") or []
    if node_type == "logic.switch" and all(
        isinstance(c, dict) and c["port"] == f"choice-{i}" for i, c in enumerate(cases)
    ):
        state: dict[str, Any] = {
            "type": "choice",
            "choices": [
                {"condition": c["when"], "next": ports[c["port"]]} for c in cases if c["port"] in ports
            ],
        }
        if "default" in ports:
            state["default"] = ports["default"]
        return state
    return None


def _parallel_state(
    node_id: str, join: str, nodes: dict, out: dict, functions: list
) -> tuple[dict, list[str]]:
    branches = []
    for branch_start in out.get(node_id, {}).get("out", []):
        branch_states: dict[str, Any] = {}
        _export_chain(branch_start, nodes, out, branch_states, functions, stop=join)
        for state in branch_states.values():
            if state.get("next") == join:
                del state["next"]
        branches.append({"start_at": branch_start, "states": branch_states})
    state: dict[str, Any] = {"type": "parallel", "branches": branches}
    after = out.get(join, {}).get("out", [])
    if after:
        state["next"] = after[0]
    return state, after

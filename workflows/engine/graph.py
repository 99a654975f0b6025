"""Graph helpers shared by validation and the runner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from .definition import Edge

LOOP_PORT = "loop"


def outgoing_edges(edges: Iterable[Edge]) -> dict[str, list[Edge]]:
    result: dict[str, list[Edge]] = defaultdict(list)
    for edge in edges:
        result[edge.source].append(edge)
    return result


def loop_body(loop_id: str, out_edges: Mapping[str, list[Edge]]) -> set[str]:
    """Nodes reached from a for_each's `loop` port without passing back through it."""
    body: set[str] = set()
    stack = [e.target for e in out_edges.get(loop_id, []) if e.source_port == LOOP_PORT]
    while stack:
        node_id = stack.pop()
        if node_id == loop_id or node_id in body:
            continue
        body.add(node_id)
        stack.extend(e.target for e in out_edges.get(node_id, []))
    return body


def loop_bodies(loop_ids: Iterable[str], edges: Iterable[Edge]) -> dict[str, set[str]]:
    out_edges = outgoing_edges(edges)
    return {loop_id: loop_body(loop_id, out_edges) for loop_id in loop_ids}


def walk_members(scope: set[str], bodies: Mapping[str, set[str]]) -> set[str]:
    """The nodes one walk drives: `scope` minus the bodies of loops that sit inside it."""
    members = set(scope)
    for loop_id, body in bodies.items():
        if loop_id in scope:
            members -= body
    return members


def find_cycle_nodes(node_ids: Iterable[str], edges: Iterable[Edge]) -> list[list[str]]:
    """Strongly connected components that contain a cycle (Tarjan, iterative)."""
    out_edges = outgoing_edges(edges)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in node_ids:
        if root in index:
            continue
        work = [(root, iter(out_edges.get(root, [])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for edge in children:
                child = edge.target
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(out_edges.get(child, []))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                self_loop = any(e.target == node for e in out_edges.get(node, []))
                if len(component) > 1 or self_loop:
                    components.append(sorted(component))
    return components

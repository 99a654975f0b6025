"""Editor annotations in a definition: pinned test data and sticky notes (docs/design.md D24).

Neither changes what a production run does: `pinned` replaces a node's run only in test
runs (mode "test"), and `notes` are never read by the runner. Validation checks their shape
so a bad import is a clear problem rather than a surprise in the editor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

NOTE_COLORS = ("yellow", "blue", "green", "pink", "grey")
MAX_NOTE_TEXT = 10_000
MAX_NOTES = 200
NOTE_SIZE = (60, 2000)  # smallest and largest width or height, in canvas pixels


def check_pinned(pinned: Any, node_ids: Iterable[str]) -> Iterable[tuple[str, str, str]]:
    """(path, code, message) for each problem of `pinned`: {node id: {"output", "port"?}}."""
    if not isinstance(pinned, dict):
        yield "pinned", "NOT_AN_OBJECT", "Pinned data must be an object of node ids"
        return
    known = set(node_ids)
    for node_id, entry in pinned.items():
        path = f"pinned.{node_id}"
        if node_id not in known:
            yield path, "UNKNOWN_NODE", f"Pinned data names a node that is not in the workflow ({node_id})"
        elif not isinstance(entry, dict) or "output" not in entry:
            yield path, "INVALID_PINNED_DATA", "Pinned data must be an object with an output"
        elif "port" in entry and not isinstance(entry["port"], str):
            yield f"{path}.port", "INVALID_PINNED_DATA", "The pinned port must be text"


def check_notes(notes: Any) -> Iterable[tuple[str, str, str]]:
    """(path, code, message) for each problem of the sticky notes list."""
    if not isinstance(notes, list):
        yield "notes", "NOT_A_LIST", "Notes must be a list"
        return
    if len(notes) > MAX_NOTES:
        yield "notes", "TOO_MANY_NOTES", f"A workflow holds at most {MAX_NOTES} notes"
    seen: set[str] = set()
    for index, note in enumerate(notes):
        path = f"notes[{index}]"
        if not isinstance(note, dict):
            yield path, "INVALID_NOTE", "A note must be an object"
            continue
        note_id = note.get("id")
        if not isinstance(note_id, str) or not note_id or note_id in seen:
            yield f"{path}.id", "INVALID_NOTE", "A note needs an id of its own"
        seen.add(str(note_id))
        yield from _note_fields(path, note)


def _note_fields(path: str, note: Mapping[str, Any]) -> Iterable[tuple[str, str, str]]:
    text = note.get("text", "")
    if not isinstance(text, str) or len(text) > MAX_NOTE_TEXT:
        yield f"{path}.text", "INVALID_NOTE", f"A note's text is at most {MAX_NOTE_TEXT} characters"
    if note.get("color", "yellow") not in NOTE_COLORS:
        yield f"{path}.color", "INVALID_NOTE", f"A note's colour is one of {', '.join(NOTE_COLORS)}"
    position = note.get("position")
    if not isinstance(position, dict) or not all(_number(position.get(k)) for k in ("x", "y")):
        yield f"{path}.position", "INVALID_NOTE", "A note needs a position with x and y"
    for key in ("width", "height"):
        if key in note and not (_number(note[key]) and NOTE_SIZE[0] <= note[key] <= NOTE_SIZE[1]):
            yield f"{path}.{key}", "INVALID_NOTE", f"A note's {key} is {NOTE_SIZE[0]} to {NOTE_SIZE[1]}"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def pinned_port(entry: Mapping[str, Any], ports: list[str]) -> str:
    """The port a pinned output leaves by: the one recorded with it if the node has it, else its first."""
    port = entry.get("port")
    return port if isinstance(port, str) and port in ports else (ports[0] if ports else "out")

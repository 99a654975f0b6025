"""Chat over a WebSocket: the site widget's `ws/chat/<channel_token>/` and the editor's
"Try it" `ws/workflows/<workflow_id>/chat/`.

Thin, like the other consumers: `connect()` finds the channel (and checks the page's Origin
against the channel's allowed origins) or the workflow (a signed-in editor), then both speak
one small JSON protocol:

  client → server  {"type": "hello", "visitor_id": "…", "conversation_id": "…"?}   (the editor: {"type": "hello"})
                   {"type": "message", "text": "…"}
                   {"type": "restart"}                                            (the editor only)
  server → client  {"type": "ready", "conversation_id", "messages": [...]}
                   {"type": "message", "message": {id, direction, text, created_at, conversation_id}}
                   {"type": "typing", "on": true|false}
                   {"type": "error", "code", "message"}

A hello with the conversation the widget kept (and the same visitor id) joins that
conversation's group and sends its transcript, so a reload continues it. A visitor's message
goes through `chat.routing.receive` like any other channel's (the editor's through
chat.try_it, into the draft); replies reach the group `chat.conv.<id>` (chat/adapters/web.py)
and are relayed here, and the run's end or park (workflows.events) turns the typing indicator
off. Hostile frames (not JSON, too large, binary, unknown types, bad fields) are answered with
an error frame; a connection that keeps sending them is closed (4408). Close codes: 4401 not
signed in, 4404 unknown or inactive channel (or no such workflow for this editor), 4403 an
Origin the channel does not allow.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from chat import try_it, widget
from chat.adapters.web import conversation_group
from workflows.events import execution_group

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 16 * 1024
MAX_TEXT = 2000  # characters; static/chat/widget.js caps its input at the same length
MAX_BAD_FRAMES = 20  # in a row, then the connection is closed
VISITOR_ID = re.compile(r"^[A-Za-z0-9-]{16,64}$")
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_ABUSE = 4408


class BadFrame(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def parse_frame(text_data: str | None, bytes_data: bytes | None, allowed_types: tuple[str, ...]) -> dict[str, Any]:
    """The frame as a dict with a known `type`, or BadFrame saying what is wrong with it."""
    if text_data is None:
        raise BadFrame("INVALID_FRAME", "Frames are JSON text.")
    if len(text_data.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES:
        raise BadFrame("FRAME_TOO_LARGE", f"A frame holds at most {MAX_FRAME_BYTES} bytes.")
    try:
        frame = json.loads(text_data)
    except ValueError:
        raise BadFrame("INVALID_FRAME", "Frames are JSON objects.") from None
    if not isinstance(frame, dict) or frame.get("type") not in allowed_types:
        raise BadFrame("INVALID_FRAME", f"A frame is a JSON object whose type is one of: {', '.join(allowed_types)}.")
    return frame


def message_text(frame: dict[str, Any]) -> str:
    text = frame.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadFrame("VALIDATION_ERROR", "A message needs some text.")
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise BadFrame("MESSAGE_TOO_LONG", f"A message holds at most {MAX_TEXT} characters.")
    if "\x00" in text:
        raise BadFrame("VALIDATION_ERROR", "A message cannot hold NUL characters.")
    return text


def hello_fields(frame: dict[str, Any]) -> tuple[str, str | None]:
    visitor_id = frame.get("visitor_id")
    if not isinstance(visitor_id, str) or not VISITOR_ID.match(visitor_id):
        raise BadFrame("VALIDATION_ERROR", "visitor_id is 16 to 64 letters, digits or dashes.")
    conversation_id = frame.get("conversation_id")
    if conversation_id is not None and (not isinstance(conversation_id, str) or len(conversation_id) > 64):
        conversation_id = None  # a stale or mangled id from storage: start afresh rather than refuse
    return visitor_id, conversation_id


def origin_of(scope: dict) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"origin":
            return value.decode("latin-1")
    return None


class ChatSocket(AsyncWebsocketConsumer):
    """One side of a conversation over a WebSocket: frames in, the conversation's events out.

    Subclasses say who is talking (`connect`, `greet`) and where a message goes (`take`).
    """

    allowed_types: tuple[str, ...] = ("hello", "message")
    with_runs = False  # whether messages carry their run's id (the editor's, never a visitor's)
    admitted = False  # connect() passed its checks (a refused socket is closed but may still send)
    said_hello = False
    conversation_id: str | None = None
    group: str | None = None
    execution_id: str | None = None
    bad_frames = 0

    async def disconnect(self, code: int) -> None:
        await self.follow(None)
        await self.watch(None)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self.admitted:
            return
        try:
            frame = parse_frame(text_data, bytes_data, self.allowed_types)
            if frame["type"] == "hello":
                await self.hello(frame)
            elif not self.said_hello:
                raise BadFrame("HELLO_FIRST", 'Send {"type": "hello", …} first.')
            else:
                await self.on_frame(frame)
            self.bad_frames = 0
        except BadFrame as error:
            self.bad_frames += 1
            await self.send_frame({"type": "error", "code": error.code, "message": error.message})
            if self.bad_frames >= MAX_BAD_FRAMES:
                await self.close(code=CLOSE_ABUSE)

    async def hello(self, frame: dict[str, Any]) -> None:
        ready = await database_sync_to_async(self.greet)(frame)
        self.said_hello = True
        await self.follow(ready["conversation_id"])
        await self.send_frame({"type": "ready", **ready})

    async def on_frame(self, frame: dict[str, Any]) -> None:
        await self.message(message_text(frame))

    async def message(self, text: str) -> None:
        await self.send_frame({"type": "typing", "on": True})
        try:
            taken = await database_sync_to_async(self.take)(text)
        except widget.Refused as refusal:
            await self.send_frame({"type": "typing", "on": False})
            raise BadFrame(refusal.code, refusal.message) from None
        except Exception:
            # The visitor sees a plain sentence; the traceback goes to the server log only.
            logger.exception("chat socket %s: a message could not be taken", self.scope.get("path", ""))
            await self.send_frame({"type": "typing", "on": False})
            raise BadFrame("INTERNAL_ERROR", "Sorry, something went wrong. Please try again.") from None
        await self.follow(taken.conversation_id)
        await self.watch(taken.execution_id)
        caught_up = await database_sync_to_async(widget.catch_up)(taken, with_runs=self.with_runs)
        for message in caught_up.messages:
            await self.send_frame({"type": "message", "message": message})
        if not caught_up.busy:
            await self.send_frame({"type": "typing", "on": False})

    def greet(self, frame: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def take(self, text: str) -> widget.Taken:
        raise NotImplementedError

    async def follow(self, conversation_id: str | None) -> None:
        """Join the conversation's group (and leave the previous one's)."""
        if conversation_id == self.conversation_id:
            return
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        self.conversation_id = conversation_id
        self.group = conversation_group(conversation_id) if conversation_id else None
        if self.group:
            await self.channel_layer.group_add(self.group, self.channel_name)

    async def watch(self, execution_id: str | None) -> None:
        """Follow the run handling the message, to turn the typing indicator off when it stops."""
        if execution_id == self.execution_id:
            return
        if self.execution_id:
            await self.channel_layer.group_discard(execution_group(self.execution_id), self.channel_name)
        self.execution_id = execution_id
        if execution_id:
            await self.channel_layer.group_add(execution_group(execution_id), self.channel_name)

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, default=str))

    # --- group events: chat/adapters/web.py (the conversation), workflows.events (the run) -----
    async def chat_message(self, event: dict[str, Any]) -> None:
        message = dict(event["message"])
        if self.with_runs:
            message["execution_id"] = await database_sync_to_async(widget.message_run)(message.get("id"))
        await self.send_frame({"type": "message", "message": message})

    async def chat_typing(self, event: dict[str, Any]) -> None:
        await self.send_frame({"type": "typing", "on": bool(event.get("on"))})

    async def execution_event(self, event: dict[str, Any]) -> None:
        """The watched run's events: its end or its park stops the typing indicator, unless replies
        are still being delivered (the widget stops it when a reply arrives)."""
        if event.get("event") not in ("execution.finished", "execution.waiting"):
            return
        if not await database_sync_to_async(widget.replies_pending)(self.conversation_id):
            await self.send_frame({"type": "typing", "on": False})


class WidgetConsumer(ChatSocket):
    """`ws/chat/<channel_token>/`: a site visitor, known by the visitor id their widget keeps."""

    channel = None
    visitor_id: str | None = None

    async def connect(self) -> None:
        token = self.scope["url_route"]["kwargs"]["channel_token"]
        self.channel = await database_sync_to_async(widget.find_web_channel)(token)
        # Accept, then close with a code: a refused handshake reaches the page as a bare 1006,
        # and the widget must know that retrying cannot help.
        await self.accept()
        if self.channel is None:
            await self.close(code=CLOSE_NOT_FOUND)
        elif not widget.origin_allowed(self.channel, origin_of(self.scope)):
            await self.close(code=CLOSE_FORBIDDEN)
        else:
            self.admitted = True

    def greet(self, frame: dict[str, Any]) -> dict[str, Any]:
        visitor_id, conversation_id = hello_fields(frame)
        if self.visitor_id is not None and visitor_id != self.visitor_id:
            raise BadFrame("VALIDATION_ERROR", "A connection keeps the visitor id of its first hello.")
        self.visitor_id = visitor_id
        return widget.greet(self.channel, visitor_id, conversation_id)

    def take(self, text: str) -> widget.Taken:
        return widget.take_message(self.channel, self.visitor_id, text)


class TryChatConsumer(ChatSocket):
    """`ws/workflows/<workflow_id>/chat/`: the editor's "Try it" chat (a signed-in editor, chat.try_it)."""

    allowed_types = ("hello", "message", "restart")
    with_runs = True
    workflow = None
    user = None

    async def connect(self) -> None:
        await self.accept()
        refusal = await database_sync_to_async(self.admit)()
        if refusal:
            await self.close(code=refusal)
        else:
            self.admitted = True

    def admit(self) -> int | None:
        """None when a signed-in editor may try this workflow, else the close code."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:  # the session's user is read from the database
            return CLOSE_UNAUTHENTICATED
        self.workflow = try_it.editable_workflow(user, self.scope["url_route"]["kwargs"]["workflow_id"])
        self.user = user
        return None if self.workflow is not None else CLOSE_NOT_FOUND

    def greet(self, frame: dict[str, Any]) -> dict[str, Any]:
        return try_it.greet(self.workflow, self.user)

    def take(self, text: str) -> widget.Taken:
        self.workflow.refresh_from_db()  # the draft as saved now, not as it was when the panel opened
        return try_it.take_message(self.workflow, self.user, text)

    async def on_frame(self, frame: dict[str, Any]) -> None:
        if frame["type"] == "restart":
            await database_sync_to_async(try_it.restart)(self.workflow, self.user)
            await self.follow(None)
            await self.watch(None)
            await self.send_frame({"type": "ready", "conversation_id": None, "messages": []})
            return
        await super().on_frame(frame)

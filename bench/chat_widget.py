"""What the chat widget's socket costs: the reload (hello → ready with the transcript) and a turn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/flowbuilder_bench_widget REDIS_URL=redis://127.0.0.1:6379/14 \\
        .venv/bin/python bench/chat_widget.py [--turns 200] [--transcript 0 50 200]

Through the real ASGI app in this process (`flowbuilder.asgi.application`, Channels'
WebsocketCommunicator, the Redis channel layer): for each transcript length it opens a socket
as a returning visitor and times `hello` → `ready`; then it times `--turns` messages that the
channel's fallback reply answers (routing, the stored messages, the catch-up read; no workflow
run, no worker), from send to the reply's frame. Prints median and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import configure, make_org_and_key  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--transcript", type=int, nargs="+", default=[0, 50, 200])
    args = parser.parse_args()
    configure()
    from asgiref.sync import async_to_sync
    from channels.testing import WebsocketCommunicator

    from chat import services as chat_services
    from chat.models import ChatMessage, Conversation
    from flowbuilder.asgi import application
    from flowbuilder.redis import get_redis

    organization, _ = make_org_and_key("Widget bench")
    project = organization.default_project
    get_redis().flushdb()
    name = f"Widget {uuid.uuid4().hex[:6]}"
    channel = chat_services.create_channel(
        project, name=name, type="web", fallback_reply="Thanks, we read every message.",
        customer_rate_limit_per_minute=1_000_000, rate_limit_per_minute=1_000_000,
    )  # fmt: skip
    print(f"command: {' '.join(sys.argv)}")

    async def reload_ms(visitor: str, conversation_id: str | None) -> float:
        socket = WebsocketCommunicator(application, f"/ws/chat/{channel.token}/")
        await socket.connect()
        started = time.perf_counter()
        await socket.send_json_to({"type": "hello", "visitor_id": visitor, "conversation_id": conversation_id})
        ready = await socket.receive_json_from(timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        assert ready["type"] == "ready"
        await socket.disconnect()
        return elapsed

    print(f"{'transcript':>10} {'reload median ms':>17} {'p95 ms':>8}")
    for length in args.transcript:
        visitor = str(uuid.uuid4())
        conversation = Conversation.objects.create(project=project, channel=channel.channel, customer_id=visitor)
        ChatMessage.objects.bulk_create(
            ChatMessage(conversation=conversation, direction="in" if n % 2 else "out", text=f"message {n}")
            for n in range(length)
        )
        times = [async_to_sync(reload_ms)(visitor, conversation.id) for _ in range(30)]
        print(f"{length:>10} {statistics.median(times):>17.1f} {percentile(times, 0.95):>8.1f}")

    async def turns() -> list[float]:
        socket = WebsocketCommunicator(application, f"/ws/chat/{channel.token}/")
        await socket.connect()
        await socket.send_json_to({"type": "hello", "visitor_id": str(uuid.uuid4())})
        await socket.receive_json_from(timeout=30)
        times = []
        for n in range(args.turns):
            started = time.perf_counter()
            await socket.send_json_to({"type": "message", "text": f"question {n}"})
            while True:
                frame = await socket.receive_json_from(timeout=30)
                if frame["type"] == "message" and frame["message"]["direction"] == "out":
                    break
            times.append((time.perf_counter() - started) * 1000)
            while True:  # the typing-off frame that ends the turn
                frame = await socket.receive_json_from(timeout=30)
                if frame == {"type": "typing", "on": False}:
                    break
        await socket.disconnect()
        return times

    times = async_to_sync(turns)()
    print(f"turn (message → fallback reply frame): median {statistics.median(times):.1f} ms, "
          f"p95 {percentile(times, 0.95):.1f} ms over {len(times)} turns")  # fmt: skip


if __name__ == "__main__":
    main()

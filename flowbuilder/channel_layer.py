"""The embedded mode's channel layer: Channels' in-memory layer, safe to send to from another thread.

In the embedded mode the worker thread publishes from its own event loop (workflows.events)
while the WebSocket consumers wait in daphne's loop. Channels' in-memory layer puts the
message on an asyncio.Queue and wakes the waiting consumer with a plain callback, which the
consumer's loop only notices when something else wakes it: events arrived late and in
clumps. Sending from a foreign loop now also nudges the consumer's loop thread-safely.
"""

from __future__ import annotations

import asyncio

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    async def send(self, channel, message):
        await super().send(channel, message)
        queue = self.channels.get(channel)
        loop = getattr(queue, "_loop", None)  # set once a receiver waited on the queue
        if loop is not None and loop is not asyncio.get_running_loop() and not loop.is_closed():
            loop.call_soon_threadsafe(_nothing)


def _nothing() -> None:
    """A callback whose only job is to wake the loop it is scheduled on."""

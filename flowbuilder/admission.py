"""A first-come-first-served gate in front of Django's HTTP handler, per web process.

Every Django request runs on a thread of its own, and Python threads share one interpreter
lock. With 16 requests in a process at once, each got a slice of the lock in no fixed order:
a request's answer waited on fifteen others, and some waited on them several times over (the
lock is not handed over in arrival order). The gate lets `slots` requests run at a time and
keeps the others waiting in the event loop, in arrival order, where waiting costs nothing.
A request that is still going after `slice_seconds` (a slow upstream in a synchronous hook,
a large export) gives its slot back and carries on outside the gate, so a slow request never
holds up more than a slice of the queue behind it (docs/design.md D27).

WebSockets and lifespan events pass straight through.
"""

import asyncio
import weakref


class AdmissionGate:
    def __init__(self, app, slots: int, slice_seconds: float):
        self.app = app
        self.slots = slots
        self.slice_seconds = slice_seconds
        # One semaphore per event loop: a server runs one loop per process, tests run many.
        self._semaphores: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.slots <= 0:
            return await self.app(scope, receive, send)
        semaphore = self._semaphore()
        await semaphore.acquire()
        handler = asyncio.ensure_future(self.app(scope, receive, send))
        try:
            await asyncio.wait({handler}, timeout=self.slice_seconds)
        except asyncio.CancelledError:  # the client went away while the handler ran
            handler.cancel()
            raise
        finally:
            semaphore.release()
        return await handler  # cancelling this call cancels the handler too

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.slots)
        return semaphore

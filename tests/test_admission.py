"""The web process's first-come-first-served gate (flowbuilder/admission.py)."""

import asyncio

import pytest

from flowbuilder.admission import AdmissionGate


class RecordingApp:
    """An ASGI app whose requests each wait for their own release, recording what ran when."""

    def __init__(self):
        self.started: list[str] = []
        self.finished: list[str] = []
        self.running = 0
        self.most_running = 0
        self.releases: dict[str, asyncio.Event] = {}

    def release(self, name: str) -> None:
        self.releases.setdefault(name, asyncio.Event()).set()

    async def __call__(self, scope, receive, send):
        name = scope["path"]
        self.started.append(name)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            await self.releases.setdefault(name, asyncio.Event()).wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": name.encode()})
        finally:
            self.running -= 1
            self.finished.append(name)
        return name


def http(path: str) -> dict:
    return {"type": "http", "path": path}


async def nothing():
    return {"type": "http.disconnect"}


async def call(gate, scope, sent: list):
    async def send(message):
        sent.append(message)

    return await gate(scope, nothing, send)


async def settle():
    for _ in range(5):
        await asyncio.sleep(0)


def test_requests_run_in_arrival_order_and_never_more_than_the_slots():
    async def scenario():
        app = RecordingApp()
        gate = AdmissionGate(app, slots=2, slice_seconds=60)
        calls = []
        for name in ["/a", "/b", "/c", "/d", "/e"]:
            calls.append(asyncio.ensure_future(call(gate, http(name), [])))
            await settle()
        assert app.started == ["/a", "/b"]
        for name in ["/b", "/a", "/c", "/d", "/e"]:
            app.release(name)
            await settle()
        results = await asyncio.gather(*calls)
        return app, results

    app, results = asyncio.run(scenario())
    assert app.started == ["/a", "/b", "/c", "/d", "/e"]
    assert app.most_running == 2
    assert results == ["/a", "/b", "/c", "/d", "/e"]


def test_a_slow_request_gives_its_slot_back_after_the_slice_and_still_answers():
    async def scenario():
        app = RecordingApp()
        gate = AdmissionGate(app, slots=1, slice_seconds=0.05)
        slow_sent: list = []
        slow = asyncio.ensure_future(call(gate, http("/slow"), slow_sent))
        await settle()
        quick = asyncio.ensure_future(call(gate, http("/quick"), []))
        await settle()
        assert app.started == ["/slow"]  # the quick one waits its turn, within the slice
        await asyncio.sleep(0.2)
        assert app.started == ["/slow", "/quick"]  # past the slice, the slow one no longer blocks
        app.release("/quick")
        assert await quick == "/quick"
        assert not slow.done()
        app.release("/slow")
        assert await slow == "/slow"
        return slow_sent

    sent = asyncio.run(scenario())
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"/slow"


def test_a_cancelled_request_cancels_its_handler_and_frees_its_slot():
    async def scenario():
        app = RecordingApp()
        gate = AdmissionGate(app, slots=1, slice_seconds=60)
        gone = asyncio.ensure_future(call(gate, http("/gone"), []))
        await settle()
        waiting = asyncio.ensure_future(call(gate, http("/next"), []))
        await settle()
        gone.cancel()
        await settle()
        assert app.finished == ["/gone"]  # the handler was cancelled, not left running
        assert app.started == ["/gone", "/next"]
        app.release("/next")
        assert await waiting == "/next"
        with pytest.raises(asyncio.CancelledError):
            await gone

    asyncio.run(scenario())


def test_a_request_cancelled_after_its_slice_cancels_its_handler():
    async def scenario():
        app = RecordingApp()
        gate = AdmissionGate(app, slots=1, slice_seconds=0.01)
        late = asyncio.ensure_future(call(gate, http("/late"), []))
        await asyncio.sleep(0.1)
        late.cancel()
        await settle()
        return app

    app = asyncio.run(scenario())
    assert app.finished == ["/late"] and app.running == 0


def test_a_failing_request_frees_its_slot():
    async def failing(scope, receive, send):
        raise ValueError("boom")

    async def scenario():
        gate = AdmissionGate(failing, slots=1, slice_seconds=60)
        for _ in range(3):
            with pytest.raises(ValueError):
                await call(gate, http("/x"), [])

    asyncio.run(scenario())


def test_websockets_pass_straight_through():
    async def scenario():
        app = RecordingApp()
        gate = AdmissionGate(app, slots=1, slice_seconds=60)
        busy = asyncio.ensure_future(call(gate, http("/busy"), []))
        await settle()
        socket = asyncio.ensure_future(call(gate, {"type": "websocket", "path": "/ws"}, []))
        await settle()
        assert app.started == ["/busy", "/ws"]
        app.release("/busy")
        app.release("/ws")
        await asyncio.gather(busy, socket)

    asyncio.run(scenario())


def test_each_event_loop_gets_its_own_slots():
    app = RecordingApp()
    gate = AdmissionGate(app, slots=1, slice_seconds=60)

    async def one(name):
        task = asyncio.ensure_future(call(gate, http(name), []))
        await settle()
        app.release(name)
        return await task

    # A semaphore bound to a finished loop would refuse the second loop (RuntimeError).
    assert asyncio.run(one("/first")) == "/first"
    assert asyncio.run(one("/second")) == "/second"


def test_the_served_application_gates_http_with_the_configured_slots(settings):
    from flowbuilder.asgi import application

    gate = application.application_mapping["http"]
    assert isinstance(gate, AdmissionGate)
    assert (gate.slots, gate.slice_seconds) == (settings.FLOWBUILDER_WEB_SLOTS, settings.FLOWBUILDER_WEB_SLOT_SECONDS)


def test_django_answers_every_request_through_a_one_slot_gate(transactional_db):
    from asgiref.testing import ApplicationCommunicator

    from flowbuilder.asgi import django_asgi_app

    gate = AdmissionGate(django_asgi_app, slots=1, slice_seconds=60)
    scope = {"type": "http", "method": "GET", "path": "/api/v1/no-such-thing", "query_string": b"",
             "headers": [(b"host", b"testserver")], "http_version": "1.1", "scheme": "http",
             "server": ("testserver", 80), "client": ("127.0.0.1", 1234)}  # fmt: skip

    async def one():
        communicator = ApplicationCommunicator(gate, dict(scope))
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(timeout=30)
        body = await communicator.receive_output(timeout=30)
        await communicator.wait(timeout=30)
        return start["status"], body["body"]

    async def many():
        return await asyncio.gather(*(one() for _ in range(6)))

    answers = asyncio.run(many())
    assert [status for status, _ in answers] == [404] * 6
    assert all(b'"error"' in body for _, body in answers)

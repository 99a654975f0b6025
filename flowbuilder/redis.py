"""One Redis connection for queues, rate limits and counters.

With REDIS_URL set it is the real server, shared by every web and worker process. In the
embedded mode it is a fakeredis server living in this process, shared by the web threads
and the RQ worker thread, so the same code path runs with zero services.
"""

from __future__ import annotations

import functools

import redis
from django.conf import settings


@functools.cache
def _embedded_server():
    import fakeredis

    return fakeredis.FakeServer()


def get_redis() -> redis.Redis:
    if settings.REDIS_URL:
        return _real_redis(settings.REDIS_URL)
    return _embedded_redis()


@functools.cache
def _embedded_redis() -> redis.Redis:
    # One client for the process, as for the real server: building one per call was a tenth of
    # an embedded sync run's CPU (D19 addendum (4)). Its connection pool serves every thread.
    import fakeredis

    return fakeredis.FakeStrictRedis(server=_embedded_server())


@functools.cache
def _real_redis(url: str) -> redis.Redis:
    # RESP2: redis-py 8 defaults to RESP3 with maintenance notifications, and a connection
    # created under concurrent load then failed its handshake ("I/O operation on closed
    # file") in the browser tests; RESP2 is the long-proven path.
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5, protocol=2)


def get_queue(name: str = "default"):
    """The RQ queue `name` on the shared connection."""
    from rq import Queue

    return Queue(name, connection=get_redis())

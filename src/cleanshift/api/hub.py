"""Waking agent WebSockets when commands are queued for their server.

The command itself is a database row; the hub only says "look again". With
one API process an in-memory signal does; with several behind one address
the signal goes through Redis pub/sub, so whichever process holds the
server's socket hears it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

import redis
import redis.asyncio

logger = logging.getLogger(__name__)

CHANNEL = "cleanshift:commands"


class CommandHub:
    """Per-server wake-up events for the sockets this process holds."""

    def __init__(self, redis_url: str | None = None) -> None:
        self.redis_url = redis_url
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._publisher = redis.Redis.from_url(redis_url) if redis_url else None
        self._listener: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Bind to the running loop and, with Redis, start listening."""
        self._loop = asyncio.get_running_loop()
        if self.redis_url:
            self._listener = asyncio.create_task(self._listen(self.redis_url))

    async def stop(self) -> None:
        """Stop listening."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._publisher is not None:
            self._publisher.close()

    def subscribe(self, server_id: str) -> asyncio.Event:
        """An event set whenever commands are queued for ``server_id``."""
        event = asyncio.Event()
        self._events[server_id].add(event)
        return event

    def unsubscribe(self, server_id: str, event: asyncio.Event) -> None:
        """Forget an event from ``subscribe``."""
        self._events[server_id].discard(event)
        if not self._events[server_id]:
            del self._events[server_id]

    def notify(self, server_ids: set[str]) -> None:
        """Wake the sockets of these servers; safe to call from any thread."""
        if not server_ids:
            return
        if self._publisher is not None:
            for server_id in server_ids:
                try:
                    self._publisher.publish(CHANNEL, server_id)
                except redis.RedisError:
                    # The command is in the database; the next check-in or
                    # reconnect delivers it even if this signal is lost.
                    logger.warning("could not publish a command signal to Redis")
            return
        if self._loop is not None:
            for server_id in server_ids:
                self._loop.call_soon_threadsafe(self._wake, server_id)

    def _wake(self, server_id: str) -> None:
        for event in self._events.get(server_id, ()):
            event.set()

    async def _listen(self, redis_url: str) -> None:
        while True:
            client = redis.asyncio.Redis.from_url(redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._wake(message["data"].decode())
            except redis.RedisError:
                logger.warning("lost the Redis command channel; reconnecting")
                await asyncio.sleep(1)
            finally:
                await client.aclose()

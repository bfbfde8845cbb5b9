"""Signed request/reply and notifications over Home Assistant's MQTT connection (docs/rpc.md).

Requests go to <base>/<node>/rpc/<method>; the reply comes back on .../<method>/reply with the
same id. Each request is signed: HMAC-SHA256 of the exact `body` string, keyed with the RPC
secret, so another client on the broker cannot call Monitor's methods.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any

from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant, callback

from .const import NOTIFICATIONS, SEEN_EVENT_IDS

_LOGGER = logging.getLogger(__name__)


def sign_request(
    secret: str,
    request_id: str,
    method: str,
    params: dict[str, Any],
    ts: int,
    nonce: str,
) -> str:
    """The request payload: {"body": <JSON text>, "sig": <hex HMAC-SHA256 of body>}."""
    body = json.dumps(
        {"id": request_id, "method": method, "ts": ts, "nonce": nonce, "params": params},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    sig = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return json.dumps({"body": body, "sig": sig}, ensure_ascii=False, separators=(",", ":"))


class RpcTimeout(Exception):
    """The node did not answer in time."""


class RpcRemoteError(Exception):
    """The node answered {"ok": false, "error": {"code", "message"}}."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class MonitorRpc:
    """One per config entry: pending requests, known nodes, de-duplicated notifications."""

    def __init__(self, hass: HomeAssistant, base_topic: str, secret: str) -> None:
        self.hass = hass
        self.base = base_topic
        self.secret = secret
        self.nodes: dict[str, str] = {}
        self._pending: dict[str, tuple[str, str, asyncio.Future[Any]]] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._unsubscribe: list[Callable[[], None]] = []

    async def async_start(self) -> None:
        """Subscribe to replies, notifications and node status (QoS 1: nothing lost)."""
        for topic, handler in (
            (f"{self.base}/+/rpc/+/reply", self._on_reply),
            (f"{self.base}/+/rpc/notify/+", self._on_notification),
            (f"{self.base}/+/status", self._on_status),
        ):
            self._unsubscribe.append(
                await mqtt.async_subscribe(self.hass, topic, handler, qos=1, encoding="utf-8")
            )

    @callback
    def async_stop(self) -> None:
        """Unsubscribe and fail the requests still waiting."""
        while self._unsubscribe:
            self._unsubscribe.pop()()
        for _, _, future in self._pending.values():
            if not future.done():
                future.set_exception(RpcTimeout())
        self._pending.clear()

    async def async_call(
        self, node: str, method: str, params: dict[str, Any], timeout: float
    ) -> Any:
        """Send one signed request and wait for its reply; RpcTimeout or RpcRemoteError."""
        request_id = secrets.token_hex(8)
        future: asyncio.Future[Any] = self.hass.loop.create_future()
        self._pending[request_id] = (node, method, future)
        payload = sign_request(
            self.secret, request_id, method, params, int(time.time()), secrets.token_hex(16)
        )
        try:
            await mqtt.async_publish(
                self.hass, f"{self.base}/{node}/rpc/{method}", payload, qos=1, retain=False
            )
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError as err:
            raise RpcTimeout from err
        finally:
            self._pending.pop(request_id, None)

    def _topic_parts(self, topic: str) -> list[str]:
        return topic[len(self.base) + 1 :].split("/")

    @callback
    def _on_reply(self, msg: mqtt.ReceiveMessage) -> None:
        node, _, method, _ = self._topic_parts(msg.topic)
        try:
            reply = json.loads(msg.payload)
            pending = self._pending.get(str(reply["id"]))
        except (ValueError, TypeError, KeyError):
            _LOGGER.debug("Ignoring a reply that is not ours on %s", msg.topic)
            return
        # A reply for another node or method with the same id is not ours (ids are random).
        if pending is None or pending[0] != node or pending[1] != method:
            return
        future = pending[2]
        if future.done():
            return
        if reply.get("ok") is True:
            future.set_result(reply.get("result"))
            return
        error = reply.get("error") if isinstance(reply.get("error"), dict) else {}
        future.set_exception(
            RpcRemoteError(int(error.get("code", 4)), str(error.get("message", "")))
        )

    @callback
    def _on_notification(self, msg: mqtt.ReceiveMessage) -> None:
        node, _, _, name = self._topic_parts(msg.topic)
        _LOGGER.debug("Notification %s from node %s", name, node)
        known = NOTIFICATIONS.get(name)
        if known is None:
            return
        try:
            payload = json.loads(msg.payload)
        except ValueError:
            _LOGGER.warning("Monitor node %s sent a %s notification that is not JSON", node, name)
            return
        if not isinstance(payload, dict):
            return
        event_id = payload.get("event_id")
        if isinstance(event_id, str) and event_id:
            key = f"{node}/{event_id}"
            if key in self._seen:
                return  # QoS 1 delivered it twice: fire once
            self._seen[key] = None
            if len(self._seen) > SEEN_EVENT_IDS:
                self._seen.popitem(last=False)
        event_type, fields = known
        data = {"node": node} | {field: payload.get(field) for field in fields}
        _LOGGER.debug("Firing %s from node %s (event_id %s)", event_type, node, event_id)
        self.hass.bus.async_fire(event_type, data)

    @callback
    def _on_status(self, msg: mqtt.ReceiveMessage) -> None:
        node = self._topic_parts(msg.topic)[0]
        if msg.payload:
            self.nodes[node] = str(msg.payload)
        else:
            self.nodes.pop(node, None)

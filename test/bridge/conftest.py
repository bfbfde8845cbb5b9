"""Fixtures for the monitor_bridge tests: HA's MQTT test client and a fake Monitor node.

The fake node answers on HA's mocked MQTT client (pytest-homeassistant-custom-component's
`mqtt_mock` echoes every publish to the matching subscriptions) and checks each request the
way docs/rpc.md says Monitor does: HMAC-SHA256 of `body`, method equal to the topic's,
timestamp within 60 s, nonce format, no nonce replayed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import hashlib
import hmac
import json
import re
import time
from typing import Any

import pytest

from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant, callback

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.monitor_bridge.const import DOMAIN

SECRET = "s3cr3t-for-tests-0123456789abcdef"
NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/monitor_bridge."""


@pytest.fixture
def expected_lingering_timers() -> bool:
    """HA's MQTT client keeps a periodic timer until HA stops, after the plugin's check."""
    return True


class FakeError(Exception):
    """Raised by a fake handler: becomes {"ok": false, "error": {code, message}}."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _claimed_id(raw: bytes) -> Any:
    """The id a refused request claims, echoed so that the caller learns why at once."""
    try:
        return json.loads(json.loads(raw)["body"])["id"]
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class FakeMonitor:
    """One Monitor node: verifies signed requests and answers with its handlers."""

    hass: HomeAssistant
    node: str
    secret: str = SECRET
    handlers: dict[str, Callable[[dict[str, Any]], Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    silent: bool = False
    _nonces: set[str] = field(default_factory=set)

    async def start(self) -> None:
        await mqtt.async_subscribe(
            self.hass, f"monitor/{self.node}/rpc/+", self._on_request, qos=1, encoding=None
        )

    def _check(self, method: str, raw: bytes) -> dict[str, Any] | str:
        try:
            outer = json.loads(raw)
            body, sig = outer["body"], outer["sig"]
            expected = hmac.new(self.secret.encode(), body.encode(), hashlib.sha256).hexdigest()
            if not (isinstance(sig, str) and hmac.compare_digest(sig, expected)):
                return "bad signature"
            req = json.loads(body)
        except (ValueError, KeyError, TypeError):
            return "not a signed request"
        if req.get("method") != method:
            return "method differs from the topic"
        if not isinstance(req.get("ts"), int) or abs(time.time() - req["ts"]) > 60:
            return "stale"
        if not NONCE.match(str(req.get("nonce"))) or req["nonce"] in self._nonces:
            return "replayed"
        self._nonces.add(req["nonce"])
        return req

    @callback
    def _on_request(self, msg: mqtt.ReceiveMessage) -> None:
        method = msg.topic.rsplit("/", 1)[1]
        checked = self._check(method, msg.payload)
        reply_topic = f"monitor/{self.node}/rpc/{method}/reply"
        if isinstance(checked, str):
            self.refused.append(checked)
            reply = {"id": _claimed_id(msg.payload), "ok": False,
                     "error": {"code": 5, "message": checked}}
        else:
            self.requests.append(checked)
            if self.silent:
                return
            reply = {"id": checked["id"]}
            handler = self.handlers.get(method)
            try:
                if handler is None:
                    raise FakeError(2, f"unknown method {method}")
                reply |= {"ok": True, "result": handler(checked["params"])}
            except FakeError as err:
                reply |= {"ok": False, "error": {"code": err.code, "message": str(err)}}
        self.hass.async_create_task(
            mqtt.async_publish(self.hass, reply_topic, json.dumps(reply), qos=1, retain=False)
        )


@pytest.fixture
def make_entry(hass: HomeAssistant) -> Callable[..., MockConfigEntry]:
    def _make(node: str = "maison", **options: Any) -> MockConfigEntry:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title=f"Monitor ({node})",
            data={"node": node, "secret": SECRET, "base_topic": "monitor"},
            options=options,
        )
        entry.add_to_hass(hass)
        return entry

    return _make


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, mqtt_mock: Any, make_entry: Callable[..., MockConfigEntry]
) -> MockConfigEntry:
    entry = make_entry()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def monitor(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> FakeMonitor:
    fake = FakeMonitor(hass, "maison")
    await fake.start()
    return fake

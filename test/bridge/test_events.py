"""Notifications become HA events, once per event_id, whatever the broker redelivers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from homeassistant.core import HomeAssistant

from pytest_homeassistant_custom_component.common import async_capture_events, async_fire_mqtt_message

CASES = [
    (
        "sms_received",
        "monitor_bridge_sms_received",
        {"from": "+33612345678", "user": "alice", "text": "Alon ***", "time": "2026-12-06T10:00:00Z",
         "command": "alarm.arm_away"},
    ),
    ("sms_status", "monitor_bridge_sms_status", {"id": "m1", "to": "+33612345678", "status": "delivered"}),
    (
        "alarm_action",
        "monitor_bridge_alarm_action",
        {"action": "disarm", "user": "alice", "channel": "badge", "time": "2026-12-06T10:00:00Z"},
    ),
    ("badge", "monitor_bridge_badge", {"uid": "04:A3:2B:1C", "user": "alice", "reader": "entry", "accepted": True}),
]


@pytest.mark.parametrize(("name", "event_type", "fields"), CASES)
async def test_notification_fires_event_once(
    hass: HomeAssistant, loaded_entry: Any, name: str, event_type: str, fields: dict[str, Any]
) -> None:
    events = async_capture_events(hass, event_type)
    payload = json.dumps(fields | {"event_id": "e-1", "extra": "not passed on"})
    for _ in range(2):  # a QoS 1 redelivery
        async_fire_mqtt_message(hass, f"monitor/garage/rpc/notify/{name}", payload, qos=1)
    await hass.async_block_till_done()
    assert [e.data for e in events] == [{"node": "garage"} | fields]


async def test_same_event_id_from_two_nodes_fires_twice(hass: HomeAssistant, loaded_entry: Any) -> None:
    events = async_capture_events(hass, "monitor_bridge_sms_status")
    payload = json.dumps({"id": "m1", "to": "+336", "status": "sent", "event_id": "e-1"})
    async_fire_mqtt_message(hass, "monitor/garage/rpc/notify/sms_status", payload, qos=1)
    async_fire_mqtt_message(hass, "monitor/maison/rpc/notify/sms_status", payload, qos=1)
    await hass.async_block_till_done()
    assert [e.data["node"] for e in events] == ["garage", "maison"]


async def test_malformed_and_unknown_notifications_fire_nothing(
    hass: HomeAssistant, loaded_entry: Any
) -> None:
    events = async_capture_events(hass, "monitor_bridge_sms_received")
    async_fire_mqtt_message(hass, "monitor/garage/rpc/notify/sms_received", "not json", qos=1)
    async_fire_mqtt_message(hass, "monitor/garage/rpc/notify/sms_received", "[1]", qos=1)
    async_fire_mqtt_message(hass, "monitor/garage/rpc/notify/other", "{}", qos=1)
    await hass.async_block_till_done()
    assert events == []


async def test_seen_event_ids_are_bounded(hass: HomeAssistant, loaded_entry: Any) -> None:
    from custom_components.monitor_bridge.const import SEEN_EVENT_IDS

    events = async_capture_events(hass, "monitor_bridge_badge")
    for i in range(SEEN_EVENT_IDS + 1):
        async_fire_mqtt_message(
            hass, "monitor/garage/rpc/notify/badge", json.dumps({"uid": "x", "event_id": f"e{i}"}), qos=1
        )
    await hass.async_block_till_done()
    assert len(loaded_entry.runtime_data._seen) == SEEN_EVENT_IDS
    assert len(events) == SEEN_EVENT_IDS + 1

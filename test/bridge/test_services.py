"""Every action against a fake Monitor node: signed requests, results, errors, timeouts."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.monitor_bridge.const import DOMAIN

from .conftest import FakeError, FakeMonitor

ALICE = {
    "username": "alice",
    "phones": ["+33612345678"],
    "badges": ["04:A3:2B:1C"],
    "rights": ["arm", "disarm"],
    "enabled": True,
    "valid_from": None,
    "valid_until": None,
    "has_pin": True,
    "has_duress_pin": False,
}


async def _call(hass: HomeAssistant, action: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )


async def test_send_sms_returns_per_recipient_results(
    hass: HomeAssistant, monitor: FakeMonitor
) -> None:
    monitor.handlers["send_sms"] = lambda p: {
        "results": [
            {"number": "+33612345678", "user": None, "id": "m1", "status": "sent", "parts": 1},
            {"number": "+33698765432", "user": "bob", "id": "m2", "status": "failed",
             "parts": 1, "error": "no network"},
        ]
    }
    response = await _call(
        hass,
        "send_sms",
        {"target": ["+33612345678", "bob"], "message": "Porte ouverte", "wait": "sent", "wait_timeout": 30},
    )
    assert response == {
        "results": [
            {"number": "+33612345678", "user": None, "id": "m1", "status": "sent", "parts": 1, "error": None},
            {"number": "+33698765432", "user": "bob", "id": "m2", "status": "failed", "parts": 1,
             "error": "no network"},
        ]
    }
    assert monitor.requests[0]["params"] == {
        "to": ["+33612345678", "bob"], "text": "Porte ouverte", "flash": False, "wait": "sent",
        "wait_seconds": 30,
    }
    assert monitor.refused == []


async def test_send_sms_without_response_and_single_target(
    hass: HomeAssistant, monitor: FakeMonitor
) -> None:
    monitor.handlers["send_sms"] = lambda p: {"results": []}
    await hass.services.async_call(
        DOMAIN, "send_sms", {"target": "+33612345678", "message": "x", "flash": True}, blocking=True
    )
    assert monitor.requests[0]["params"] == {
        "to": ["+33612345678"], "text": "x", "flash": True, "wait": "queued", "wait_seconds": 0
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": "no target"}, "target"),
        ({"target": [], "message": "x"}, "target"),
        ({"target": ["+336"], "message": ""}, "message"),
        ({"target": ["+336"], "message": "x", "wait": "read"}, "wait"),
        ({"target": ["+336"], "message": "x", "wait_timeout": 500}, "wait_timeout"),
        ({"target": ["a\x00b"], "message": "x"}, "target"),
        ({"target": ["+336"], "message": "x", "node": "../other"}, "node"),
    ],
)
async def test_send_sms_invalid_input(
    hass: HomeAssistant, monitor: FakeMonitor, data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "send_sms", data)
    assert err.value.translation_key == "invalid_input"
    assert field in err.value.translation_placeholders["error"]
    assert monitor.requests == []


USER_CASES = [
    ("add_user", {"username": "alice", "uid": "04:A3:2B:1C", "pin": "1234", "phones": ["+33612345678"]}),
    ("remove_user", {"username": "alice"}),
    ("rename_user", {"username": "alice", "new_username": "alice_m"}),
    ("set_user_pin", {"username": "alice", "pin": "9876", "duress_pin": "9877"}),
    ("set_user_phones", {"username": "alice", "phones": ["+33612345678", "06 12 34 56 78"]}),
    ("add_user_badge", {"username": "alice", "uid": "04:A3:2B:1C"}),
    ("remove_user_badge", {"username": "alice", "uid": "04:A3:2B:1C"}),
    ("enable_user", {"username": "alice"}),
    ("disable_user", {"username": "alice"}),
]


@pytest.mark.parametrize(("action", "data"), USER_CASES)
async def test_user_actions_forward_params(
    hass: HomeAssistant, monitor: FakeMonitor, action: str, data: dict[str, Any]
) -> None:
    monitor.handlers[action] = lambda p: {"user": ALICE | {"pin_hash": "$argon2…"}}
    response = await _call(hass, action, data)
    assert response == {"user": ALICE}  # PIN material never comes back
    assert monitor.requests[0]["method"] == action
    assert monitor.requests[0]["params"] == data


async def test_remove_user_result(hass: HomeAssistant, monitor: FakeMonitor) -> None:
    monitor.handlers["remove_user"] = lambda p: {"removed": p["username"]}
    assert await _call(hass, "remove_user", {"username": "bob"}) == {"removed": "bob"}


async def test_list_users_without_pin_material(hass: HomeAssistant, monitor: FakeMonitor) -> None:
    monitor.handlers["list_users"] = lambda p: {
        "users": [ALICE | {"pin": "1234", "duress_pin_hash": "x"}]
    }
    assert await _call(hass, "list_users", {}) == {"users": [ALICE]}


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("add_user", {"username": "", "pin": "1234"}),
        ("add_user", {"username": "alice", "pin": "12"}),
        ("add_user", {"username": "alice", "pin": "12ab"}),
        ("set_user_pin", {"username": "alice"}),
        ("rename_user", {"username": "alice"}),
        ("add_user_badge", {"username": "alice", "uid": "x y"}),
        ("set_user_phones", {"username": "alice", "phones": ["call me"]}),
    ],
)
async def test_user_actions_invalid_input(
    hass: HomeAssistant, monitor: FakeMonitor, action: str, data: dict[str, Any]
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, action, data)
    assert err.value.translation_key == "invalid_input"
    assert monitor.requests == []


async def test_other_node_by_name(hass: HomeAssistant, monitor: FakeMonitor) -> None:
    garage = FakeMonitor(hass, "garage")
    garage.handlers["list_users"] = lambda p: {"users": []}
    await garage.start()
    assert await _call(hass, "list_users", {"node": "garage"}) == {"users": []}
    assert len(garage.requests) == 1
    assert monitor.requests == []


async def test_timeout_names_the_node(hass: HomeAssistant, monitor: FakeMonitor) -> None:
    monitor.silent = True
    with (
        patch("custom_components.monitor_bridge.services.REQUEST_TIMEOUT_SECONDS", 0.1),
        pytest.raises(HomeAssistantError) as err,
    ):
        await _call(hass, "enable_user", {"username": "alice"})
    assert err.value.translation_key == "no_answer"
    assert err.value.translation_placeholders == {"node": "maison", "seconds": "0"}
    assert "Monitor node 'maison' did not answer" in str(err.value)


@pytest.mark.parametrize(
    ("code", "error", "key"),
    [
        (2, HomeAssistantError, "unknown_method"),
        (3, ServiceValidationError, "invalid_params"),
        (4, HomeAssistantError, "failed"),
        (6, ServiceValidationError, "refused"),
    ],
)
async def test_remote_errors_are_translated(
    hass: HomeAssistant, monitor: FakeMonitor, code: int, error: type, key: str
) -> None:
    def fail(params: dict[str, Any]) -> None:
        raise FakeError(code, "nope")

    monitor.handlers["send_sms"] = fail
    with pytest.raises(error) as err:
        await _call(hass, "send_sms", {"target": ["+33612345678"], "message": "x"})
    assert err.value.translation_key == key
    assert err.value.translation_placeholders["message"] == "nope"


async def test_wrong_secret_is_refused_and_said(
    hass: HomeAssistant, monitor: FakeMonitor
) -> None:
    monitor.secret = "another-secret-entirely-0123456789"
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "list_users", {})
    assert err.value.translation_key == "unauthorised"
    assert monitor.refused == ["bad signature"]
    assert monitor.requests == []


async def test_not_loaded(hass: HomeAssistant, mqtt_mock: Any, make_entry: Any) -> None:
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, DOMAIN, {})
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "list_users", {})
    assert err.value.translation_key == "not_loaded"

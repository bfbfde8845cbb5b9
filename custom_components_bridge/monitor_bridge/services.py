"""The monitor_bridge actions: validated here, forwarded as signed RPC requests to a node.

Input is checked by voluptuous inside the handler (not by the registry) so that every input
error becomes a translated ServiceValidationError naming the action and the field.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import voluptuous as vol
from voluptuous.humanize import humanize_error

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .const import (
    CONF_NODE,
    DEFAULT_WAIT_SECONDS,
    DOMAIN,
    MAX_WAIT_SECONDS,
    REQUEST_TIMEOUT_SECONDS,
)
from .rpc import MonitorRpc, RpcRemoteError, RpcTimeout

# Data, never code: plain strings with no control characters, bounded lengths.
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
NODE = vol.All(str, vol.Match(r"^[A-Za-z0-9_-]{1,64}$"))
USERNAME = vol.All(str, vol.Strip, vol.Length(min=1, max=64), vol.Match(_PRINTABLE))
RECIPIENT = vol.All(str, vol.Strip, vol.Length(min=1, max=64), vol.Match(_PRINTABLE))
PHONE = vol.All(str, vol.Strip, vol.Match(r"^\+?[0-9][0-9 .()-]{2,24}$"))
PIN = vol.All(vol.Coerce(str), vol.Match(r"^[0-9]{4,12}$"))
UID = vol.All(str, vol.Strip, vol.Match(r"^[A-Za-z0-9:_-]{2,64}$"))


def _list_of(item: Any, minimum: int) -> Any:
    return vol.All(
        lambda v: v if isinstance(v, list) else [v], vol.Length(min=minimum, max=50), [item]
    )


_BASE = {vol.Optional(CONF_NODE): NODE}
SEND_SMS = vol.Schema(
    {
        **_BASE,
        vol.Required("target"): _list_of(RECIPIENT, 1),
        vol.Required("message"): vol.All(str, vol.Length(min=1, max=1600)),
        vol.Optional("flash", default=False): bool,
        vol.Optional("wait", default="queued"): vol.In(("queued", "sent", "delivered")),
        vol.Optional("wait_timeout", default=DEFAULT_WAIT_SECONDS): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=MAX_WAIT_SECONDS)
        ),
    }
)
USER = vol.Schema({**_BASE, vol.Required("username"): USERNAME})
USER_BADGE = USER.extend({vol.Required("uid"): UID})
ADD_USER = USER.extend(
    {
        vol.Optional("uid"): UID,
        vol.Optional("pin"): PIN,
        vol.Optional("duress_pin"): PIN,
        vol.Optional("phones"): _list_of(PHONE, 0),
        vol.Optional("rights"): _list_of(vol.All(str, vol.Match(r"^[a-z_]{1,32}$")), 0),
    }
)
RENAME_USER = USER.extend({vol.Required("new_username"): USERNAME})
SET_USER_PIN = USER.extend({vol.Required("pin"): PIN, vol.Optional("duress_pin"): PIN})
SET_USER_PHONES = USER.extend({vol.Required("phones"): _list_of(PHONE, 0)})
LIST_USERS = vol.Schema(_BASE)

# action -> (schema, RPC method); every user action maps 1:1 onto a docs/rpc.md method.
USER_ACTIONS: dict[str, vol.Schema] = {
    "add_user": ADD_USER,
    "remove_user": USER,
    "rename_user": RENAME_USER,
    "set_user_pin": SET_USER_PIN,
    "set_user_phones": SET_USER_PHONES,
    "add_user_badge": USER_BADGE,
    "remove_user_badge": USER_BADGE,
    "enable_user": USER,
    "disable_user": USER,
    "list_users": LIST_USERS,
}
# Secret material never goes back in a response.
_PIN_KEYS = {"pin", "duress_pin", "pin_hash", "duress_pin_hash", "code"}


def _validate(action: str, schema: vol.Schema, data: dict[str, Any]) -> dict[str, Any]:
    try:
        return schema(dict(data))
    except vol.Invalid as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_input",
            translation_placeholders={"action": action, "error": humanize_error(data, err)},
        ) from err


def _runtime(hass: HomeAssistant) -> tuple[MonitorRpc, str]:
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    if not entries or entries[0].state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="not_loaded")
    entry = entries[0]
    return entry.runtime_data, entry.options.get(CONF_NODE, entry.data[CONF_NODE])


async def _call(
    hass: HomeAssistant, node: str | None, method: str, params: dict[str, Any], timeout: float
) -> Any:
    rpc, default_node = _runtime(hass)
    node = node or default_node
    try:
        return await rpc.async_call(node, method, params, timeout)
    except RpcTimeout as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="no_answer",
            translation_placeholders={"node": node, "seconds": str(round(timeout))},
        ) from err
    except RpcRemoteError as err:
        placeholders = {"node": node, "method": method, "message": err.message}
        if err.code in (3, 6):  # invalid params, refused by policy: the caller's input
            key = "invalid_params" if err.code == 3 else "refused"
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
            ) from err
        key = {2: "unknown_method", 5: "unauthorised"}.get(err.code, "failed")
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
        ) from err


def _without_pins(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_pins(v) for k, v in value.items() if k not in _PIN_KEYS}
    if isinstance(value, list):
        return [_without_pins(v) for v in value]
    return value


async def _send_sms(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    data = _validate("send_sms", SEND_SMS, call.data)
    params: dict[str, Any] = {
        "to": data["target"],
        "text": data["message"],
        "flash": data["flash"],
        "wait": data["wait"],
    }
    # wait_seconds always explicit: a node that reads only wait_seconds (its default is 30)
    # must not hold a "queued" request past our timeout.
    params["wait_seconds"] = 0 if data["wait"] == "queued" else data["wait_timeout"]
    timeout: float = REQUEST_TIMEOUT_SECONDS + params["wait_seconds"]
    result = await _call(hass, data.get(CONF_NODE), "send_sms", params, timeout)
    results = result.get("results", []) if isinstance(result, dict) else []
    keys = ("number", "user", "id", "status", "parts", "error")
    return {"results": [{k: r.get(k) for k in keys} for r in results if isinstance(r, dict)]}


async def _user_action(
    hass: HomeAssistant, action: str, schema: vol.Schema, call: ServiceCall
) -> ServiceResponse:
    data = _validate(action, schema, call.data)
    node = data.pop(CONF_NODE, None)
    result = await _call(hass, node, action, data, REQUEST_TIMEOUT_SECONDS)
    return _without_pins(result) if isinstance(result, dict) else {"result": result}


def async_register_services(hass: HomeAssistant) -> None:
    """Register every action once, at integration setup (quality scale rule action-setup)."""

    async def send_sms(call: ServiceCall) -> ServiceResponse:
        return await _send_sms(hass, call)

    hass.services.async_register(
        DOMAIN, "send_sms", send_sms, supports_response=SupportsResponse.OPTIONAL
    )
    for action, schema in USER_ACTIONS.items():
        handler = partial(_user_action, hass, action, schema)
        hass.services.async_register(
            DOMAIN,
            action,
            handler,
            supports_response=SupportsResponse.ONLY
            if action == "list_users"
            else SupportsResponse.OPTIONAL,
        )

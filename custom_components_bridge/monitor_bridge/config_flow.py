"""Config flow: pick the default Monitor node among those heard, and give the RPC secret.

Inside Home Assistant OS the secret is read from the Monitor app's options (Supervisor);
otherwise the user pastes what `monitor rpc secret` prints.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import voluptuous as vol

from homeassistant.components import mqtt
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.hassio import is_hassio
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from . import const
from .const import CONF_BASE_TOPIC, CONF_NODE, CONF_SECRET, DEFAULT_BASE_TOPIC, DOMAIN

_LOGGER = logging.getLogger(__name__)
MIN_SECRET_LENGTH = 16


async def async_listen_for_nodes(hass: HomeAssistant, base: str) -> list[str]:
    """Node ids heard on <base>/+/status, online ones with a modem first (the likely default).

    Both topics are retained, so they arrive as soon as we subscribe. A node has a modem when
    its `sms` device publishes availability (<base>/<node>/sms/availability, docs/mqtt.md).
    """
    heard: dict[str, str] = {}
    with_modem: set[str] = set()

    @callback
    def on_status(msg: mqtt.ReceiveMessage) -> None:
        if msg.payload:
            heard[msg.topic[len(base) + 1 :].split("/")[0]] = str(msg.payload)

    @callback
    def on_modem(msg: mqtt.ReceiveMessage) -> None:
        if msg.payload:
            with_modem.add(msg.topic[len(base) + 1 :].split("/")[0])

    unsubscribe = [
        await mqtt.async_subscribe(hass, f"{base}/+/status", on_status, qos=1),
        await mqtt.async_subscribe(hass, f"{base}/+/sms/availability", on_modem, qos=1),
    ]
    try:
        await asyncio.sleep(const.LISTEN_SECONDS)
    finally:
        for off in unsubscribe:
            off()
    return sorted(heard, key=lambda n: (heard[n] != "online", n not in with_modem, n))


async def async_secret_from_app(hass: HomeAssistant) -> str | None:
    """The `rpc.secret` option of the Monitor app when running under the Supervisor."""
    if not is_hassio(hass):
        return None
    try:
        from homeassistant.components import hassio  # noqa: PLC0415 - only under the Supervisor

        for slug in hassio.get_addons_info(hass) or {}:
            # A store or local app is "<repository hash>_monitor"; its options hold rpc.secret.
            if slug == "monitor" or slug.endswith("_monitor"):
                info = await hassio.get_supervisor_client(hass).addons.addon_info(slug)
                rpc = (info.options or {}).get("rpc") or {}
                secret = rpc.get("secret") if isinstance(rpc, dict) else None
                return secret if isinstance(secret, str) and secret else None
    except Exception:  # noqa: BLE001 - any Supervisor failure means: ask the user
        _LOGGER.debug("Could not read the Monitor app's options", exc_info=True)
    return None


def _node_selector(nodes: list[str]) -> SelectSelector:
    return SelectSelector(SelectSelectorConfig(options=nodes, custom_value=True))


_SECRET_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


class MonitorBridgeConfigFlow(ConfigFlow, domain=DOMAIN):
    """One step: default node and secret."""

    VERSION = 1

    def __init__(self) -> None:
        self._nodes: list[str] = []
        self._app_secret: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> MonitorBridgeOptionsFlow:
        return MonitorBridgeOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is None:
            if not await mqtt.async_wait_for_mqtt_client(self.hass):
                return self.async_abort(reason="mqtt_not_connected")
            self._nodes = await async_listen_for_nodes(self.hass, DEFAULT_BASE_TOPIC)
            if not self._nodes:
                return self.async_abort(
                    reason="no_nodes", description_placeholders={"topic": f"{DEFAULT_BASE_TOPIC}/+/status"}
                )
            self._app_secret = await async_secret_from_app(self.hass)
        else:
            secret = self._app_secret or user_input.get(CONF_SECRET, "").strip()
            if len(secret) < MIN_SECRET_LENGTH:
                errors[CONF_SECRET] = "invalid_secret"
            else:
                node = user_input[CONF_NODE]
                return self.async_create_entry(
                    title=f"Monitor ({node})",
                    data={CONF_NODE: node, CONF_SECRET: secret, CONF_BASE_TOPIC: DEFAULT_BASE_TOPIC},
                )
        fields: dict[Any, Any] = {vol.Required(CONF_NODE, default=self._nodes[0]): _node_selector(self._nodes)}
        if self._app_secret is None:
            fields[vol.Required(CONF_SECRET)] = _SECRET_SELECTOR
        return self.async_show_form(
            step_id="user",
            data_schema=vol.Schema(fields),
            errors=errors,
            description_placeholders={"nodes": ", ".join(self._nodes)},
        )


class MonitorBridgeOptionsFlow(OptionsFlowWithReload):
    """Change the default node or the secret (left empty: unchanged); the entry reloads."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        entry = self.config_entry
        current = {**entry.data, **entry.options}
        errors: dict[str, str] = {}
        if user_input is not None:
            secret = user_input.get(CONF_SECRET, "").strip() or current[CONF_SECRET]
            if len(secret) < MIN_SECRET_LENGTH:
                errors[CONF_SECRET] = "invalid_secret"
            else:
                return self.async_create_entry(data={CONF_NODE: user_input[CONF_NODE], CONF_SECRET: secret})
        heard = list(entry.runtime_data.nodes) if hasattr(entry, "runtime_data") else []
        nodes = sorted({current[CONF_NODE], *heard})
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_NODE, default=current[CONF_NODE]): _node_selector(nodes),
                    vol.Optional(CONF_SECRET): _SECRET_SELECTOR,
                }
            ),
            errors=errors,
        )

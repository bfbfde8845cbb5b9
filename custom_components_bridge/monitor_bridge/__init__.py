"""Monitor bridge: Home Assistant actions and events for Monitor, over HA's MQTT connection.

Actions (send_sms, user management) are registered once in async_setup; a config entry holds
the RPC client (runtime_data) that they use. See docs/bridge.md and docs/rpc.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, issue_registry as ir
from homeassistant.helpers.typing import ConfigType
from homeassistant.loader import async_get_integration

from .const import CONF_BASE_TOPIC, CONF_SECRET, DEFAULT_BASE_TOPIC, DOMAIN
from .frontend import async_serve_cards
from .rpc import MonitorRpc
from .services import async_register_services

type MonitorBridgeConfigEntry = ConfigEntry[MonitorRpc]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, whether or not an entry is loaded (they say so when not)."""
    async_register_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: MonitorBridgeConfigEntry) -> bool:
    """Subscribe to Monitor's replies, notifications and status over HA's MQTT client."""
    if not await mqtt.async_wait_for_mqtt_client(hass):
        raise ConfigEntryNotReady(translation_domain=DOMAIN, translation_key="mqtt_not_ready")
    secret = entry.options.get(CONF_SECRET, entry.data[CONF_SECRET])
    rpc = MonitorRpc(hass, entry.data.get(CONF_BASE_TOPIC, DEFAULT_BASE_TOPIC), secret)
    await rpc.async_start()
    entry.runtime_data = rpc
    entry.async_on_unload(rpc.async_stop)
    await async_serve_cards(hass)
    await _async_check_restart_needed(hass)
    return True


def _installed_version() -> str | None:
    try:
        manifest = json.loads((Path(__file__).parent / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest.get("version")


async def _async_check_restart_needed(hass: HomeAssistant) -> None:
    """A repair issue when the files on disk (updated by the Monitor app) are not the code running."""
    running = (await async_get_integration(hass, DOMAIN)).version
    installed = await hass.async_add_executor_job(_installed_version)
    if installed is not None and str(running) != installed:
        ir.async_create_issue(
            hass,
            DOMAIN,
            "restart_required",
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="restart_required",
            translation_placeholders={"version": installed},
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, "restart_required")


async def async_unload_entry(hass: HomeAssistant, entry: MonitorBridgeConfigEntry) -> bool:
    """Everything was registered with async_on_unload."""
    return True

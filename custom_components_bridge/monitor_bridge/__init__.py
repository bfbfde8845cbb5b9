"""Monitor bridge: Home Assistant actions and events for Monitor, over HA's MQTT connection.

Actions (send_sms, user management) are registered once in async_setup; a config entry holds
the RPC client (runtime_data) that they use. See docs/bridge.md and docs/rpc.md.
"""

from __future__ import annotations

from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

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
    return True


async def async_unload_entry(hass: HomeAssistant, entry: MonitorBridgeConfigEntry) -> bool:
    """Everything was registered with async_on_unload."""
    return True

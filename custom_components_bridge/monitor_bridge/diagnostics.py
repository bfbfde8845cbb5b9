"""Diagnostics: the entry and the nodes heard, the RPC secret redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import MonitorBridgeConfigEntry
from .const import CONF_SECRET

TO_REDACT = {CONF_SECRET}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: MonitorBridgeConfigEntry
) -> dict[str, Any]:
    """What a bug report needs, never the secret."""
    rpc = entry.runtime_data
    return {
        "data": async_redact_data(dict(entry.data), TO_REDACT),
        "options": async_redact_data(dict(entry.options), TO_REDACT),
        "base_topic": rpc.base,
        "nodes": dict(rpc.nodes),
    }

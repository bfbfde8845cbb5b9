"""Serves the Lovelace cards' bundle shipped inside the integration and loads it in the frontend.

The bundle in www/ is copied from dist/monitor-cards.js by the build of the same commit
(scripts/bundle-bridge.mjs), so the cards always match the integration's version; the URL
carries that version so that browsers do not keep an older bundle.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import CARDS_FILE, CARDS_URL_BASE, DOMAIN

_LOGGER = logging.getLogger(__name__)
_HERE = Path(__file__).parent
_SERVED = f"{DOMAIN}_cards_served"
BUNDLE = _HERE / "www" / CARDS_FILE


def _version() -> str:
    return str(json.loads((_HERE / "manifest.json").read_text(encoding="utf-8"))["version"])


async def async_serve_cards(hass: HomeAssistant) -> str | None:
    """Register the static path and the extra JS module once per Home Assistant run."""
    if hass.data.get(_SERVED):
        return hass.data[_SERVED]
    bundle = BUNDLE
    if hass.http is None or not await hass.async_add_executor_job(bundle.is_file):
        _LOGGER.debug("Cards' bundle not served (no HTTP server or no %s)", bundle)
        return None
    version = await hass.async_add_executor_job(_version)
    url = f"{CARDS_URL_BASE}/{CARDS_FILE}"
    await hass.http.async_register_static_paths([StaticPathConfig(url, str(bundle), True)])
    if "frontend" in hass.config.components:
        from homeassistant.components.frontend import add_extra_js_url  # noqa: PLC0415

        add_extra_js_url(hass, f"{url}?v={version}")
    hass.data[_SERVED] = f"{url}?v={version}"
    return hass.data[_SERVED]

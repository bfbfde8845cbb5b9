"""Setup, unload, diagnostics redaction, the cards' bundle served by the integration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from pytest_homeassistant_custom_component.common import async_fire_mqtt_message

import custom_components.monitor_bridge
from custom_components.monitor_bridge.const import DOMAIN
from custom_components.monitor_bridge.diagnostics import async_get_config_entry_diagnostics

from .conftest import SECRET, FakeMonitor


async def test_diagnostics_redact_the_secret(hass: HomeAssistant, loaded_entry: Any) -> None:
    async_fire_mqtt_message(hass, "monitor/maison/status", "online", qos=1, retain=True)
    await hass.async_block_till_done()
    diag = await async_get_config_entry_diagnostics(hass, loaded_entry)
    assert diag["data"]["secret"] == "**REDACTED**"
    assert diag["nodes"] == {"maison": "online"}
    assert SECRET not in json.dumps(diag)


async def test_unload_unsubscribes_and_actions_say_not_loaded(
    hass: HomeAssistant, monitor: FakeMonitor, loaded_entry: Any
) -> None:
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert hass.services.has_service(DOMAIN, "send_sms")  # registered in async_setup
    try:
        await hass.services.async_call(DOMAIN, "list_users", {}, blocking=True, return_response=True)
        raise AssertionError("expected not_loaded")
    except ServiceValidationError as err:
        assert err.translation_key == "not_loaded"


async def test_mqtt_not_ready_retries_setup(hass: HomeAssistant, mqtt_mock: Any, make_entry: Any) -> None:
    entry = make_entry()
    with patch(
        "custom_components.monitor_bridge.mqtt.async_wait_for_mqtt_client", return_value=False
    ):
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_cards_bundle_served_and_loaded(
    hass: HomeAssistant, mqtt_mock: Any, make_entry: Any, hass_client: Any, tmp_path: Any
) -> None:
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, "http", {})
    bundle = tmp_path / "monitor-cards.js"
    bundle.write_text("customElements.define('monitor-x', class extends HTMLElement {});\n")
    hass.config.components.add("frontend")
    with (
        patch("custom_components.monitor_bridge.frontend.BUNDLE", bundle),
        patch("homeassistant.components.frontend.add_extra_js_url") as add_extra_js_url,
    ):
        entry = make_entry()
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        # A reload registers nothing twice (aiohttp refuses a second route for one path).
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    version = json.loads(
        (Path(custom_components.monitor_bridge.__file__).parent / "manifest.json").read_text()
    )["version"]
    add_extra_js_url.assert_called_once_with(hass, f"/monitor_bridge/monitor-cards.js?v={version}")
    client = await hass_client()
    response = await client.get("/monitor_bridge/monitor-cards.js")
    assert response.status == 200
    assert await response.text() == bundle.read_text()


async def test_no_bundle_nothing_served(
    hass: HomeAssistant, mqtt_mock: Any, make_entry: Any, tmp_path: Any
) -> None:
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, "http", {})
    with patch("custom_components.monitor_bridge.frontend.BUNDLE", tmp_path / "missing.js"):
        entry = make_entry()
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert "monitor_bridge_cards_served" not in hass.data


async def test_services_yaml_and_translations_load(hass: HomeAssistant, loaded_entry: Any) -> None:
    """HA reads services.yaml (selectors) and the English names for every action."""
    from homeassistant.helpers.service import async_get_all_descriptions
    from homeassistant.helpers.translation import async_get_translations

    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    assert set(descriptions) == {
        "send_sms", "add_user", "remove_user", "rename_user", "set_user_pin", "set_user_phones",
        "add_user_badge", "remove_user_badge", "enable_user", "disable_user", "list_users",
    }
    send_sms = descriptions["send_sms"]
    assert send_sms["fields"]["wait"]["selector"]["select"]["options"] == ["queued", "sent", "delivered"]
    assert send_sms["fields"]["target"]["required"] is True
    assert descriptions["set_user_pin"]["fields"]["pin"]["required"] is True
    assert "required" not in descriptions["add_user"]["fields"]["pin"]
    for lang, name in (("en", "Send an SMS"), ("fr", "Envoyer un SMS")):
        strings = await async_get_translations(hass, lang, "services", [DOMAIN])
        assert strings[f"component.{DOMAIN}.services.send_sms.name"] == name


async def test_repair_issue_when_the_files_on_disk_are_newer(
    hass: HomeAssistant, mqtt_mock: Any, make_entry: Any
) -> None:
    """The Monitor app replaced the files while HA runs the older code: ask for a restart."""
    from homeassistant.helpers import issue_registry as ir

    entry = make_entry()
    with patch("custom_components.monitor_bridge._installed_version", return_value="99.0.0"):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    issue = ir.async_get(hass).async_get_issue(DOMAIN, "restart_required")
    assert issue is not None
    assert issue.translation_placeholders == {"version": "99.0.0"}
    # Same files as the running code (after the restart): the issue goes away.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, "restart_required") is None

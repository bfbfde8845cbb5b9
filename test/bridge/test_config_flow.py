"""Config flow (no node heard, one, several, single instance) and options flow."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import AsyncMock, Mock, patch

import pytest

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from pytest_homeassistant_custom_component.common import async_fire_mqtt_message

from custom_components.monitor_bridge.const import DOMAIN

from .conftest import SECRET


@pytest.fixture(autouse=True)
def short_listen() -> Any:
    with patch("custom_components.monitor_bridge.const.LISTEN_SECONDS", 0.2):
        yield


async def _start_flow_hearing(
    hass: HomeAssistant, statuses: dict[str, str], modems: tuple[str, ...] = ()
) -> Any:
    """Start the flow; the retained statuses arrive while it listens, as from a broker."""
    task = hass.async_create_task(
        hass.config_entries.flow.async_init(DOMAIN, context={"source": config_entries.SOURCE_USER})
    )
    await asyncio.sleep(0.05)
    for node, status in statuses.items():
        async_fire_mqtt_message(hass, f"monitor/{node}/status", status, qos=1, retain=True)
    for node in modems:
        async_fire_mqtt_message(hass, f"monitor/{node}/sms/availability", "online", qos=1, retain=True)
    return await task


async def test_no_node_heard_aborts(hass: HomeAssistant, mqtt_mock: Any) -> None:
    result = await _start_flow_hearing(hass, {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_nodes"


async def test_one_node_then_secret(hass: HomeAssistant, mqtt_mock: Any) -> None:
    result = await _start_flow_hearing(hass, {"garage": "online"})
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"] == {"nodes": "garage"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"node": "garage", "secret": "short"}
    )
    assert result["errors"] == {"secret": "invalid_secret"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"node": "garage", "secret": SECRET}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"node": "garage", "secret": SECRET, "base_topic": "monitor"}
    await hass.async_block_till_done()


async def test_several_nodes_online_first(hass: HomeAssistant, mqtt_mock: Any) -> None:
    result = await _start_flow_hearing(
        hass, {"zeta": "online", "attic": "offline", "garage": "online"}
    )
    assert result["description_placeholders"] == {"nodes": "garage, zeta, attic"}
    schema = result["data_schema"].schema
    node_key = next(k for k in schema if k == "node")
    assert node_key.default() == "garage"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"node": "zeta", "secret": SECRET}
    )
    assert result["data"]["node"] == "zeta"
    await hass.async_block_till_done()


async def test_node_with_a_modem_is_the_default(hass: HomeAssistant, mqtt_mock: Any) -> None:
    result = await _start_flow_hearing(
        hass, {"attic": "online", "garage": "online", "cellar": "offline"}, modems=("garage", "cellar")
    )
    assert result["description_placeholders"] == {"nodes": "garage, attic, cellar"}
    node_key = next(k for k in result["data_schema"].schema if k == "node")
    assert node_key.default() == "garage"
    await hass.config_entries.flow.async_configure(result["flow_id"], {"node": "garage", "secret": SECRET})
    await hass.async_block_till_done()


async def test_secret_from_the_app_is_not_asked(hass: HomeAssistant, mqtt_mock: Any) -> None:
    with patch(
        "custom_components.monitor_bridge.config_flow.async_secret_from_app", return_value=SECRET
    ):
        result = await _start_flow_hearing(hass, {"maison": "online"})
        assert "secret" not in result["data_schema"].schema
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {"node": "maison"})
    assert result["data"]["secret"] == SECRET
    await hass.async_block_till_done()


async def test_single_instance(hass: HomeAssistant, loaded_entry: Any) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"


async def test_options_change_node_keep_secret(hass: HomeAssistant, loaded_entry: Any) -> None:
    async_fire_mqtt_message(hass, "monitor/garage/status", "online", qos=1, retain=True)
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"node": "garage", "secret": "tiny"}
    )
    assert result["errors"] == {"secret": "invalid_secret"}
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"node": "garage"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options == {"node": "garage", "secret": SECRET}
    assert loaded_entry.state is config_entries.ConfigEntryState.LOADED


async def test_secret_read_from_the_monitor_app(hass: HomeAssistant) -> None:
    from custom_components.monitor_bridge.config_flow import async_secret_from_app

    supervisor = Mock()
    supervisor.addons.addon_info = AsyncMock(return_value=Mock(options={"rpc": {"secret": SECRET}}))
    with (
        patch("custom_components.monitor_bridge.config_flow.is_hassio", return_value=True),
        patch("homeassistant.components.hassio.get_addons_info", return_value={"core_x": {}, "a1b2_monitor": {}}),
        patch("homeassistant.components.hassio.get_supervisor_client", return_value=supervisor),
    ):
        assert await async_secret_from_app(hass) == SECRET
    supervisor.addons.addon_info.assert_awaited_once_with("a1b2_monitor")


async def test_no_secret_outside_the_supervisor_or_on_failure(hass: HomeAssistant) -> None:
    from custom_components.monitor_bridge.config_flow import async_secret_from_app

    assert await async_secret_from_app(hass) is None
    with (
        patch("custom_components.monitor_bridge.config_flow.is_hassio", return_value=True),
        patch("homeassistant.components.hassio.get_addons_info", side_effect=RuntimeError("supervisor down")),
    ):
        assert await async_secret_from_app(hass) is None

"""Constants shared by the monitor_bridge modules (topics and limits follow docs/rpc.md)."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "monitor_bridge"

CONF_NODE: Final = "node"
CONF_SECRET: Final = "secret"
CONF_BASE_TOPIC: Final = "base_topic"
DEFAULT_BASE_TOPIC: Final = "monitor"

# How long the config flow listens on <base>/+/status: retained messages arrive at once.
LISTEN_SECONDS: Final = 2.0
# A Monitor node answers a plain request within this many seconds or is reported as not running.
REQUEST_TIMEOUT_SECONDS: Final = 10
# `send_sms` with wait sent/delivered: Monitor waits up to wait_seconds (<= 120), we add a margin.
MAX_WAIT_SECONDS: Final = 120
DEFAULT_WAIT_SECONDS: Final = 60

# Notification name on <base>/<node>/rpc/notify/<name> -> (HA event type, fields passed on).
NOTIFICATIONS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "sms_received": (
        "monitor_bridge_sms_received",
        ("from", "user", "text", "time", "command"),
    ),
    "sms_status": ("monitor_bridge_sms_status", ("id", "to", "status")),
    "alarm_action": (
        "monitor_bridge_alarm_action",
        ("action", "user", "channel", "time"),
    ),
    "badge": ("monitor_bridge_badge", ("uid", "user", "reader", "accepted")),
}
# event_ids remembered to fire an event once although QoS 1 may deliver a message twice.
SEEN_EVENT_IDS: Final = 2048

# The cards' bundle, copied into www/ at build time (scripts/bundle-bridge.mjs).
CARDS_FILE: Final = "monitor-cards.js"
CARDS_URL_BASE: Final = "/monitor_bridge"

#!/bin/sh
# App entry point: options come from /data/options.json, the broker and the Home Assistant
# websocket from the Supervisor. umask 077: everything Monitor writes under /data is private.
# exec so that SIGTERM reaches Monitor (it flushes its journals and publishes offline).
umask 077
exec node /opt/monitor/bin/monitor.js run

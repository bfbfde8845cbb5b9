#!/usr/bin/env sh
# Add-on entry point: options come from /data/options.json, the broker and the Home Assistant
# websocket from the Supervisor. exec so that SIGTERM reaches Monitor (it publishes offline).
exec monitor run

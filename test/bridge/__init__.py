"""monitor_bridge tests (a package so that tests import the fixtures of conftest)."""

"""The request signature, byte for byte: the fixture is the vector Monitor's Node test checks."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from custom_components.monitor_bridge.rpc import sign_request

VECTOR = Path(__file__).parent / "fixtures" / "signed-request.json"


def test_signature_is_hmac_sha256_of_body() -> None:
    payload = json.loads(sign_request("k" * 32, "c1", "send_sms", {"to": ["+33612345678"]}, 1, "n" * 16))
    expected = hmac.new(b"k" * 32, payload["body"].encode(), hashlib.sha256).hexdigest()
    assert payload["sig"] == expected
    assert json.loads(payload["body"]) == {
        "id": "c1",
        "method": "send_sms",
        "ts": 1,
        "nonce": "n" * 16,
        "params": {"to": ["+33612345678"]},
    }


def test_fixture_vector_is_what_the_python_code_produces() -> None:
    """test/bridge/fixtures/signed-request.json was produced by sign_request; it must stay so."""
    vector = json.loads(VECTOR.read_text(encoding="utf-8"))
    produced = sign_request(
        vector["secret"], vector["id"], vector["method"], vector["params"], vector["ts"], vector["nonce"]
    )
    assert produced == vector["payload"]

"""Writes fixtures/signed-request.json: a request signed by monitor_bridge's own sign_request.

Source of the fixture: this script, run once in the test venv of test/bridge/setup.sh:
  python test/bridge/make-vector.py   (with custom_components_bridge on sys.path as custom_components)
test_sign.py checks that the Python code still produces it; test/bridge/rpc-vector.test.ts
checks that Monitor's RPC server accepts it. Non-ASCII text makes the UTF-8 bytes matter.
"""

import json
from pathlib import Path

from custom_components.monitor_bridge.rpc import sign_request

vector = {
    "secret": "vector-secret-not-used-anywhere-else-7f3a",
    "id": "vector-1",
    "method": "send_sms",
    "ts": 1765000000,
    "nonce": "9f2c4e1a7b3d5f60",
    "params": {"to": ["+33612345678", "élodie"], "text": "Alarme déclenchée — porte « garage » ✓"},
}
vector["payload"] = sign_request(
    vector["secret"], vector["id"], vector["method"], vector["params"], vector["ts"], vector["nonce"]
)
out = Path(__file__).parent / "fixtures" / "signed-request.json"
out.write_text(json.dumps(vector, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

"""Throughput of integrify's sync client (httpx.Client, one connection, keep-alive) against the
sandbox: EPoint get-status in a loop, the same request loadgen sends.

Usage: python integrify_load.py BASE TX SECS
Environment: EPOINT_PUBLIC_KEY/EPOINT_PRIVATE_KEY of the sandbox (set by run.sh).
"""
import json
import sys
import time
import warnings

warnings.filterwarnings('ignore')

from integrify.epoint.client import EPointClientClass  # noqa: E402

base, tx, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
client = EPointClientClass(base_url=base, sync=True)
first = client.get_transaction_status(transaction_id=tx)
if not first.ok:
    print(json.dumps({'mode': 'integrify', 'error': f'first answer not ok: {first.body}'}))
    sys.exit(1)
ok = errors = 0
start = time.perf_counter()
while time.perf_counter() - start < secs:
    try:
        r = client.get_transaction_status(transaction_id=tx)
        if r.ok:
            ok += 1
        else:
            errors += 1
    except Exception:  # noqa: BLE001
        errors += 1
elapsed = time.perf_counter() - start
print(json.dumps({'mode': 'integrify', 'inflight': 1, 'requests': ok, 'errors': errors,
                  'secs': round(elapsed, 3), 'rps': round(ok / elapsed, 1)}))

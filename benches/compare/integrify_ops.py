"""Per-operation cost of integrify in dry mode (build the request without sending), the same
operations as azpay's `opcost`. Prints one JSON line per operation.

Usage: python integrify_ops.py FIXTURES_DIR CALLBACK_BODY_FILE [--quick]
Environment: EPOINT_PUBLIC_KEY/EPOINT_PRIVATE_KEY, KAPITAL_USERNAME/KAPITAL_PASSWORD (set by run.sh).
"""
import json
import sys
import timeit
import warnings

warnings.filterwarnings('ignore')

import httpx  # noqa: E402
from integrify.epoint.client import EPointClientClass  # noqa: E402
from integrify.epoint.helpers import decode_callback_data  # noqa: E402
from integrify.epoint.schemas.callback import CallbackDataSchema  # noqa: E402
from integrify.kapitalbank.client import KapitalClientClass  # noqa: E402
from integrify.kapitalbank.handlers import DetailedOrderInformationPayloadHandler  # noqa: E402

fixtures, callback_file = sys.argv[1], sys.argv[2]
quick = '--quick' in sys.argv
repeat = 5 if quick else 15

epoint = EPointClientClass(dry=True)
kapital = KapitalClientClass(dry=True)
callback_body = open(callback_file, 'rb').read()
detailed = open(f'{fixtures}/kapital/order_detailed.json', 'rb').read()
detailed_handler = DetailedOrderInformationPayloadHandler()


def epoint_pay():
    return epoint.pay(amount=30.75, currency='AZN', order_id='1', description='test payment')


def epoint_callback():
    # integrify's own path: the schema parses the raw form body (parse_qsl), then verify+decode.
    return decode_callback_data(CallbackDataSchema.model_validate(callback_body))


def kapital_create():
    return kapital.create_order(amount=1, currency='AZN', description='Testdesc')


def kapital_detailed():
    resp = httpx.Response(200, content=detailed)
    out = detailed_handler.handle_response(resp)
    assert out.body.data is not None and out.body.data.id == 5531
    return out


cases = [
    ('epoint_pay_build', epoint_pay),
    ('epoint_callback_verify', epoint_callback),
    ('kapital_create_order_build', kapital_create),
    ('kapital_detailed_order_parse', kapital_detailed),
]

for name, fn in cases:
    note = None
    try:
        out = fn()
        if name == 'epoint_callback_verify' and out is None:
            note = 'signature did not verify'
    except Exception as e:  # noqa: BLE001
        print(json.dumps({'name': name, 'error': f'{type(e).__name__}: {str(e)[:300]}'}))
        continue
    t = timeit.Timer(fn)
    n, _ = t.autorange()
    n = max(1, n // (4 if quick else 1))
    runs = sorted(x / n * 1e9 for x in t.repeat(repeat=repeat, number=n))
    row = {'name': name, 'ns': runs[len(runs) // 2], 'ns_min': runs[0], 'ns_max': runs[-1]}
    if note:
        row['note'] = note
    print(json.dumps(row))

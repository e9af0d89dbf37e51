"""One-shot process: what `azpay --dry-run epoint pay --amount 30.75 --currency AZN
--order-id 1 --description 'test payment'` does, with integrify's dry mode; prints the request."""
import json
import warnings

warnings.filterwarnings('ignore')

from integrify.epoint.client import EPointClientClass  # noqa: E402

r = EPointClientClass(dry=True).pay(
    amount=30.75, currency='AZN', order_id='1', description='test payment'
)
print(json.dumps({'method': r['verb'], 'url': r['url'], 'headers': r['headers'], 'body': r['data']}))

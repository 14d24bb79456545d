"""Signs one request with botocore's SigV4 (header or presigned) for the story test.
Reads {method, url, headers, body, accessKey, secret, token, presign} as JSON on stdin and
prints the signed {method, url, headers} as JSON."""
import json
import sys

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    r = json.load(sys.stdin)
    creds = Credentials(r["accessKey"], r["secret"], r.get("token"))
    req = AWSRequest(method=r["method"], url=r["url"], headers=r["headers"], data=r["body"].encode())
    if r.get("presign"):
        SigV4QueryAuth(creds, "orders", "us-east-1", expires=r["presign"]).add_auth(req)
    else:
        SigV4Auth(creds, "orders", "us-east-1").add_auth(req)
    prepared = req.prepare()
    headers = {k: (v.decode("latin-1") if isinstance(v, bytes) else v) for k, v in prepared.headers.items()}
    json.dump({"method": prepared.method, "url": prepared.url, "headers": headers}, sys.stdout)


if __name__ == "__main__":
    main()

"""Signs requests with botocore for test/botocore.test.ts. Reads a JSON list of
{method, url, headers, body, accessKey, secret, token, time, presign} on stdin, prints the signed
requests ({method, url, headers, body}) as JSON."""
import datetime
import json
import sys
from unittest import mock

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    out = []
    for r in json.load(sys.stdin):
        creds = Credentials(r["accessKey"], r["secret"], r.get("token"))
        when = datetime.datetime.fromisoformat(r["time"].replace("Z", ""))
        req = AWSRequest(method=r["method"], url=r["url"], headers=r["headers"], data=r["body"].encode())
        with mock.patch("botocore.auth.get_current_datetime", return_value=when):
            if r.get("presign"):
                SigV4QueryAuth(creds, "orders", "us-east-1", expires=r["presign"]).add_auth(req)
            else:
                SigV4Auth(creds, "orders", "us-east-1").add_auth(req)
        prepared = req.prepare()
        headers = {k: (v.decode("latin-1") if isinstance(v, bytes) else v) for k, v in prepared.headers.items()}
        body = prepared.body or b""
        out.append({"method": prepared.method, "url": prepared.url, "headers": headers, "body": body.decode() if isinstance(body, bytes) else body})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

"""Signs random requests with botocore (SigV4Auth headers, SigV4QueryAuth presigned URLs) and
prints them as JSON for test/botocore.test.ts. Usage: python3 botocore_sign.py <seed> <count>"""
import datetime
import json
import random
import sys
from unittest import mock
from urllib.parse import quote

from botocore.auth import SigV4Auth, SigV4QueryAuth, S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGNING_TIME = datetime.datetime(2026, 11, 27, 20, 0, 0)
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TOKEN = "FwoGZXIvYXdzEBYaDH+/token=with/special+chars"

SEGMENT_CHARS = list("abcXYZ019-._~ %+!$&'()*,;=:@") + ["é", "€", "😀"]
QUERY_CHARS = list("aAzZ09-_.~ +=&%/?") + ["é", "😀"]
VALUE_CHARS = list("ab Z9-_./\t,;=\"") + ["é"]


def rand_text(rng, chars, n):
    return "".join(rng.choice(chars) for _ in range(rng.randint(0, n)))


def make_request(rng):
    segments = []
    for _ in range(rng.randint(0, 4)):
        s = rand_text(rng, SEGMENT_CHARS, 6)
        segments.append(rng.choice([".", ".."]) if rng.random() < 0.1 else quote(s, safe=""))
    path = "/" + "/".join(segments) + ("/" if segments and rng.random() < 0.3 else "")
    params = []
    for _ in range(rng.randint(0, 4)):
        key = rand_text(rng, QUERY_CHARS, 6)
        if key.lower().startswith("x-amz-"):
            continue
        for _ in range(rng.randint(1, 2)):
            params.append((key, rand_text(rng, QUERY_CHARS, 6)))
    query = "&".join(quote(k, safe="-_.~") + "=" + quote(v, safe="-_.~") for k, v in params)
    headers = {"Host": rng.choice(["iam.example.com", "localhost:4566"])}
    for i in range(rng.randint(0, 3)):
        value = rand_text(rng, VALUE_CHARS, 12).strip() or "v"
        headers["X-Test-%d" % i] = value
    method = rng.choice(["GET", "POST", "PUT"])
    body = b""
    if method != "GET" and rng.random() < 0.8:
        body = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 5, 100, 3000])))
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    use_date_header = rng.random() < 0.15
    if use_date_header:
        headers["Date"] = "placeholder"  # botocore replaces it with the signing time (RFC 2822)
    url = "https://%s%s%s" % (headers["Host"], path, ("?" + query) if query else "")
    return method, url, headers, body


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    out = []
    for i in range(count):
        method, url, headers, body = make_request(rng)
        kind = rng.choice(["header", "header", "presigned", "s3"])
        token = TOKEN if rng.random() < 0.3 else None
        creds = Credentials(ACCESS_KEY, SECRET, token)
        region = rng.choice(["us-east-1", "eu-west-1"])
        if kind == "presigned":
            headers.pop("Date", None)
            body = b""
        req = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
        with mock.patch("botocore.auth.get_current_datetime", return_value=SIGNING_TIME):
            if kind == "presigned":
                SigV4QueryAuth(creds, "sts", region, expires=900).add_auth(req)
            elif kind == "s3":
                S3SigV4Auth(creds, "s3", region).add_auth(req)
            else:
                SigV4Auth(creds, "iam", region).add_auth(req)
        prepared = req.prepare()
        raw_headers = []
        for name, value in prepared.headers.items():
            raw_headers += [name, value.decode("latin-1") if isinstance(value, bytes) else value]
        target = prepared.url.split("://", 1)[1]
        target = target[target.index("/"):] if "/" in target else "/"
        out.append({
            "kind": kind,
            "method": prepared.method,
            "url": target,
            "rawHeaders": raw_headers,
            "body": (prepared.body or b"").hex() if isinstance(prepared.body or b"", bytes) else prepared.body.encode().hex(),
            "token": token,
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

"""A reference client of the application API (docs/api.md): signs in as the
demo talent, fills the talent-recognition form, uploads a PDF, submits and
polls the status. Standard library only.

    python docs/api_client.py http://localhost:8000 [path/to/file.pdf]

Run it against a site with the demo data (`make demo`); it registers nothing.
"""

import json
import mimetypes
import sys
import time
import urllib.error
import urllib.request
import uuid

DEMO_USER = "demo-talent"
DEMO_PASSWORD = "Demo#City2026"  # noqa: S105 (the public demo password)
FORM_TITLE = "高层次人才认定申请"


def tiny_pdf() -> bytes:
    """A one-page blank PDF, for when no file is given."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# The demo form's steps (GET /api/v1/forms/{id} describes every field).
ANSWERS = {
    1: {
        "full_name": "陈晋航",
        "id_document": {"kind": "resident", "number": "11010519491231002X"},
        "gender": "男",
        "birth_date": "1949-12-31",
        "nationality": "中国",
    },
    2: {
        "employer_region": {
            "province": "350000",
            "city": "350500",
            "district": "350582",
        },
        "position": "研发总监",
        "join_date": "2020-03-01",
    },
    3: {
        "tier": "第三层次人才",
        "qualification_category": "省级人才计划入选者",
        "qualification_detail": "入选福建省高层次人才计划。",
        "education": [
            {
                "school": "厦门大学",
                "degree": "博士研究生",
                "major": "材料科学",
                "graduation_date": "2012-06-30",
            }
        ],
    },
    4: {"consent": True},
}
UPLOADS = ["id_scan", "degree_certificates", "labour_contract", "social_insurance"]


class HttpTransport:
    def __init__(self, base_url: str):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the site's address starts with http:// or https://")
        self.base_url = base_url.rstrip("/") + "/api/v1"

    def request(self, method, path, *, json_body=None, files=None, headers=None):
        headers = dict(headers or {})
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, (filename, content) in files.items():
                kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310
                body = response.read()
                return response.status, json.loads(body) if body else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def walk_through(
    transport, pdf: bytes | None = None, polls: int = 3, log=print
) -> dict:
    pdf = pdf or tiny_pdf()

    def call(method, path, expect, **kwargs):
        status, body = transport.request(method, path, headers=auth, **kwargs)
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status} {body}")
        return body

    auth: dict = {}
    pair = call(
        "POST",
        "/auth/token",
        200,
        json_body={
            "username": DEMO_USER,
            "password": DEMO_PASSWORD,
            "device": "reference client",
        },
    )
    auth = {"Authorization": f"Bearer {pair['access_token']}"}
    log("signed in; the access token lasts", pair["expires_in"], "s")

    form = next(f for f in call("GET", "/forms", 200) if f["title"] == FORM_TITLE)
    definition = call("GET", f"/forms/{form['id']}", 200)
    log("form", form["id"], "has", len(definition["steps"]), "steps")

    draft = call("POST", "/applications", 201, json_body={"form_id": form["id"]})
    key = draft["uuid"]
    prefilled = draft["inputs"]  # from the profile: name, mobile, employer...
    for step in definition["steps"]:
        keys = {item.get("key") for item in step["items"]}
        answers = {
            name: values[0] if len(values) == 1 else values
            for name, values in prefilled.items()
            if name.split("-")[0] in keys
        }
        answers.update(ANSWERS.get(step["number"], {}))
        for item in step["items"]:
            if item.get("key") in UPLOADS:
                call(
                    "POST",
                    f"/applications/{key}/files/{item['key']}",
                    201,
                    files={"file": (f"{item['key']}.pdf", pdf)},
                )
        call(
            "PUT",
            f"/applications/{key}/steps/{step['number']}",
            200,
            json_body={"answers": answers},
        )
        log("step", step["number"], "saved")

    check = call("GET", f"/applications/{key}/check", 200)
    if not check["valid"]:
        raise RuntimeError(f"answers need attention: {check['errors']}")
    idempotency = {"Idempotency-Key": str(uuid.uuid4())}
    auth.update(idempotency)
    receipt = call("POST", f"/applications/{key}/submit", 200)
    # A retry (say the answer was lost) gets the same receipt.
    assert call("POST", f"/applications/{key}/submit", 200) == receipt
    for name in idempotency:
        auth.pop(name)
    log("submitted:", receipt["receipt_number"])

    for attempt in range(polls):
        case = call("GET", f"/applications/{key}", 200)
        log(
            "status:",
            case["status_label"],
            "| step:",
            case["current_step"],
            "| with:",
            case["holder"],
        )
        if attempt + 1 < polls:
            time.sleep(1)
    return case


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    pdf = open(sys.argv[2], "rb").read() if len(sys.argv) > 2 else None  # noqa: SIM115
    walk_through(HttpTransport(sys.argv[1]), pdf)

"""The README's reference client (docs/api_client.py), run against the demo
city through Django's test client instead of HTTP."""

import importlib.util
import json
from pathlib import Path

from django.test import Client

from forms.models import Application, ApplicationStatus

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "api_client.py"


def load_client():
    spec = importlib.util.spec_from_file_location("api_client", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DjangoTransport:
    def __init__(self):
        self.client = Client()

    def request(self, method, path, *, json_body=None, files=None, headers=None):
        extra = {
            "HTTP_" + name.upper().replace("-", "_"): value
            for name, value in (headers or {}).items()
        }
        url = "/api/v1" + path
        if files:
            from django.core.files.uploadedfile import SimpleUploadedFile

            data = {
                name: SimpleUploadedFile(filename, content, "application/pdf")
                for name, (filename, content) in files.items()
            }
            response = self.client.post(url, data, **extra)
        elif json_body is not None:
            response = self.client.generic(
                method, url, json.dumps(json_body), "application/json", **extra
            )
        else:
            response = self.client.generic(method, url, **extra)
        body = response.content
        return response.status_code, json.loads(body) if body else None


def test_the_reference_client_submits_for_the_demo_talent(demo):
    client = load_client()
    before = Application.objects.filter(status=ApplicationStatus.SUBMITTED).count()
    case = client.walk_through(DjangoTransport(), polls=1, log=lambda *a: None)
    assert case["status"] == ApplicationStatus.SUBMITTED
    assert case["receipt_number"]
    assert case["holder"]
    submitted = Application.objects.get(uuid=case["uuid"])
    assert submitted.applicant.username == client.DEMO_USER
    assert submitted.files.count() == len(client.UPLOADS)
    after = Application.objects.filter(status=ApplicationStatus.SUBMITTED).count()
    assert after == before + 1

"""Driving the application API as an app does."""

import uuid

from django.test import Client

from tests.factories import PASSWORD
from tests.forms.flow import PDF, VALID_ID

BASE = "/api/v1"

STEP_ONE = {
    "full_name": "张三",
    "id_number": {"kind": "resident", "number": VALID_ID},
    "mobile": "13912345678",
    "owns_home": "yes",
    "home_price": "120",
}
STEP_TWO = {
    "education": [{"school": "厦门大学", "degree": "博士"}],
    "consent": True,
}


def sign_in(client: Client, user, password: str = PASSWORD) -> dict:
    response = client.post(
        f"{BASE}/auth/token",
        {"username": user.username, "password": password, "device": "test"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class App:
    """A signed-in app: every call with the user's access token."""

    def __init__(self, client: Client, user):
        self.client = client
        self.user = user
        self.tokens = sign_in(client, user)

    @property
    def headers(self) -> dict:
        return bearer(self.tokens["access_token"])

    def get(self, path, **extra):
        return self.client.get(BASE + path, **self.headers, **extra)

    def post(self, path, data=None, **extra):
        return self.client.post(
            BASE + path,
            data if data is not None else {},
            content_type="application/json",
            **self.headers,
            **extra,
        )

    def put(self, path, data, **extra):
        return self.client.put(
            BASE + path, data, content_type="application/json", **self.headers, **extra
        )

    def delete(self, path, **extra):
        return self.client.delete(BASE + path, **self.headers, **extra)

    def upload(self, path, files: list, **extra):
        return self.client.post(BASE + path, {"file": files}, **self.headers, **extra)

    def start(self, form, **body) -> str:
        response = self.post("/applications", {"form_id": form.pk, **body})
        assert response.status_code == 201, response.content
        return response.json()["uuid"]

    def fill(self, form) -> str:
        from tests.forms.flow import pdf_upload

        draft = self.start(form)
        assert (
            self.put(
                f"/applications/{draft}/steps/1", {"answers": STEP_ONE}
            ).status_code
            == 200
        )
        response = self.upload(
            f"/applications/{draft}/files/degree_scan", [pdf_upload()]
        )
        assert response.status_code == 201, response.content
        response = self.put(f"/applications/{draft}/steps/2", {"answers": STEP_TWO})
        assert response.status_code == 200, response.content
        return draft

    def submit(self, draft: str, key: str | None = None):
        return self.post(
            f"/applications/{draft}/submit",
            HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
        )


__all__ = ["PDF", "App", "BASE", "bearer", "sign_in"]

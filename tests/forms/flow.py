"""Driving an application through the applicant's pages, as a browser would."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from forms.models import Application
from tests.forms.pdfs import plain

PDF = plain()
VALID_ID = "11010519491231002X"


def pdf_upload(name: str = "学位证书.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def start(client, form) -> Application:
    """Open the form page and press start; returns the new draft."""
    page = client.get(form.url)
    token = re.search(rb'name="start_token" value="([0-9a-f-]+)"', page.content)
    response = client.post(
        form.url + "start/", {"start_token": token.group(1).decode()}
    )
    assert response.status_code == 303, response
    return Application.objects.get(uuid=response["Location"].split("/")[2])


def step_url(application, number: int) -> str:
    return f"/applications/{application.uuid}/step/{number}/"


def review_url(application) -> str:
    return f"/applications/{application.uuid}/review/"


STEP_ONE = {
    "full_name": "张三",
    "id_number-kind": "resident",
    "id_number-number": VALID_ID,
    "mobile": "13912345678",
    "owns_home": "yes",
    "home_price": "120",
    "action": "next",
}


def step_two(**extra):
    data = {
        "education-rows": "1",
        "education-0-school": "厦门大学",
        "education-0-degree": "博士",
        "consent": "on",
        "action": "next",
        "degree_scan": pdf_upload(),
    }
    data.update(extra)
    return data


def fill_sample(client, form) -> Application:
    """Fill both steps of SAMPLE_DEFINITION validly; returns the draft."""
    application = start(client, form)
    response = client.post(step_url(application, 1), STEP_ONE)
    assert response.status_code == 303, response.content.decode()[:2000]
    response = client.post(step_url(application, 2), step_two())
    assert response.status_code == 303, response.content.decode()[:2000]
    return application

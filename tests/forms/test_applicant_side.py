"""The applicant's side without dead ends: the inbox in the header, files that
stay accepted when something else on the step fails, "Continue" where one
stopped, and one marker on every required field."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from cms.core import pagecache
from forms.models import Application, ApplicationFile, Message
from tests.factories import make_form, make_user
from tests.forms.flow import (
    STEP_ONE,
    pdf_upload,
    review_url,
    start,
    step_two,
    step_url,
)

pytestmark = pytest.mark.django_db

INBOX = "/applications/messages/"


@pytest.fixture
def applicant(client):
    user = make_user(real_name="张三")
    client.force_login(user)
    return user


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def message_queries(captured) -> list[str]:
    table = Message._meta.db_table
    return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


# --- 13: the inbox in the header ---------------------------------------------


def test_the_header_counts_unread_messages_with_one_query(client, applicant):
    Message.objects.create(recipient=applicant, title="a", body="a")
    Message.objects.create(recipient=applicant, title="b", body="b")
    Message.objects.create(
        recipient=applicant, title="c", body="c", read_at=timezone.now()
    )
    Message.objects.create(recipient=make_user(), title="d", body="d")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert len(message_queries(captured)) == 1
    link = soup(response).select_one(f'.account-nav a[href="{INBOX}"]')
    assert link.select_one(".badge--count").get_text() == "2"
    assert "private" in response["Cache-Control"]


def test_staff_reach_their_inbox_from_the_header_too(client):
    officer = make_user(kind="staff")
    Message.objects.create(recipient=officer, title="分派", body="x")
    client.force_login(officer)
    page = soup(client.get("/"))
    link = page.select_one(f'.account-nav a[href="{INBOX}"]')
    assert link["data-unread"] == "1"
    # "My applications" stays an applicant's link.
    assert not page.select(f'.account-nav a[href="{reverse("applications:mine")}"]')


def test_the_inbox_link_marks_the_inbox_as_the_current_page(client, applicant):
    link = soup(client.get(INBOX)).select_one(f'.account-nav a[href="{INBOX}"]')
    assert link["aria-current"] == "page"
    link = soup(client.get("/")).select_one(f'.account-nav a[href="{INBOX}"]')
    assert not link.has_attr("aria-current")


def test_an_anonymous_header_costs_no_query_and_stays_cacheable(client):
    Message.objects.create(recipient=make_user(), title="a", body="a")
    caches[pagecache.CACHE_ALIAS].clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        with CaptureQueriesContext(connection) as captured:
            first = client.get("/")
        assert message_queries(captured) == []
        assert not soup(first).select(f'a[href="{INBOX}"]')
        states = [client.get("/")[pagecache.STATUS_HEADER] for _ in range(3)]
    caches[pagecache.CACHE_ALIAS].clear()
    assert "hit" in states


# --- 14: accepted files stay accepted -----------------------------------------


def at_step_two(client, form) -> Application:
    application = start(client, form)
    assert client.post(step_url(application, 1), STEP_ONE).status_code == 303
    return application


def test_an_accepted_file_stays_when_another_field_fails(client, applicant):
    form = make_form()
    application = at_step_two(client, form)
    # The consent is missing: the step fails, the scan passes.
    data = step_two(degree_scan=pdf_upload("学位证书.pdf"))
    del data["consent"]
    response = client.post(step_url(application, 2), data)
    assert response.status_code == 200
    stored = ApplicationFile.objects.get(application=application)
    assert stored.original_name == "学位证书.pdf"
    shown = soup(response).select_one('[data-material="degree_scan"]')
    assert shown.select_one(f'[data-stored-file="{stored.uuid}"]')
    assert "学位证书.pdf" in shown.get_text()
    assert shown.select_one(f'input[name="degree_scan-remove"][value="{stored.uuid}"]')
    assert "无需重新上传" in shown.get_text()
    assert not soup(response).select("#id_degree_scan_error")

    # Agreeing now, without sending the file again, completes the step.
    data = step_two(consent="on")
    del data["degree_scan"]
    response = client.post(step_url(application, 2), data)
    assert response.status_code == 303
    assert response["Location"] == review_url(application)
    assert ApplicationFile.objects.filter(application=application).count() == 1


def test_the_good_file_of_two_is_kept_when_the_other_is_refused(client, applicant):
    form = make_form()
    application = at_step_two(client, form)
    data = step_two(
        degree_scan=[
            pdf_upload("好的.pdf"),
            pdf_upload("坏的.pdf", b"<html>not a pdf</html>"),
        ]
    )
    response = client.post(step_url(application, 2), data)
    assert response.status_code == 200
    names = list(
        ApplicationFile.objects.filter(application=application).values_list(
            "original_name", flat=True
        )
    )
    assert names == ["好的.pdf"]
    page = soup(response)
    assert "坏的.pdf" in page.select_one("#id_degree_scan_error").get_text()
    assert "好的.pdf" in page.select_one('[data-material="degree_scan"] ul').get_text()


def test_too_many_files_at_once_keep_none_of_them(client, applicant):
    form = make_form()
    application = at_step_two(client, form)
    data = step_two(
        degree_scan=[
            pdf_upload("1.pdf"),
            pdf_upload("2.pdf"),
            pdf_upload("3.pdf"),
            pdf_upload("4.pdf", b"<html>no</html>"),
        ]
    )
    assert client.post(step_url(application, 2), data).status_code == 200
    assert not ApplicationFile.objects.filter(application=application).exists()


def single_file_definition() -> list[dict]:
    return [
        {"type": "step", "title": "材料", "description": "", "condition": None},
        {
            "type": "file",
            "key": "photo",
            "label": "证件照",
            "required": True,
            "help_text": "",
            "condition": None,
            "file_types": ["pdf"],
            "max_size_mb": 2,
            "max_count": 1,
            "material_form": "",
        },
        {
            "type": "short_text",
            "key": "note",
            "label": "备注",
            "required": True,
            "help_text": "",
            "condition": None,
            "max_length": 50,
            "prefill": "",
            "pattern": "",
            "pattern_message": "",
        },
    ]


def test_a_new_file_replaces_the_one_of_a_single_file_field(client, applicant):
    form = make_form(definition=single_file_definition())
    application = start(client, form)
    url = step_url(application, 1)
    response = client.post(url, {"photo": pdf_upload("旧.pdf"), "action": "next"})
    assert response.status_code == 200  # the note is missing
    old = ApplicationFile.objects.get(application=application)
    assert "替换" in soup(response).select_one('[data-material="photo"]').get_text()

    second = pdf_upload("新.pdf", pdf_upload().read() + b"\n% another scan\n")
    response = client.post(url, {"photo": second, "note": "无", "action": "next"})
    assert response.status_code == 303, soup(response).select(".field__error")
    stored = ApplicationFile.objects.get(application=application)
    assert stored.original_name == "新.pdf"
    assert stored.pk != old.pk


def test_a_refused_replacement_keeps_the_file_attached(client, applicant):
    form = make_form(definition=single_file_definition())
    application = start(client, form)
    url = step_url(application, 1)
    client.post(url, {"photo": pdf_upload("旧.pdf"), "note": "无", "action": "save"})
    bad = pdf_upload("坏.pdf", b"<html>no</html>")
    response = client.post(url, {"photo": bad, "note": "无", "action": "next"})
    assert response.status_code == 200
    stored = ApplicationFile.objects.get(application=application)
    assert stored.original_name == "旧.pdf"
    assert "旧.pdf" in soup(response).select_one('[data-material="photo"]').get_text()


# --- 15: "Continue" where one stopped -------------------------------------------


def continue_link(client, application) -> str:
    page = soup(client.get(reverse("applications:mine")))
    (item,) = [
        li
        for li in page.select(".application-list__item")
        if li.select_one(f'form[action*="{application.uuid}"]')
    ]
    return item.select_one("a.button")["href"]


def test_continue_opens_the_page_where_the_applicant_stopped(client, applicant):
    form = make_form()
    application = start(client, form)
    assert continue_link(client, application) == step_url(application, 1)

    client.post(step_url(application, 1), STEP_ONE)  # leads to step 2
    client.get(step_url(application, 2))
    assert continue_link(client, application) == step_url(application, 2)

    saved = step_two()
    saved["action"] = "save"
    assert client.post(step_url(application, 2), saved).status_code == 303
    assert continue_link(client, application) == step_url(application, 2)

    client.get(step_url(application, 1))  # went back to change something
    assert continue_link(client, application) == step_url(application, 1)

    client.get(review_url(application))
    assert continue_link(client, application) == review_url(application)
    # The form page's own list of drafts leads to the same place.
    landing = soup(client.get(form.url))
    assert landing.select_one(f'a[href="{review_url(application)}"]')


def test_looking_at_a_step_does_not_count_as_saving(client, applicant):
    form = make_form()
    application = start(client, form)
    client.post(step_url(application, 1), STEP_ONE)
    saved_at = Application.objects.get(pk=application.pk).updated_at
    client.get(step_url(application, 2))
    client.get(step_url(application, 1))
    assert Application.objects.get(pk=application.pk).updated_at == saved_at


# --- 15: one marker on every required field ----------------------------------------


def test_every_required_field_carries_the_same_marker(client, applicant):
    """The ID document and the yes/no choice (fieldsets with a legend), the
    group's cells, the upload and the consent mark "required" as text fields do."""
    form = make_form()
    application = start(client, form)
    client.post(step_url(application, 1), STEP_ONE)
    for number, keys in (
        (1, ["full_name", "id_number", "mobile", "owns_home", "home_price"]),
        (2, ["education", "degree_scan", "consent"]),
    ):
        page = soup(client.get(step_url(application, number)))
        for key in keys:
            entry = page.select_one(f'[data-entry="{key}"]')
            title = entry.select_one("legend, label")
            assert title.select_one(".field__required").get_text() == "(必填)", key
        cells = page.select(".group-input__cell label .field__required")
        assert number == 1 or len(cells) == 2

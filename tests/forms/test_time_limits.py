"""One source of time limits: a form's review steps. The guide's promised time,
the receipt, the tracker's expected date and the API read it and agree; during
publicity the applicant reads 公示中, never 办结."""

import datetime
import re

import pytest
from django.utils import translation
from freezegun import freeze_time

from cms.core.workdays import add_working_days
from forms.casework.actions import act
from forms.casework.timelimits import (
    DEFAULT_WORKFLOW,
    form_time_limits,
    forms_time_limits,
    limits_of,
)
from forms.casework.workflow import expected_completion
from forms.models import ApplicationStatus
from tests.factories import make_guide, make_user
from tests.forms.casework_helpers import form_with_steps, submit_as

pytestmark = pytest.mark.django_db

MONDAY = "2026-03-02 10:00:00+08:00"


def steps_with_publicity():
    return (
        ("accept", 2, {}),
        ("review", 5, {}),
        ("approve", 3, {}),
        ("publicity", 7, {}),
    )


@pytest.fixture
def guide():
    # The stored figures disagree with the steps on purpose.
    return make_guide(promised_limit_days=15, statutory_limit_days=30)


@pytest.fixture
def form(guide):
    return form_with_steps(*steps_with_publicity(), parent=guide)


def test_the_promised_time_is_the_steps_total_without_publicity(form):
    limits = form_time_limits(form)
    assert (limits.promised, limits.publicity) == (2 + 5 + 3, 7)
    with translation.override("en"):
        assert form_time_limits(form).steps[0]["title"] == "Window acceptance (受理)"
    bulk = forms_time_limits([form])[form.pk]
    assert (bulk.promised, bulk.publicity) == (limits.promised, limits.publicity)
    assert [s["title"] for s in bulk.steps] == [s["title"] for s in limits.steps]


def test_a_form_without_steps_promises_the_default_and_no_review_nothing(guide):
    plain = form_with_steps(parent=guide)
    default_total = sum(step["days"] for step in DEFAULT_WORKFLOW)
    assert form_time_limits(plain).promised == default_total
    plain.review_none = True
    plain.save()
    assert form_time_limits(plain).immediate
    assert forms_time_limits([plain])[plain.pk].promised == 0


def test_the_guide_shows_the_forms_figure_not_its_own(client, guide, form):
    guide.refresh_from_db()
    assert guide.promised_days == 10
    html = client.get(guide.url).content.decode()
    promised = re.search(r"承诺.*?<strong>(\d+)</strong>", html, re.S)
    assert promised and promised.group(1) == "10"
    # The process lists the form's steps with their own limits, not the
    # editor's process blocks.
    process = html.split("data-review-steps", 1)[1].split("</ol>", 1)[0]
    assert "服务专窗" not in process  # the editor's block's handler
    assert process.count('class="step"') == 4
    assert "7个工作日" in process  # publicity, with its own days
    # The API and the module page read the same figure.
    api = client.get(f"/api/v2/pages/{guide.pk}/").json()
    assert api["promised_limit_days"] == 10
    module_html = client.get(guide.get_parent().url).content.decode()
    assert "10个工作日内办结" in module_html and "15个工作日" not in module_html


def test_a_guide_without_a_form_keeps_its_own_figure(client):
    offline = make_guide(promised_limit_days=15)
    assert offline.promised_days == 15
    assert offline.time_limits is None
    assert "<strong>15</strong>" in client.get(offline.url).content.decode()


def test_receipt_tracker_and_lookup_agree_with_the_guide(client, guide, form):
    applicant = make_user(real_name="张三")
    with freeze_time(MONDAY):
        application = submit_as(client, form, applicant)
        expected = add_working_days(datetime.date(2026, 3, 2), 10)
        assert expected_completion(application) == expected
        receipt = client.get(f"/applications/{application.uuid}/receipt/")
        detail = client.get(f"/applications/{application.uuid}/")
    text = receipt.content.decode()
    line = text.split("data-time-limit>", 1)[1].split("</p>", 1)[0]
    assert "10" in line and expected.isoformat() in line and "7" in line
    assert "15" not in line
    assert expected.isoformat() in detail.content.decode()


def test_during_publicity_the_status_reads_in_publicity(client, guide, form):
    applicant = make_user(real_name="张三")
    boss = make_user(kind="staff", is_superuser=True)
    with freeze_time(MONDAY):
        application = submit_as(client, form, applicant)
        for action in ("accept", "pass", "approve"):
            application = act(application, boss, action, comment="同意")
        assert application.status == ApplicationStatus.PUBLICITY
        with translation.override("zh-hans"):
            html = client.get(f"/applications/{application.uuid}/").content.decode()
    summary = html.split('class="summary-list"', 1)[1].split("</dl>", 1)[0]
    assert "公示中" in summary
    assert "办结" not in summary
    assert "data-publicity-until" in summary
    assert application.step_due.isoformat() in summary


def test_limits_of_counts_publicity_apart():
    limits = limits_of(
        [
            {"kind": "accept", "name": "", "days": 1},
            {"kind": "publicity", "name": "公示", "days": 5},
        ]
    )
    assert (limits.promised, limits.publicity, limits.immediate) == (1, 5, False)
    assert limits.steps[1]["title"] == "公示"

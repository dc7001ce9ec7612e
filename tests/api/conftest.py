import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from forms.casework.actions import act
from forms.models import Application, Message
from tests.api.helpers import App
from tests.factories import make_employer, make_user
from tests.forms.casework_helpers import form_with_steps, staff


@pytest.fixture
def clerks():
    group = Group.objects.create(name="受理窗口-接口")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="applications",
            codename__in=["view_application", "change_application"],
        )
    )
    return group


class World:
    """One owner with a draft, a case returned for supplement and a message;
    and everyone else who must see none of it."""

    def __init__(self, clerks):
        self.form = form_with_steps(
            ("accept", 2, {"group": clerks}), ("review", 5, {}), ("approve", 3, {})
        )
        self.clerk = staff(clerks)
        organisation = make_employer()
        self.owner_user = make_user(real_name="张三")
        self.owner = App(Client(), self.owner_user)
        self.other = App(Client(), make_user())
        self.employer = App(Client(), make_user(kind="employer", employer=organisation))
        self.staff_client = Client()
        self.staff_client.force_login(self.clerk)
        self.anonymous = Client()
        case = self.owner.fill(self.form)
        assert self.owner.submit(case).status_code == 200
        self.case = Application.objects.get(uuid=case)
        act(
            self.case,
            self.clerk,
            "return",
            items=[{"key": "mobile", "label": "手机号码", "reason": "号码有误"}],
        )
        self.case.refresh_from_db()
        self.request = self.case.supplements.get()
        self.draft = Application.objects.get(uuid=self.owner.fill(self.form))
        self.file = self.draft.files.get()
        self.draft2 = Application.objects.get(uuid=self.owner.start(self.form))
        self.message = Message.objects.create(
            recipient=self.owner_user,
            title="补正通知",
            body="请补正",
            application=self.case,
        )


@pytest.fixture
def world(db, clerks):
    return World(clerks)

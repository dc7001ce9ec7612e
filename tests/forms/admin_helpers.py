"""Builders shared by the admin, export, form-file and purge tests.

A published ApplicationFormPage under a service guide, and applications submitted
through forms.applying.services exactly as the applicant's views do (draft inputs named as
in the POST, then submit), so exports and admin pages see canonical answers.
"""

import uuid

from django.core.files.base import ContentFile

from cms.accounts.models import User
from forms.applying import services
from forms.builder.definition import stream_data_from_definition
from forms.models import ApplicationFile, ApplicationFormPage
from tests.factories import make_guide, make_user


def resident_id(first17: str) -> str:
    from cms.core.identifiers import resident_id_check_char

    return first17 + resident_id_check_char(first17)


# Valid GB 11643 numbers: the check digit is computed.
ID_A = resident_id("35050219880101231")
ID_B = resident_id("11010119900307447")


def field(kind: str, key: str, label: str, **extra) -> dict:
    item = {
        "type": kind,
        "key": key,
        "label": label,
        "help_text": "",
        "required": True,
        "condition": None,
    }
    item.update(extra)
    return item


def sample_definition() -> list[dict]:
    """Several field types over two steps, with a group, a file and a condition."""
    return [
        {"type": "step", "title": "基本信息", "description": "", "condition": None},
        field(
            "short_text",
            "full_name",
            "姓名",
            max_length=50,
            prefill="real_name",
            pattern="",
            pattern_message="",
        ),
        field(
            "personal_id", "id_number", "身份证件", id_kinds=["resident"], prefill=""
        ),
        field("mobile", "phone", "手机号码", prefill=""),
        field("single_choice", "degree", "最高学历", choices=["博士", "硕士", "本科"]),
        field(
            "long_text",
            "note",
            "备注",
            required=False,
            max_length=500,
            pattern="",
            pattern_message="",
        ),
        {"type": "step", "title": "材料", "description": "", "condition": None},
        field(
            "group",
            "education",
            "教育经历",
            required=False,
            min_rows=0,
            max_rows=3,
            fields=[
                field(
                    "short_text",
                    "school",
                    "学校",
                    max_length=100,
                    prefill="",
                    pattern="",
                    pattern_message="",
                ),
                field("yes_no", "abroad", "境外"),
            ],
        ),
        field(
            "file",
            "diploma",
            "学历证书",
            required=False,
            file_types=["pdf", "png"],
            max_size_mb=2,
            max_count=2,
            material_form="扫描件",
        ),
    ]


def make_form(parent=None, definition=None, user=None, **overrides):
    """A published form page with version 1."""
    parent = parent or make_guide()
    n = uuid.uuid4().hex[:6]
    fields = {
        "title": f"高层次人才认定申请{n}",
        "slug": f"apply-{n}",
        "form_fields": stream_data_from_definition(definition or sample_definition()),
        "applicant_kinds": "both",
    }
    fields.update(overrides)
    page = ApplicationFormPage(**fields)
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def publish_definition(page, definition, user=None):
    """Publish a changed definition (a new version)."""
    page = ApplicationFormPage.objects.get(pk=page.pk)
    page.form_fields = stream_data_from_definition(definition)
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def make_talent(**overrides) -> User:
    return make_user(kind=User.Kind.TALENT, **overrides)


def sample_inputs(
    name="张三", id_number=ID_A, phone="13912345678", degree="博士", note=""
):
    return {
        "full_name": [name],
        "id_number-kind": ["resident"],
        "id_number-number": [id_number],
        "phone": [phone],
        "degree": [degree],
        "note": [note],
        "education-rows": ["1"],
        "education-0-school": ["清华大学"],
        "education-0-abroad": ["no"],
    }


def start_draft(form, applicant=None, inputs=None):
    applicant = applicant or make_talent()
    application = services.start(form, applicant, uuid.uuid4())
    application.set_draft_data(inputs if inputs is not None else sample_inputs())
    application.save(update_fields=["draft_data", "updated_at"])
    return application


def attach_file(application, key="diploma", name="学位证书.pdf", content=None):
    content = content or b"%PDF-1.4\n% test\n"
    stored = ApplicationFile(
        application=application,
        field_key=key,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
    )
    stored.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
    stored.save()
    return stored


def submit_application(form, applicant=None, inputs=None, with_file=False):
    application = start_draft(form, applicant, inputs)
    if with_file:
        attach_file(application)
    return services.submit(application)

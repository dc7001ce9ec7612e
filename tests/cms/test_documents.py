"""Public policy documents and images are configured safely (docs/security.md F6)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.admin.forms.pages import PageViewRestrictionForm
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.models import Collection, PageViewRestriction

pytestmark = pytest.mark.django_db


def document_form(name: str, content: bytes):
    form_class = get_document_form(get_document_model())
    return form_class(
        data={"title": name, "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, content)},
    )


def test_a_pdf_policy_attachment_is_accepted():
    assert document_form("办法.pdf", b"%PDF-1.4 test").is_valid()


@pytest.mark.parametrize("name", ["材料.zip", "page.html", "run.exe", "image.svg"])
def test_archives_and_active_content_are_refused(name):
    form = document_form(name, b"not a policy document")
    assert not form.is_valid()
    assert "file" in form.errors


def test_oversized_documents_are_refused(settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    form = document_form("big.pdf", b"%PDF" + b"0" * 2048)
    assert not form.is_valid()
    assert "file" in form.errors


def test_private_pages_cannot_use_a_shared_password():
    form = PageViewRestrictionForm(private_page_options=["password", "groups", "login"])
    choices = dict(form.fields["restriction_type"].choices)
    assert PageViewRestriction.PASSWORD not in choices
    assert PageViewRestriction.LOGIN in choices

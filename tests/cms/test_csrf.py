"""Every form is protected against cross-site request forgery (docs/security.md C3, A4).

Django's test client skips CSRF checks unless told otherwise, so every client
here is `Client(enforce_csrf_checks=True)`. Each refusal has a positive control:
the same request with the page's own token goes through.
"""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import Page

from tests.cms.hall_admin import (
    ZHUJIAN,
    admin_url,
    make_department_with_content,
    make_staff,
    make_superuser,
    policy_edit_data,
)
from tests.factories import PASSWORD

TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_token(response) -> str:
    match = TOKEN_FIELD.search(response.content.decode())
    assert match, "the page renders no CSRF token field"
    return match.group(1)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


class CsrfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.zhujian = make_department_with_content("csrfmarker", **ZHUJIAN)
        cls.editor = make_staff(cls.zhujian.department)
        cls.superuser = make_superuser()

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def login_data(self, user) -> dict:
        return {"username": user.username, "password": PASSWORD}

    def test_wagtail_admin_login_needs_a_token(self):
        url = reverse("wagtailadmin_login")
        response = self.client.post(url, self.login_data(self.superuser))
        assert response.status_code == 403
        assert not is_signed_in(self.client)

        token = form_token(self.client.get(url))
        response = self.client.post(
            url, {**self.login_data(self.superuser), "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert is_signed_in(self.client)

    def test_hall_login_needs_a_token(self):
        url = reverse("accounts:login")
        response = self.client.post(url, self.login_data(self.editor))
        assert response.status_code == 403
        assert not is_signed_in(self.client)

        token = form_token(self.client.get(url))
        response = self.client.post(
            url, {**self.login_data(self.editor), "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert is_signed_in(self.client)

    def test_a_token_from_another_visitors_session_is_refused(self):
        url = reverse("accounts:login")
        someone_elses_token = form_token(Client().get(url))
        self.client.get(url)  # our own CSRF cookie, different secret

        response = self.client.post(
            url,
            {
                **self.login_data(self.editor),
                "csrfmiddlewaretoken": someone_elses_token,
            },
        )
        assert response.status_code == 403
        assert not is_signed_in(self.client)

    def test_language_switch_needs_a_token(self):
        url = reverse("set_language")
        response = self.client.post(url, {"language": "en", "next": "/"})
        assert response.status_code == 403
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies

        token = form_token(self.client.get(reverse("accounts:login")))
        response = self.client.post(
            url, {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    def test_page_edit_post_needs_a_token(self):
        page = self.zhujian.policy
        self.client.force_login(self.editor)
        edit_url = admin_url("edit", page.pk)
        form_page = self.client.get(edit_url)
        data = policy_edit_data(form_page.content.decode(), title="伪造请求改的标题")
        revisions = page.revisions.count()

        for action in ("action-save", "action-submit"):
            with self.subTest(action=action):
                response = self.client.post(edit_url, {**data.dict(), action: "1"})
                assert response.status_code == 403
                assert page.revisions.count() == revisions
                assert Page.objects.get(pk=page.pk).title == page.title

        response = self.client.post(
            edit_url,
            {
                **data.dict(),
                "action-save": "1",
                "csrfmiddlewaretoken": form_token(form_page),
            },
        )
        assert response.status_code == 302
        assert page.revisions.count() == revisions + 1


# --- Grep gate (docs/security.md A4): no CSRF exemptions and no unescaped output ---

SCANNED_FOLDERS = ["cms", "forms", "search", "site/templates"]
DANGEROUS_PATTERNS = {
    "csrf_exempt": re.compile(r"csrf_exempt"),
    "mark_safe": re.compile(r"mark_safe\("),
    "|safe": re.compile(r"\|\s*safe\b"),
}
# {% autoescape off %} is right for plain-text e-mail bodies, wrong in HTML.
HTML_ONLY_PATTERNS = {"autoescape off": re.compile(r"{%\s*autoescape\s+off")}
# "relative/path": "why this use is safe". Keep it empty unless a reviewer agreed.
ALLOWLIST: dict[str, str] = {
    "cms/core/templatetags/hall_tags.py": (
        "mark_chinese re-marks rendered, already safe markup safe after "
        "content_lang copied it verbatim (entities and tags as they came, "
        "convert_charrefs off) with lang spans added around Chinese text."
    ),
    "site/templates/accounts/otp_setup.html": (
        "qr_svg is segno's SVG of the enrolment key, made by the view; segno "
        "XML-escapes the one text in it (the translated title)."
    ),
    "site/templates/forms/cards/my_card.html": (
        "item.qr is segno's SVG of the card's verify address, made by the view; "
        "the address is drawn as modules, and no text is put in the SVG."
    ),
    "forms/api/app.py": (
        "The API's catch-all 404 is exempt as ninja's own views are (the API "
        "checks CSRF itself for session calls); it reads nothing and writes "
        "nothing, and answers a problem+json 404 instead of the HTML CSRF page."
    ),
    "forms/builder/field_types/region.py": (
        "RegionWidget renders region options once per process from codes and "
        "escape()d names, then marks the cached HTML safe."
    ),
    "search/query.py": (
        "Highlights: the snippet text is escape()d piece by piece and only the "
        "<mark> tags around matches are added."
    ),
}


def scanned_files():
    base = Path(settings.BASE_DIR)
    for folder in SCANNED_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt", ".js"} and path.is_file():
                yield path.relative_to(base).as_posix(), path


def test_no_csrf_exemptions_or_unescaped_output_outside_the_allowlist():
    findings = []
    scanned = 0
    for relative, path in scanned_files():
        scanned += 1
        if relative in ALLOWLIST:
            continue
        patterns = dict(DANGEROUS_PATTERNS)
        if path.suffix == ".html":
            patterns.update(HTML_ONLY_PATTERNS)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name, pattern in patterns.items():
                if pattern.search(line):
                    findings.append(f"{relative}:{number}: {name}: {line.strip()}")
    assert scanned > 20, "the gate scanned almost nothing: wrong folders?"
    assert findings == []


def test_gate_patterns_catch_the_usual_spellings():
    samples = {
        "csrf_exempt": "@csrf_exempt",
        "mark_safe": "return mark_safe(html)",
        "|safe": "{{ page.intro | safe }}",
        "autoescape off": "{%autoescape off %}",
    }
    patterns = {**DANGEROUS_PATTERNS, **HTML_ONLY_PATTERNS}
    for name, sample in samples.items():
        assert patterns[name].search(sample), name
    assert not patterns["|safe"].search("{{ value|safe_title }}")


def test_allowlist_names_only_existing_files_with_a_reason():
    base = Path(settings.BASE_DIR)
    for relative, reason in ALLOWLIST.items():
        assert (base / relative).is_file(), relative
        assert reason.strip(), relative


def test_csrf_middleware_is_on():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE

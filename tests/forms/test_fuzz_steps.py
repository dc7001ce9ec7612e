"""Property test: whatever a browser (or anything else) posts to a step, the answer
is a page (200), a redirect (303) or a refusal (400), never a 500; a refused post
changes nothing, and files are stored only from a valid step."""

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from forms.models import Application, ApplicationFile
from tests.factories import make_form, make_user
from tests.forms.flow import STEP_ONE, pdf_upload, start, step_url
from tests.strategies import nasty_text

# Names the sample form's steps read, and names it does not know.
INPUT_NAMES = [
    "full_name",
    "id_number-kind",
    "id_number-number",
    "mobile",
    "owns_home",
    "home_price",
    "education-rows",
    "education-0-school",
    "education-0-degree",
    "education-1-school",
    "education-9999999999-school",
    "consent",
    "degree_scan-remove",
    "action",
    "_add_row",
    "_remove_row",
]

posts = st.dictionaries(
    st.sampled_from(INPUT_NAMES) | nasty_text.filter(bool),
    st.lists(nasty_text, min_size=1, max_size=3),
    max_size=8,
)
row_actions = st.sampled_from(
    ["education", "education:²", "education:0", "education:-1", ":", "x:1", ""]
)


class StepPostProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.form = make_form()
        cls.user = make_user(real_name="张三")

    def start(self):
        # Per example: Hypothesis's TestCase sets up the client and a transaction
        # for each example, not once per test method.
        self.client.force_login(self.user)
        self.application = start(self.client, self.form)

    def post(self, number: int, data: dict):
        response = self.client.post(step_url(self.application, number), data)
        assert response.status_code in (200, 303, 400), response.status_code
        return response

    @given(posts)
    def test_any_post_to_the_first_step(self, data):
        self.start()
        before = Application.objects.get(pk=self.application.pk).draft_data
        response = self.post(1, data)
        if response.status_code == 400:
            after = Application.objects.get(pk=self.application.pk).draft_data
            assert after == before

    @given(posts, row_actions, st.booleans())
    def test_any_post_to_the_group_and_file_step(self, data, row_action, with_file):
        self.start()
        self.post(1, STEP_ONE)
        data = dict(data)
        if row_action:
            data.setdefault("_remove_row", [row_action])
        if with_file:
            data["degree_scan"] = pdf_upload()
        response = self.post(2, data)
        stored = ApplicationFile.objects.filter(application=self.application)
        if response.status_code != 303:
            # The file field may still be valid on a page with other errors;
            # what must never happen is more files than the field allows.
            assert stored.count() <= 2
        # The stored inputs, however odd, draw the step again.
        assert self.client.get(step_url(self.application, 2)).status_code == 200

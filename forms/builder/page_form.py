"""The page editor's form for an application form page.

- A new form gets a slug people can read: ``zaixian-shenqing`` under a service
  guide, the pinyin of its title elsewhere, never percent-encoded Chinese.
- The form's blocks are checked by their StreamField block by block (each error
  on the block at fault, forms/builder/blocks.py), so the model does not check
  them a second time against the page as it was before the edit.
- The Review tab of a new form starts from the city's usual steps, and a form is
  published (or sent for moderation) only with review steps or an explicit "no
  review" choice. Drafts save either way, and a refused publish keeps everything
  the builder entered.
"""

from django.contrib.auth.models import Group
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.coreutils import find_available_slug

from cms.core.params import parse_int
from cms.services.models import ServiceGuidePage
from forms.builder.keys import readable_slug

STREAM = "form_fields"
MAX_BLOCKS = 10_000
# The buttons of the page editor that publish now or later.
PUBLISHING_ACTIONS = ("action-publish", "action-submit")


def default_slug(parent, title: str, page_id=None) -> str:
    """A readable slug for a form page under ``parent``, free among its siblings."""
    base = readable_slug(title, isinstance(parent.specific, ServiceGuidePage))
    return find_available_slug(parent, base, ignore_page_id=page_id) if base else ""


def is_automatic(slug: str, title: str) -> bool:
    """Is this the slug Wagtail's editor made from the title by itself (kept in
    Chinese, as Wagtail allows)? A slug typed by hand is left as it is."""
    return bool(slug) and not slug.isascii() and slug == slugify(title, True)


def default_review_steps() -> list[dict]:
    """The runtime default (window acceptance → central review → final
    approval with their time limits), handled by the city's roles."""
    from forms.casework.roles import APPROVERS, REVIEWERS, WINDOW_CLERKS
    from forms.casework.timelimits import DEFAULT_WORKFLOW
    from forms.models import StepKind

    role_of = {
        StepKind.ACCEPT: WINDOW_CLERKS,
        StepKind.REVIEW: REVIEWERS,
        StepKind.APPROVE: APPROVERS,
    }
    groups = dict(
        Group.objects.filter(name__in=role_of.values()).values_list("name", "pk")
    )
    return [
        {
            "kind": step["kind"],
            "name": "",
            "handler_group": groups.get(role_of.get(step["kind"], "")),
            "time_limit_days": step["days"],
            "ORDER": order,
        }
        for order, step in enumerate(DEFAULT_WORKFLOW, start=1)
    ]


class ApplicationFormPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steps = self.formsets.get("review_steps")
        if steps is not None and not self.is_bound and self.instance.pk is None:
            # Offered as unsaved rows: the builder may change or remove them.
            defaults = default_review_steps()
            steps.extra = len(defaults)
            steps.initial_extra = defaults

        slug = self.fields.get("slug")
        if slug is None:
            return
        slug.required = False
        slug.help_text = _(
            "Leave empty for a readable one: zaixian-shenqing under a service "
            "guide, otherwise the pinyin of the title."
        )
        if not self.instance.pk and self.parent_page is not None:
            if not self.initial.get("slug"):
                self.initial["slug"] = default_slug(self.parent_page, "")

    def _refuse(self, message: str) -> None:
        # The reason at the top of the editor, whichever tab is open, and a
        # pointer beside the choice (the Review tab then shows an error count).
        self.add_error(None, message)
        self.add_error(
            "review_none", _("Add review steps below, or tick this box, to publish.")
        )

    def _kept_steps(self) -> list[dict]:
        steps = self.formsets.get("review_steps")
        if steps is None or not steps.is_valid():
            return []
        return [
            form.cleaned_data
            for form in steps.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("kind")
        ]

    def clean(self):
        if "slug" in self.cleaned_data:
            self.cleaned_data["slug"] = self._readable_slug(self.cleaned_data["slug"])
        cleaned_data = super().clean()
        if not any(self.data.get(action) for action in PUBLISHING_ACTIONS):
            return cleaned_data
        steps = self._kept_steps()
        if cleaned_data.get("review_none"):
            if steps:
                self._refuse(
                    _(
                        "Either remove the review steps or untick 'no review': a "
                        "form cannot have both."
                    ),
                )
        elif not steps:
            self._refuse(
                _(
                    "This form cannot be published without review: add at least one "
                    "review step on the Review tab, or tick 'no review' if "
                    "applications need none. Nothing you entered was lost."
                ),
            )
        else:
            self._check_statutory_limit(steps)
        return cleaned_data

    def _readable_slug(self, slug: str) -> str:
        title = self.cleaned_data.get("title") or self.instance.title or ""
        # A new page is "live" until Wagtail saves it as a draft.
        live = bool(self.instance.pk) and self.instance.live
        if slug and (live or not is_automatic(slug, title)):
            return slug
        if live and self.instance.slug:
            return self.instance.slug
        if self.parent_page is None:
            return slug
        return default_slug(self.parent_page, title, self.instance.pk) or slug

    def _post_clean(self):
        # The StreamField checked the blocks (its errors are this form's).
        self.instance.blocks_checked_by_editor = STREAM in self.fields
        super()._post_clean()

    def get_field_updates_for_resave(self):
        """After a background save, the slug and the keys the server made, so
        that the editor shows them and posts them next time."""
        updates = list(super().get_field_updates_for_resave())
        if self.data.get("slug") != self.instance.slug:
            updates.append(("slug", self.instance.slug))
        return updates + self._key_updates()

    def _key_updates(self) -> list[tuple[str, str]]:
        # The stream's blocks in the order they were posted (as StreamBlock
        # reads them), matched to the saved blocks by position.
        data = self.data
        count = parse_int(data.get(f"{STREAM}-count"), 0, maximum=MAX_BLOCKS)
        posted = []
        for index in range(count):
            if data.get(f"{STREAM}-{index}-deleted"):
                continue
            order = parse_int(data.get(f"{STREAM}-{index}-order"), index)
            posted.append((order, index))
        posted.sort()
        updates = []
        # A posted block of an unknown type is dropped, so the lists may differ
        # in length; only the leading, matching ones are compared then.
        saved = self.instance.form_fields
        for (_order, index), child in zip(posted, saved, strict=False):
            name = f"{STREAM}-{index}-value-key"
            key = child.value.get("key") if hasattr(child.value, "get") else None
            if key and name in data and data.get(name) != key:
                updates.append((name, key))
        return updates

    def _check_statutory_limit(self, steps: list[dict]) -> None:
        from forms.casework.timelimits import limits_of

        guide = self.parent_page.specific if self.parent_page else None
        statutory = getattr(guide, "statutory_limit_days", None)
        promised = limits_of(
            [{"kind": s["kind"], "days": s.get("time_limit_days") or 0} for s in steps]
        ).promised
        if statutory is not None and promised > statutory:
            self._refuse(
                _(
                    "The review steps take %(promised)s working days in all (publicity "
                    "aside), more than the guide's statutory time limit of "
                    "%(statutory)s working days. Shorten the steps or correct the "
                    "guide."
                )
                % {"promised": promised, "statutory": statutory},
            )

"""The page editor's form for an application form page.

A new form gets a slug people can read: ``zaixian-shenqing`` under a service
guide, the pinyin of its title elsewhere, never percent-encoded Chinese. The
form's blocks are checked by their StreamField block by block (each error on
the block at fault, forms/builder/blocks.py), so the model does not check them
a second time against the page as it was before the edit.
"""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.coreutils import find_available_slug

from cms.core.params import parse_int
from cms.services.models import ServiceGuidePage
from forms.builder.keys import readable_slug

STREAM = "form_fields"
MAX_BLOCKS = 10_000


def default_slug(parent, title: str, page_id=None) -> str:
    """A readable slug for a form page under ``parent``, free among its siblings."""
    base = readable_slug(title, isinstance(parent.specific, ServiceGuidePage))
    return find_available_slug(parent, base, ignore_page_id=page_id) if base else ""


def is_automatic(slug: str, title: str) -> bool:
    """Is this the slug Wagtail's editor made from the title by itself (kept in
    Chinese, as Wagtail allows)? A slug typed by hand is left as it is."""
    return bool(slug) and not slug.isascii() and slug == slugify(title, True)


class ApplicationFormPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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

    def clean(self):
        if "slug" in self.cleaned_data:
            self.cleaned_data["slug"] = self._readable_slug(self.cleaned_data["slug"])
        return super().clean()

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

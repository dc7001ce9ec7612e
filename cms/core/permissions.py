"""The page permission tester every page of the hall answers with.

Wagtail asks `page.permissions_for_user(user)` before every page action: the
editor, publish, unpublish, delete, move, copy, privacy, locking, revisions,
scheduling, the bulk actions (and the descendants they include) and the publish
that ends a moderation workflow. Narrowing the tester narrows all of them at
once, where hooks on single views leave the other paths open.

Apps narrow it through the `restrict_page_actions` hook: a function
`(user, page) -> set of action names` (the tester's method names without
`can_`, e.g. "unpublish", "set_view_restrictions"), or `ALL_ACTIONS`. Only
refusals: a hook never grants what Wagtail's page permissions do not.
"""

from __future__ import annotations

from functools import cached_property

from wagtail import hooks
from wagtail.models import PagePermissionTester

ALL_ACTIONS = frozenset(
    {
        "add_subpage",
        "edit",
        "delete",
        "unpublish",
        "publish",
        "submit_for_moderation",
        "set_view_restrictions",
        "unschedule",
        "lock",
        "unlock",
        "publish_subpage",
        "reorder_children",
        "move",
        "copy",
    }
)


class HallPagePermissionTester(PagePermissionTester):
    @cached_property
    def refused(self) -> frozenset[str]:
        if not self.user.is_active:
            return frozenset()
        refused: set[str] = set()
        for hook in hooks.get_hooks("restrict_page_actions"):
            refused |= set(hook(self.user, self.page) or ())
            if refused >= ALL_ACTIONS:
                break
        return frozenset(refused)

    def _allows(self, action: str) -> bool:
        return action not in self.refused

    def can_add_subpage(self):
        return self._allows("add_subpage") and super().can_add_subpage()

    def can_edit(self):
        return self._allows("edit") and super().can_edit()

    def can_delete(self, ignore_bulk=False):
        return self._allows("delete") and super().can_delete(ignore_bulk)

    def can_unpublish(self):
        return self._allows("unpublish") and super().can_unpublish()

    def can_publish(self):
        return self._allows("publish") and super().can_publish()

    def can_submit_for_moderation(self):
        return (
            self._allows("submit_for_moderation")
            and super().can_submit_for_moderation()
        )

    def can_set_view_restrictions(self):
        return (
            self._allows("set_view_restrictions")
            and super().can_set_view_restrictions()
        )

    def can_unschedule(self):
        return self._allows("unschedule") and super().can_unschedule()

    def can_lock(self):
        return self._allows("lock") and super().can_lock()

    def can_unlock(self):
        return self._allows("unlock") and super().can_unlock()

    def can_publish_subpage(self):
        return self._allows("publish_subpage") and super().can_publish_subpage()

    def can_reorder_children(self):
        return self._allows("reorder_children") and super().can_reorder_children()

    def can_move(self):
        return self._allows("move") and super().can_move()

    def can_copy(self):
        return self._allows("copy") and super().can_copy()

    def can_move_to(self, destination):
        return self._allows("move") and super().can_move_to(destination)

    def can_copy_to(self, destination, recursive=False):
        return self._allows("copy") and super().can_copy_to(destination, recursive)

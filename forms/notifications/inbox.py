"""The in-site inbox: a user's notification messages, unread first.

Every query is filtered by the signed-in recipient, so a message id of someone
else's is a 404, never a page (docs/security.md D1).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from forms.models import Message

PAGE_SIZE = 20


def unread_count(user) -> int:
    """The signed-in user's unread messages: one COUNT query, none for a visitor."""
    if not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


@never_cache
@login_required
def message_list(request):
    messages = (
        Message.objects.filter(recipient=request.user)
        .select_related("application")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")
    )
    page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forms/notifications/inbox.html",
        {
            "page_obj": page,
            "unread": unread_count(request.user),
            "page_title": pgettext_lazy("inbox", "Messages"),
        },
    )


@never_cache
@login_required
def message_detail(request, message_id: int):
    message = get_object_or_404(
        Message.objects.select_related("application"),
        pk=message_id,
        recipient=request.user,
    )
    if message.read_at is None:
        # Opening a message reads it; the condition keeps the first time.
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        message.read_at = timezone.now()
    return render(
        request,
        "forms/notifications/message.html",
        {"message": message, "page_title": message.title},
    )


@require_POST
@login_required
def mark_all_read(request):
    Message.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return HttpResponseRedirect(reverse("applications:messages"), status=303)

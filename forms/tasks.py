"""Background tasks of the applications app (django-tasks).

settings.TASKS picks the backend: the immediate backend (the default) runs a
task inline when it is queued; production runs a database-backed queue and a
worker process. Tasks take ids, never objects, so any backend can store them.
"""

from django_tasks import task

from forms.notifications.dispatch import send_delivery


@task()
def deliver(delivery_id: int) -> str:
    """Send one notification e-mail or SMS (forms.notifications.dispatch.send_delivery)."""
    return send_delivery(delivery_id)

"""Background work of events, run by django-tasks workers (`manage.py db_worker`)."""

from django_tasks import task

from clusterhub.events.services import expire_meeting_requests


@task()
def expire_b2b_requests() -> dict[str, int]:
    """Expire unanswered B2B meeting requests and free their slots (the pages do it too,
    whenever they are read)."""
    return {"expired": expire_meeting_requests()}

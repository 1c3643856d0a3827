"""Background work of the digest, run by django-tasks workers (`manage.py db_worker`)."""

from django_tasks import task

from clusterhub.digest.services import send_digests


@task()
def send_digests_task() -> dict[str, int]:
    """Send every digest that is due (what `manage.py send_digests` does)."""
    report = send_digests()
    return {"due": report.due, "sent": report.sent, "empty": report.empty, "failed": report.failed}

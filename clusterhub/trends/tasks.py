"""Background work of the trends app, run by django-tasks workers (`manage.py db_worker`)."""

from django_tasks import task

from clusterhub.trends.services import trend_run_execute


@task()
def trend_run_task(run_id: int) -> dict[str, object]:
    """Execute a queued trend run (see services.trend_run_start); its page polls the progress."""
    run = trend_run_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status, "topics": run.topics.count()}

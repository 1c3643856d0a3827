"""Background work of the registry, run by django-tasks workers (`manage.py db_worker`)."""

from django_tasks import task

from clusterhub.registry.import_jobs import import_job_execute


@task()
def import_job_run(job_id: int) -> None:
    """Commit a large import uploaded in the UI (see import_jobs.import_job_commit)."""
    import_job_execute(job_id=job_id)

"""Background work of the projects app, run by django-tasks workers (`manage.py db_worker`)."""

from django_tasks import task

from clusterhub.projects.import_jobs import import_job_execute


@task()
def project_import_run(job_id: int, dry_run: bool) -> None:
    """The dry run or the commit of a large project import (see import_jobs)."""
    import_job_execute(job_id=job_id, dry_run=dry_run)

"""Imports started from the web UI: upload, column mapping and dry run, then the commit.

A file is stored under MEDIA_ROOT/imports with a random name and tracked by an `ImportJob`.
The commit runs at once for small files and as a background task (registry.tasks) for files
with more than LARGE_IMPORT_ROWS rows; the job page polls until it is done.
"""

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from clusterhub.core.uploads import CSV_CONTENT_TYPES, content_problem, declared_type
from clusterhub.regions.models import Cluster
from clusterhub.registry.importing import ImportReport, import_organizations, read_headers
from clusterhub.registry.models import ImportJob, ImportJobStatus
from clusterhub.registry.selectors import cluster_get_for_manager

LARGE_IMPORT_ROWS = 2000

# What browsers and operating systems send for each accepted extension.
ACCEPTED_TYPES = {
    ".csv": CSV_CONTENT_TYPES,
    ".xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
        "application/octet-stream",
    },
}


def import_upload_problem(upload: UploadedFile) -> Any:
    """Why an uploaded file cannot be an import (size, extension, type, content), or None."""
    if upload.size is not None and upload.size > settings.CLUSTERHUB_IMPORT_MAX_BYTES:
        return _("The file is larger than %(mb)d MB.") % {
            "mb": settings.CLUSTERHUB_IMPORT_MAX_BYTES // (1024 * 1024)
        }
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in ACCEPTED_TYPES:
        return _("Only .csv and .xlsx files can be imported.")
    content_type = declared_type(upload)
    if content_type not in ACCEPTED_TYPES[suffix]:
        return _("The file's type (%(type)s) does not match its .%(ext)s extension.") % {
            "type": content_type or "?",
            "ext": suffix[1:],
        }
    return content_problem(upload, suffix)


def import_jobs_for_cluster(cluster: Cluster) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(cluster=cluster).select_related("created_by")[:20]


def import_job_get_for_manager(*, user: object, cluster_slug: str, job_id: int) -> ImportJob:
    """A job of a cluster the user manages, or 404."""
    cluster = cluster_get_for_manager(user=user, slug=cluster_slug)
    job = ImportJob.objects.filter(cluster=cluster, pk=job_id).select_related("cluster").first()
    if job is None:
        raise Http404("No such import")
    return job


@transaction.atomic
def import_job_create(*, cluster: Cluster, actor: Any, upload: UploadedFile) -> ImportJob:
    problem = import_upload_problem(upload)
    if problem:
        raise ValidationError(problem, code="invalid_upload")
    job = ImportJob(cluster=cluster, created_by=actor, original_name=(upload.name or "")[-255:])
    job.file.save(upload.name or "upload", upload, save=False)
    job.full_clean()
    job.save()
    return job


def import_job_headers(*, job: ImportJob) -> tuple[list[str], dict[str, str]]:
    """The file's headers and the suggested mapping; ImportFileError when unreadable."""
    return read_headers(job.file.path, filename=job.original_name)


def import_job_check(*, job: ImportJob, mapping: dict[str, str]) -> ImportReport:
    """Dry run with this mapping; the report is kept on the job."""
    if job.status not in (ImportJobStatus.UPLOADED, ImportJobStatus.CHECKED):
        raise ValidationError(_("This import has already been started."), code="started")
    report = import_organizations(
        job.file.path,
        mapping=mapping,
        dry_run=True,
        actor=job.created_by,
        cluster=job.cluster,
        filename=job.original_name,
    )
    job.mapping = mapping
    job.report = report.to_dict()
    job.status = ImportJobStatus.CHECKED
    job.save(update_fields=["mapping", "report", "status", "updated_at"])
    return report


@transaction.atomic
def import_job_commit(*, job: ImportJob) -> ImportJob:
    """Import a checked file: at once when small, else in the background."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportJobStatus.CHECKED:
        raise ValidationError(_("This import has already been started."), code="started")
    if not locked.report.get("ok"):
        raise ValidationError(_("Fix the errors in the file and upload it again."), code="errors")
    if locked.report.get("rows", 0) > LARGE_IMPORT_ROWS:
        from clusterhub.registry.tasks import import_job_run

        locked.status = ImportJobStatus.QUEUED
        locked.save(update_fields=["status", "updated_at"])
        transaction.on_commit(lambda: import_job_run.enqueue(job_id=locked.pk))
        return locked
    return import_job_execute(job_id=locked.pk)


def import_job_execute(*, job_id: int) -> ImportJob:
    """Run the commit of a job (from the request or the task) and record the outcome."""
    job = ImportJob.objects.select_related("cluster", "created_by").get(pk=job_id)
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])
    report = import_organizations(
        job.file.path,
        mapping=job.mapping,
        dry_run=False,
        actor=job.created_by,
        cluster=job.cluster,
        filename=job.original_name,
    )
    job.report = report.to_dict()
    job.status = ImportJobStatus.DONE if report.committed else ImportJobStatus.FAILED
    job.save(update_fields=["report", "status", "updated_at"])
    return job

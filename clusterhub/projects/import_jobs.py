"""Project imports started from the web UI: upload, dry run, then the commit.

The files are stored under MEDIA_ROOT/imports/projects with random names and tracked by a
`ProjectImportJob`. The dry run and the commit run at once when the files are small, else as
background tasks (projects.tasks, `manage.py db_worker`); the job page polls until done.
"""

from __future__ import annotations

import time
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clusterhub.core.uploads import CSV_CONTENT_TYPES, content_problem, declared_type
from clusterhub.projects.cordis import LAYOUTS
from clusterhub.projects.importing import AUTO, import_projects
from clusterhub.projects.models import ProjectImportFile, ProjectImportJob
from clusterhub.registry.models import ImportJobStatus

# Above this many bytes in all, the dry run and the commit run in the background.
LARGE_IMPORT_BYTES = 1_000_000
MAX_FILES = 6
PROGRESS_EVERY_SECONDS = 0.5

ACCEPTED_TYPES = {
    ".csv": CSV_CONTENT_TYPES,
    ".json": {"application/json", "text/json", "text/plain", "application/octet-stream"},
    ".xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
        "application/octet-stream",
    },
}


def upload_problem(upload: UploadedFile) -> Any:
    """Why an uploaded file cannot be a CORDIS file (size, extension, type, content), or None."""
    name = upload.name or ""
    if upload.size is not None and upload.size > settings.CLUSTERHUB_IMPORT_MAX_BYTES:
        return _("%(file)s is larger than %(mb)d MB.") % {
            "file": name,
            "mb": settings.CLUSTERHUB_IMPORT_MAX_BYTES // (1024 * 1024),
        }
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED_TYPES:
        return _("%(file)s: only .csv, .json and .xlsx files can be imported.") % {"file": name}
    content_type = declared_type(upload)
    if content_type not in ACCEPTED_TYPES[suffix]:
        return _("%(file)s: its type (%(type)s) does not match its extension.") % {
            "file": name,
            "type": content_type or "?",
        }
    return content_problem(upload, suffix, name)


@transaction.atomic
def import_job_create(
    *, actor: Any, uploads: list[UploadedFile], layout: str = AUTO
) -> ProjectImportJob:
    if not uploads:
        raise ValidationError(_("Choose at least one file."), code="no_file")
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            _("At most %(count)d files can be imported together.") % {"count": MAX_FILES},
            code="too_many",
        )
    if layout not in (AUTO, *LAYOUTS):
        raise ValidationError(_("Unknown layout."), code="layout")
    problems = [p for p in (upload_problem(u) for u in uploads) if p]
    if problems:
        raise ValidationError(problems, code="invalid_upload")
    job = ProjectImportJob(created_by=actor, layout=layout)
    job.full_clean()
    job.save()
    for upload in uploads:
        stored = ProjectImportFile(job=job, original_name=(upload.name or "upload")[-255:])
        stored.file.save(upload.name or "upload", upload, save=False)
        stored.full_clean()
        stored.save()
    return job


def _total_bytes(job: ProjectImportJob) -> int:
    return sum(f.file.size for f in job.files.all())


def _start(job: ProjectImportJob, *, dry_run: bool) -> ProjectImportJob:
    """Run now when small, else enqueue; `job` is locked by the caller."""
    if _total_bytes(job) <= LARGE_IMPORT_BYTES:
        job.status = ImportJobStatus.RUNNING
        job.save(update_fields=["status", "updated_at"])
        return import_job_execute(job_id=job.pk, dry_run=dry_run)
    from clusterhub.projects.tasks import project_import_run

    job.status = ImportJobStatus.QUEUED
    job.progress = 0
    job.save(update_fields=["status", "progress", "updated_at"])
    transaction.on_commit(lambda: project_import_run.enqueue(job_id=job.pk, dry_run=dry_run))
    return job


@transaction.atomic
def import_job_check(*, job: ProjectImportJob) -> ProjectImportJob:
    """Start the dry run of an uploaded job."""
    locked = ProjectImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportJobStatus.UPLOADED:
        raise ValidationError(_("This import has already been started."), code="started")
    return _start(locked, dry_run=True)


@transaction.atomic
def import_job_commit(*, job: ProjectImportJob) -> ProjectImportJob:
    """Import checked files: at once when small, else in the background."""
    locked = ProjectImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportJobStatus.CHECKED:
        raise ValidationError(_("This import has already been started."), code="started")
    if not locked.report.get("ok"):
        raise ValidationError(
            _("Fix the errors in the files and upload them again."), code="errors"
        )
    return _start(locked, dry_run=False)


def import_job_execute(*, job_id: int, dry_run: bool) -> ProjectImportJob:
    """Run the dry run or the commit of a job (from the request or the task), record it."""
    job = (
        ProjectImportJob.objects.select_related("created_by")
        .prefetch_related("files")
        .get(pk=job_id)
    )
    job.status = ImportJobStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])
    last = [0.0]

    def progress(done: int, total: int, rows: int) -> None:
        # Only a dry run: a commit's writes are not seen by others before it ends anyway.
        now = time.monotonic()
        if dry_run and now - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = now
            percent = int(100 * done / total) if total else 0
            ProjectImportJob.objects.filter(pk=job_id).update(progress=min(percent, 99))

    with_files = []
    try:
        for stored in job.files.all():
            stored.file.open("rb")
            with_files.append(stored)
        report = import_projects(
            [(f.file.file, f.original_name) for f in with_files],
            layout=job.layout,
            dry_run=dry_run,
            progress=progress,
            actor=job.created_by,
        )
    finally:
        for stored in with_files:
            stored.file.close()
    job.report = report.to_dict()
    job.progress = 100
    if dry_run:
        job.status = ImportJobStatus.CHECKED
    else:
        job.status = ImportJobStatus.DONE if report.committed else ImportJobStatus.FAILED
    job.save(update_fields=["report", "progress", "status", "updated_at"])
    return job

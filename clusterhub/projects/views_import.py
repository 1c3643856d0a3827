"""Project import in the UI, for regional officers: upload, dry run, import."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.projects import import_jobs
from clusterhub.projects.forms import LAYOUT_LABELS, ImportUploadForm
from clusterhub.projects.models import ProjectImportJob
from clusterhub.projects.selectors import import_job_get, import_jobs_recent
from clusterhub.registry.models import ImportJobStatus


@access(Policy.OFFICER)
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.import_job_create(
                actor=request.user,
                uploads=form.cleaned_data["files"],
                layout=form.cleaned_data["layout"],
            )
            import_jobs.import_job_check(job=job)
        except ValidationError as exc:
            form.add_error("files", exc)
        else:
            return redirect("projects:import_detail", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/import/start.html",
        {"form": form, "jobs": import_jobs_recent()},
        status=status,
    )


def _job_context(job: ProjectImportJob) -> dict[str, Any]:
    running = job.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
    report = job.report or {}
    return {
        "job": job,
        "report": report,
        "running": running,
        "checking": running and not report,
        "layout_label": LAYOUT_LABELS.get(job.layout, job.layout),
        "can_commit": job.status == ImportJobStatus.CHECKED and report.get("ok"),
    }


@access(Policy.OFFICER)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    """The dry run's report, or the outcome; htmx polls it while it runs."""
    job = import_job_get(job_id=job_id)
    template = "projects/import/_job.html" if request.htmx else "projects/import/detail.html"
    return render(request, template, _job_context(job))


@access(Policy.OFFICER)
@require_POST
def import_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get(job_id=job_id)
    try:
        import_jobs.import_job_commit(job=job)
    except ValidationError as exc:
        context = _job_context(job)
        context["commit_problem"] = " ".join(exc.messages)
        return render(request, "projects/import/detail.html", context, status=409)
    return redirect("projects:import_detail", job_id=job.pk)

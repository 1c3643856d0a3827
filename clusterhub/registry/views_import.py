"""Bulk import in the UI: upload, map the columns, check (dry run), import.

Cluster managers import into their own cluster, regional officers into any: every view
resolves the cluster with `cluster_get_for_manager`, which answers 404 for the others.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from clusterhub.core.access import Policy, access
from clusterhub.registry import import_jobs
from clusterhub.registry.importing import COLUMNS, ImportFileError
from clusterhub.registry.models import ImportJob, ImportJobStatus, Organization
from clusterhub.registry.selectors import cluster_get_for_manager

EXTRA_COLUMN_LABELS = {
    "competences": _("competences"),
    "s3_themes": _("S3 themes"),
    "clusters": _("clusters"),
    "membership_role": _("membership role"),
    "membership_status": _("membership status"),
    "member_since": _("member since"),
}

DELIMITER_NAMES = {";": _("semicolon"), ",": _("comma"), "\t": _("tab")}


def _column_label(column: str) -> Any:
    if column in EXTRA_COLUMN_LABELS:
        return EXTRA_COLUMN_LABELS[column]
    return Organization._meta.get_field(column).verbose_name


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class MappingForm(forms.Form):
    """One select per column of the file: which field it fills, or none."""

    def __init__(self, *args: Any, headers: list[str], suggested: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("(ignore this column)"))] + [(c, _column_label(c)) for c in COLUMNS]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header or _("(column %(n)d without a header)") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=suggested.get(header, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data[f"column_{index}"]
            for index, header in enumerate(self.headers)
        }


@access(Policy.MANAGER)
def import_start(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_jobs.import_job_create(
                cluster=cluster, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("registry_import:mapping", slug=cluster.slug, job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "registry/import/start.html",
        {
            "cluster": cluster,
            "form": form,
            "jobs": import_jobs.import_jobs_for_cluster(cluster),
            "columns": [(c, _column_label(c)) for c in COLUMNS],
        },
        status=status,
    )


@access(Policy.MANAGER)
def import_mapping(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    job = import_jobs.import_job_get_for_manager(
        user=request.user, cluster_slug=slug, job_id=job_id
    )
    if job.status not in (ImportJobStatus.UPLOADED, ImportJobStatus.CHECKED):
        return redirect("registry_import:detail", slug=slug, job_id=job.pk)
    try:
        headers, suggested = import_jobs.import_job_headers(job=job)
    except ImportFileError as exc:
        return render(
            request,
            "registry/import/unreadable.html",
            {"cluster": job.cluster, "job": job, "problem": str(exc)},
            status=400,
        )
    form = MappingForm(request.POST or None, headers=headers, suggested=job.mapping or suggested)
    if request.method == "POST" and form.is_valid():
        import_jobs.import_job_check(job=job, mapping=form.mapping())
        return redirect("registry_import:detail", slug=slug, job_id=job.pk)
    return render(
        request, "registry/import/mapping.html", {"cluster": job.cluster, "job": job, "form": form}
    )


@access(Policy.MANAGER)
def import_detail(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """The dry-run preview and error report, or the outcome; htmx polls it while it runs."""
    job = import_jobs.import_job_get_for_manager(
        user=request.user, cluster_slug=slug, job_id=job_id
    )
    template = "registry/import/_job.html" if request.htmx else "registry/import/detail.html"
    return render(request, template, _job_context(job))


@access(Policy.MANAGER)
@require_POST
def import_commit(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    job = import_jobs.import_job_get_for_manager(
        user=request.user, cluster_slug=slug, job_id=job_id
    )
    try:
        import_jobs.import_job_commit(job=job)
    except ValidationError as exc:
        context = _job_context(job)
        context["commit_problem"] = " ".join(exc.messages)
        return render(request, "registry/import/detail.html", context, status=409)
    return redirect("registry_import:detail", slug=slug, job_id=job.pk)


def _job_context(job: ImportJob) -> dict[str, Any]:
    running = job.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
    return {
        "delimiter": DELIMITER_NAMES.get(job.report.get("delimiter", ""), ""),
        "cluster": job.cluster,
        "job": job,
        "report": job.report,
        "running": running,
        "can_commit": job.status == ImportJobStatus.CHECKED and job.report.get("ok"),
    }

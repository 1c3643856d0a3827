"""The upload page for regional officers: dry run, then the import, in the background when big."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from clusterhub.projects import import_jobs
from clusterhub.projects.models import Project, ProjectImportJob
from tests.projects.helpers import FILES, INRAE_CSV

pytestmark = pytest.mark.django_db


def _uploads(*paths, content_type="text/csv"):
    return [SimpleUploadedFile(p.name, p.read_bytes(), content_type=content_type) for p in paths]


def test_an_officer_uploads_checks_and_imports(client, officer, media):
    client.force_login(officer)

    response = client.post(
        reverse("projects:import_start"), {"files": _uploads(*INRAE_CSV), "layout": "auto"}
    )

    job = ProjectImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:import_detail", args=[job.pk])
    assert (job.status, job.report["projects_created"], job.report["ok"]) == ("checked", 3, True)
    assert Project.objects.count() == 0  # a dry run so far
    page = client.get(response["Location"]).content.decode()
    assert "Result of the dry run" in page and "Import 50 rows" in page

    committed = client.post(reverse("projects:import_commit", args=[job.pk]))

    job.refresh_from_db()
    assert committed.status_code == 302
    assert (job.status, job.report["committed"]) == ("done", True)
    assert Project.objects.count() == 3
    again = client.post(reverse("projects:import_commit", args=[job.pk]))
    assert again.status_code == 409


def test_the_dry_run_lists_each_problem_and_offers_no_import(client, officer, media):
    client.force_login(officer)
    bad = (FILES / "inrae_projects.csv").read_bytes().replace(b"2015-03-01", b"2015-03-41")
    upload = SimpleUploadedFile("inrae_projects.csv", bad, content_type="text/csv")

    client.post(reverse("projects:import_start"), {"files": [upload], "layout": "auto"})

    job = ProjectImportJob.objects.get()
    page = client.get(reverse("projects:import_detail", args=[job.pk])).content.decode()
    assert job.report["error_count"] == 1
    assert "inrae_projects.csv" in page and "startDate" in page and "is not a date" in page
    assert reverse("projects:import_commit", args=[job.pk]) not in page
    assert client.post(reverse("projects:import_commit", args=[job.pk])).status_code == 409


def test_big_uploads_run_in_the_background_and_are_polled(
    client, officer, media, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(import_jobs, "LARGE_IMPORT_BYTES", 10)
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("projects:import_start"), {"files": _uploads(*INRAE_CSV)})

    job = ProjectImportJob.objects.get()
    assert (job.status, job.report) == ("queued", {})  # waiting for a worker
    queued = client.get(reverse("projects:import_detail", args=[job.pk])).content.decode()
    assert "every 2s" in queued  # the page polls
    for callback in callbacks:  # the transaction commits: the task runs (immediate backend)
        callback()
    job.refresh_from_db()
    assert job.status == "checked" and job.report["projects_created"] == 3
    poll = client.get(reverse("projects:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and 'id="import-job"' in poll.content.decode()


def test_uploads_of_other_kinds_are_refused(client, officer, media):
    client.force_login(officer)
    exe = SimpleUploadedFile("tool.exe", b"MZ\x00\x00", content_type="application/octet-stream")

    response = client.post(reverse("projects:import_start"), {"files": [exe]})

    assert response.status_code == 400
    assert "only .csv, .json and .xlsx files" in response.content.decode()
    assert not ProjectImportJob.objects.exists()


def test_only_regional_officers_import(client, manager, media):
    client.force_login(manager)

    assert client.get(reverse("projects:import_start")).status_code == 403


def test_the_command_imports_and_reports(capsys):
    call_command("import_projects", *map(str, INRAE_CSV), "--no-progress")

    out = capsys.readouterr().out
    assert "inrae_projects.csv: inrae-csv projects, 3 rows" in out
    assert "3 projects were created" in out
    assert Project.objects.count() == 3


def test_the_command_draws_a_progress_bar_and_a_dry_run_stores_nothing(capsys):
    call_command("import_projects", *map(str, INRAE_CSV), "--dry-run")

    captured = capsys.readouterr()
    assert "[##############################] 100%" in captured.err
    assert "3 projects would be created" in captured.out
    assert Project.objects.count() == 0


def test_the_command_fails_on_bad_rows(copy_file, capsys):
    bad = copy_file("inrae_projects.csv", ("194046.6,194046.6", "-1,194046.6"))

    with pytest.raises(CommandError, match="1 problems: nothing was imported"):
        call_command("import_projects", str(bad), "--no-progress")

    assert "inrae_projects.csv, line 2, column 'totalCost'" in capsys.readouterr().out
    assert Project.objects.count() == 0

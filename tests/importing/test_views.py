"""The import pages: a manager uploads, maps, previews and commits; others are kept out."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusterhub.registry import import_jobs
from clusterhub.registry.models import ImportJob, Membership, Organization
from tests.factories import ClusterRoleFactory
from tests.importing.sample import write_organizations_csv

pytestmark = pytest.mark.django_db

GOOD_CSV = "Ragione sociale;Città;Tipo\r\nAlfa Srl;Bologna;impresa\r\nBeta;Parma;firm\r\n".encode(
    "cp1252"
)


def _upload(client, slug="agrifood", content=GOOD_CSV, name="soci.csv", content_type="text/csv"):
    return client.post(
        reverse("registry_import:start", kwargs={"slug": slug}),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_a_manager_uploads_maps_previews_and_commits(client, manager, agrifood, media):
    client.force_login(manager)

    response = _upload(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "registry_import:mapping", kwargs={"slug": "agrifood", "job_id": job.pk}
    )
    assert job.file.name.startswith("imports/") and "soci" not in job.file.name

    page = client.get(response.url)
    assert page.status_code == 200
    assert '<option value="name" selected>' in page.content.decode()

    response = client.post(
        response.url, {"column_0": "name", "column_1": "city", "column_2": "kind"}
    )
    detail_url = reverse("registry_import:detail", kwargs={"slug": "agrifood", "job_id": job.pk})
    assert response.url == detail_url
    preview = client.get(detail_url).content.decode()
    assert "Windows-1252" in preview and "Alfa Srl" in preview
    assert not Organization.objects.exists()

    response = client.post(
        reverse("registry_import:commit", kwargs={"slug": "agrifood", "job_id": job.pk})
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.report["created"], job.created_by) == ("done", 2, manager)
    assert Membership.objects.filter(cluster=agrifood).count() == 2
    again = client.post(
        reverse("registry_import:commit", kwargs={"slug": "agrifood", "job_id": job.pk})
    )
    assert again.status_code == 409
    assert Organization.objects.count() == 2


def test_the_preview_lists_every_bad_row_and_offers_no_import(client, manager, media):
    client.force_login(manager)
    _upload(client, content=b"name;kind\n<b>x</b>;firm\nok;firm\n=1+1;firm\n")
    job = ImportJob.objects.get()
    mapping_url = reverse("registry_import:mapping", kwargs={"slug": "agrifood", "job_id": job.pk})
    client.post(mapping_url, {"column_0": "name", "column_1": "kind"})

    page = client.get(
        reverse("registry_import:detail", kwargs={"slug": "agrifood", "job_id": job.pk})
    ).content.decode()

    assert '<th scope="row">2</th><td>name</td>' in page
    assert '<th scope="row">4</th><td>name</td>' in page
    assert "commit/" not in page
    response = client.post(
        reverse("registry_import:commit", kwargs={"slug": "agrifood", "job_id": job.pk})
    )
    assert response.status_code == 409
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "problem"),
    [
        ("soci.exe", b"MZ", "application/octet-stream", "Only .csv and .xlsx files"),
        ("soci.csv", b"a\x00b\x00", "text/csv", "contains binary data"),
        ("soci.xlsx", b"name;kind\n", "application/octet-stream", "is not an XLSX workbook"),
        ("soci.csv", b"name;kind\n", "image/png", "does not match its .csv extension"),
    ],
)
def test_it_refuses_uploads_by_extension_type_and_content(
    client, manager, media, name, content, content_type, problem
):
    client.force_login(manager)

    response = _upload(client, content=content, name=name, content_type=content_type)

    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_refuses_files_over_the_size_limit(client, manager, media, settings):
    settings.CLUSTERHUB_IMPORT_MAX_BYTES = 10
    client.force_login(manager)

    response = _upload(client)

    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_an_unreadable_file_gets_a_clear_page(client, manager, media):
    client.force_login(manager)
    _upload(client, content=b"\r\n\r\n", name="empty.csv")

    response = client.get(
        reverse(
            "registry_import:mapping",
            kwargs={"slug": "agrifood", "job_id": ImportJob.objects.get().pk},
        )
    )

    assert response.status_code == 400
    assert "The file is empty." in response.content.decode()


def test_a_large_file_is_committed_in_the_background_and_polled(
    client, manager, agrifood, media, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(manager)
    path = write_organizations_csv(tmp_path / "big.csv", import_jobs.LARGE_IMPORT_ROWS + 1)
    _upload(client, content=path.read_bytes(), name="big.csv")
    job = ImportJob.objects.get()
    client.post(
        reverse("registry_import:mapping", kwargs={"slug": "agrifood", "job_id": job.pk}),
        {
            f"column_{i}": f
            for i, f in enumerate(
                ["name", "vat_number", "postcode", "city", "kind", "competences", "clusters"]
            )
        },
    )
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    detail_url = reverse("registry_import:detail", kwargs={"slug": "agrifood", "job_id": job.pk})
    polling = client.get(detail_url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in polling and "<html" not in polling
    ImportJob.objects.filter(pk=job.pk).update(status="checked")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            reverse("registry_import:commit", kwargs={"slug": "agrifood", "job_id": job.pk})
        )

    assert len(callbacks) == 2  # the import's task, then the match index refresh it queues
    job.refresh_from_db()
    assert (job.status, job.report["created"]) == ("done", import_jobs.LARGE_IMPORT_ROWS + 1)
    done = client.get(detail_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done


def test_a_manager_of_another_cluster_gets_404(client, manager, mech, media):
    other = ClusterRoleFactory(cluster=mech).person
    client.force_login(manager)
    _upload(client)
    job = ImportJob.objects.get()
    client.force_login(other)

    assert _upload(client, slug="agrifood").status_code == 404
    for name in ("mapping", "detail", "commit"):
        url = reverse(f"registry_import:{name}", kwargs={"slug": "agrifood", "job_id": job.pk})
        assert client.post(url).status_code == 404
    mech_url = reverse("registry_import:detail", kwargs={"slug": "mech", "job_id": job.pk})
    assert client.get(mech_url).status_code == 404


def test_a_regional_officer_may_import_into_any_cluster(client, officer, media):
    client.force_login(officer)

    assert _upload(client, slug="mech").status_code == 302
    assert ImportJob.objects.get().cluster.slug == "mech"


def test_a_member_gets_403_and_an_anonymous_visitor_is_sent_to_sign_in(client, member, media):
    url = reverse("registry_import:start", kwargs={"slug": "agrifood"})

    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert _upload(client).status_code == 403
    assert not ImportJob.objects.exists()

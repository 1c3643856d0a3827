"""Every upload is checked by size, extension, declared type and its real content.

A CSV must decode as text, an XLSX or DOCX must be a zip with the parts that make it one;
the error names the file and the problem, and nothing is stored.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusterhub.assessment import services as assessment_services
from clusterhub.assessment.models import Attachment
from clusterhub.core.uploads import content_problem
from clusterhub.opportunities.models import Opportunity
from clusterhub.projects.models import ProjectImportJob
from clusterhub.registry.models import ImportJob

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zipped(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def real_xlsx():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["name", "kind"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name, content, content_type="text/csv"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plain.csv", b"name;kind\nAcme;company\n"),
        ("bom.csv", "\ufeffnome;città\nÀlfa;impresa\n".encode()),
        ("windows.csv", "nome;città\nAlfa;impresa\n".encode("cp1252")),
        ("utf16.csv", "nome;città\nAlfa;impresa\n".encode("utf-16")),
        ("data.json", b'{"projects": []}'),
        ("book.xlsx", real_xlsx()),
        ("letter.docx", zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})),
        ("sheet.ods", zipped({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
    ],
)
def test_files_that_are_what_they_say_pass(name, content):
    suffix = "." + name.rsplit(".", 1)[1]
    assert content_problem(upload(name, content), suffix) is None


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("image.csv", PNG, "image.csv is not a text file: it contains binary data."),
        ("nul.csv", b"a\x00b\x00", "contains binary data"),
        ("controls.csv", b"\x01\x02\x03\x04" * 100, "contains binary data"),
        ("text.xlsx", b"name;kind\n", "text.xlsx is not an XLSX workbook."),
        (
            "other.xlsx",
            zipped({"readme.txt": "hello"}),
            "other.xlsx is not an XLSX workbook. It has no [Content_Types].xml part.",
        ),
        ("torn.xlsx", b"PK\x03\x04" + b"\x00" * 40, "torn.xlsx is a damaged zip file."),
        ("fake.docx", real_xlsx(), "It has no word/document.xml part."),
        ("fake.ods", zipped({"mimetype": "text/plain"}), "not an OpenDocument spreadsheet"),
    ],
)
def test_files_whose_content_is_not_what_they_say_are_named(name, content, problem):
    suffix = "." + name.rsplit(".", 1)[1]
    found = content_problem(upload(name, content), suffix)
    assert found is not None and problem in found


def test_checking_leaves_the_file_ready_to_read_from_the_start():
    file = upload("book.xlsx", real_xlsx())
    assert content_problem(file, ".xlsx") is None
    assert file.read(4) == b"PK\x03\x04"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type", "problem"),
    [
        ("soci.csv", PNG, "text/csv", "soci.csv is not a text file"),
        ("soci.xlsx", zipped({"readme.txt": "x"}), XLSX, "It has no [Content_Types].xml part"),
    ],
)
def test_the_organization_import_refuses_disguised_files(
    client, manager, agrifood, media, name, content, content_type, problem
):
    client.force_login(manager)
    response = client.post(
        reverse("registry_import:start", kwargs={"slug": agrifood.slug}),
        {"file": upload(name, content, content_type)},
    )
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_organization_import_takes_a_utf16_csv(client, manager, agrifood, media):
    client.force_login(manager)
    content = "name;kind\nAlfa;company\n".encode("utf-16")
    response = client.post(
        reverse("registry_import:start", kwargs={"slug": agrifood.slug}),
        {"file": upload("soci.csv", content)},
    )
    assert response.status_code == 302
    assert ImportJob.objects.count() == 1


@pytest.mark.django_db
def test_the_project_import_refuses_disguised_files(client, officer, media):
    client.force_login(officer)
    response = client.post(
        reverse("projects:import_start"),
        {"files": [upload("projects.xlsx", zipped({"[Content_Types].xml": "<Types/>"}), XLSX)]},
    )
    assert response.status_code == 400
    assert "projects.xlsx is not an XLSX workbook. It has no xl/workbook.xml part." in (
        response.content.decode()
    )
    assert not ProjectImportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type", "problem"),
    [
        ("calls.txt", b"title;programme\n", "text/plain", "calls.txt: only .csv files"),
        ("calls.csv", b"title;programme\n", "image/png", "its type (image/png) does not match"),
        ("calls.csv", PNG, "text/csv", "calls.csv is not a text file"),
    ],
)
def test_the_opportunity_import_checks_extension_type_and_content(
    client, manager, agrifood, name, content, content_type, problem
):
    client.force_login(manager)
    response = client.post(
        reverse("opportunities:import"),
        {"cluster": agrifood.pk, "file": upload(name, content, content_type)},
    )
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
def test_assessment_attachments_are_checked_by_content(agrifood, manager, media):
    assessment = assessment_services.assessment_create(cluster=agrifood, year=2024, actor=manager)
    for name, content, problem in [
        ("table.csv", PNG, "table.csv is not a text file"),
        (
            "report.docx",
            zipped({"[Content_Types].xml": "<Types/>"}),
            "It has no word/document.xml part",
        ),
        ("sheet.xlsx", b"PK\x03\x04 not really", "sheet.xlsx is a damaged zip file"),
    ]:
        with pytest.raises(ValidationError, match=problem.replace(".", r"\.")):
            assessment_services.attachment_add(
                assessment=assessment, indicator="G3", upload=upload(name, content), actor=manager
            )
    assert not Attachment.objects.exists()
    good = assessment_services.attachment_add(
        assessment=assessment,
        indicator="G3",
        upload=upload("book.xlsx", real_xlsx()),
        actor=manager,
    )
    assert good.size > 0

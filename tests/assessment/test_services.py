"""Filling in an assessment: overrides stay visible, bad answers store nothing, statuses."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clusterhub.assessment import services
from clusterhub.assessment.models import Answer, Assessment, Attachment
from clusterhub.assessment.selectors import assessment_scores
from clusterhub.assessment.services import AnswerInput
from tests.assessment.helpers import member

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def assessment(agrifood, manager):
    for n in range(12):
        member(agrifood, f"Impresa {n}", size="small")
    return services.assessment_create(cluster=agrifood, year=YEAR, actor=manager)


def _answer(assessment, code):
    return Answer.objects.get(assessment=assessment, indicator=code)


def test_an_assessment_keeps_the_framework_version_it_was_started_with(assessment):
    assert assessment.framework_version == "2026.1"
    assert assessment.framework["areas"][0]["code"] == "structure"
    assert Answer.objects.filter(assessment=assessment).count() == 27


def test_a_second_assessment_of_the_same_year_is_refused(assessment, agrifood, manager):
    with pytest.raises(ValidationError, match="already has an assessment"):
        services.assessment_create(cluster=agrifood, year=YEAR, actor=manager)


@pytest.mark.parametrize("year", [1999, YEAR + 1])
def test_a_year_out_of_range_is_refused(agrifood, manager, year):
    with pytest.raises(ValidationError):
        services.assessment_create(cluster=agrifood, year=year, actor=manager)
    assert not Assessment.objects.exists()


def test_manual_answers_are_scored(assessment, manager):
    services.answers_save(
        assessment=assessment,
        area="governance",
        entries={
            "G1": AnswerInput(level="4"),
            "G2": AnswerInput(level="2", note="Agenda 2025-27 approved by the board."),
            "G3": AnswerInput(level="2"),
            "G4": AnswerInput(level=""),
        },
        actor=manager,
    )

    # (4 + 2 + 2 + 0) / 4 levels of 4 = 50%
    assert assessment_scores(assessment).by_area()["governance"] == 50.0
    assert _answer(assessment, "G2").note == "Agenda 2025-27 approved by the board."


def test_an_override_needs_a_note_and_keeps_the_platform_figure_visible(assessment, manager):
    assert (_answer(assessment, "S1").value, _answer(assessment, "S1").level) == (12, 1)

    with pytest.raises(ValidationError) as error:
        services.answers_save(
            assessment=assessment,
            area="structure",
            entries={"S1": AnswerInput(value="35", override=True)},
            actor=manager,
        )
    assert "S1" in error.value.message_dict

    services.answers_save(
        assessment=assessment,
        area="structure",
        entries={"S1": AnswerInput(value="35", override=True, note="23 members join in May.")},
        actor=manager,
    )
    answer = _answer(assessment, "S1")
    assert (answer.overridden, answer.value, answer.level) == (True, 35, 2)
    assert (answer.evidence["value"], answer.evidence["level"]) == (12, 1)


def test_reading_the_platform_again_keeps_an_override(assessment, agrifood, manager):
    services.answers_save(
        assessment=assessment,
        area="structure",
        entries={"S1": AnswerInput(value="35", override=True, note="Joining in May.")},
        actor=manager,
    )
    member(agrifood, "Nuova Srl")

    services.evidence_refresh(assessment=assessment, actor=manager)

    answer = _answer(assessment, "S1")
    assert (answer.value, answer.level, answer.evidence["value"]) == (35, 2, 13)


def test_a_bad_answer_stores_none_of_the_area(assessment, manager):
    with pytest.raises(ValidationError) as error:
        services.answers_save(
            assessment=assessment,
            area="governance",
            entries={"G1": AnswerInput(level="3"), "G3": AnswerInput(level="7")},
            actor=manager,
        )

    assert error.value.message_dict == {"G3": ["Choose a level from 0 to 4."]}
    assert _answer(assessment, "G1").level is None


def test_hostile_notes_are_cleaned_and_limited(assessment, manager):
    services.answers_save(
        assessment=assessment,
        area="governance",
        entries={"G1": AnswerInput(level="1", note="<script>x</script>\x00\x07ok")},
        actor=manager,
    )
    assert _answer(assessment, "G1").note == "<script>x</script>ok"

    with pytest.raises(ValidationError, match="2000 characters at most"):
        services.answers_save(
            assessment=assessment,
            area="governance",
            entries={"G1": AnswerInput(level="1", note="x" * 2001)},
            actor=manager,
        )


def test_a_submitted_assessment_cannot_be_changed_until_reopened(assessment, manager):
    services.assessment_set_status(assessment=assessment, status="submitted", actor=manager)

    with pytest.raises(ValidationError, match="reopen it as a draft"):
        services.answers_save(
            assessment=assessment,
            area="governance",
            entries={"G1": AnswerInput(level="1")},
            actor=manager,
        )
    with pytest.raises(ValidationError, match="cannot become published"):
        services.assessment_set_status(assessment=assessment, status="draft", actor=manager)
        services.assessment_set_status(assessment=assessment, status="published", actor=manager)


def test_attachments_are_checked_by_kind_size_and_content(assessment, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")

    attachment = services.attachment_add(
        assessment=assessment, indicator="G3", upload=pdf, actor=manager
    )

    assert (attachment.name, attachment.content_type, attachment.size) == (
        "minutes.pdf",
        "application/pdf",
        16,
    )
    assert not attachment.file.name.endswith("minutes.pdf")  # stored under a random name
    for name, content, problem in [
        ("run.exe", b"MZ", "Attach a file of one of these kinds"),
        ("fake.pdf", b"<html>", "does not match its name"),
        ("big.txt", b"x" * (5 * 1024 * 1024 + 1), "5 MB at most"),
    ]:
        with pytest.raises(ValidationError, match=problem):
            services.attachment_add(
                assessment=assessment,
                indicator="G3",
                upload=SimpleUploadedFile(name, content),
                actor=manager,
            )
    assert Attachment.objects.count() == 1

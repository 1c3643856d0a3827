"""Writes of the assessment app: start, answer, refresh the evidence, submit and publish.

Every write checks its input first and stores all of it or nothing.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.assessment import evidence as evidence_sources
from clusterhub.assessment.framework import (
    Framework,
    Indicator,
    SkillFramework,
    assessment_framework,
    skill_framework,
    stored_assessment_framework,
)
from clusterhub.assessment.models import (
    NOTE_MAX,
    Answer,
    Assessment,
    AssessmentStatus,
    Attachment,
    FeedbackResponse,
    SkillAssessment,
)
from clusterhub.assessment.scoring import level_for_value
from clusterhub.core.uploads import content_problem
from clusterhub.regions.models import Cluster

MIN_YEAR = 2000
VALUE_MAX = Decimal("99999999999999")
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# Files are recognised by their first bytes, not by what the browser claims.
MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str, limit: int = NOTE_MAX) -> str:
    """Line ends made "\\n", control characters dropped, trimmed; ValidationError when too long."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > limit:
        raise ValidationError(
            _("Write %(limit)s characters at most (this has %(count)s).")
            % {"limit": limit, "count": len(text)}
        )
    return text


# --- Assessment -----------------------------------------------------------------------------


def _evidence_json(found: evidence_sources.Evidence, indicator: Indicator) -> dict[str, Any]:
    level = None
    if found.available and found.value is not None:
        if indicator.is_numeric:
            level = _level(indicator, Decimal(str(found.value)))
        else:  # a source for a levels scale answers the level itself
            level = max(0, min(int(found.value), indicator.max_level))
    return {
        "source": indicator.evidence,
        "available": found.available,
        "value": found.value,
        "level": level,
        "url": found.url,
        "parts": found.parts,
        "note": found.note,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
    }


def _level(indicator: Indicator, value: Decimal) -> int:
    return level_for_value(float(value), indicator.thresholds)


def _apply_evidence(answer: Answer, indicator: Indicator, found: dict[str, Any]) -> None:
    """Store what the platform says; the answer follows it unless the manager overrode it."""
    answer.evidence = found
    if answer.overridden:
        return
    if found["available"]:
        answer.prefilled = True
        answer.value = None if found["value"] is None else _decimal(found["value"])
        answer.level = found["level"]
    else:
        answer.prefilled = False


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _collect(assessment: Assessment, framework: Framework) -> dict[str, dict[str, Any]]:
    indicators = [i for i in framework.indicators() if i.evidence]
    found = evidence_sources.collect(
        assessment.cluster, assessment.year, sorted({i.evidence for i in indicators})
    )
    return {i.code: _evidence_json(found[i.evidence], i) for i in indicators}


def assessment_create(*, cluster: Cluster, year: int, actor: Any) -> Assessment:
    """Start the year's assessment with the current framework, pre-filled from the platform."""
    this_year = timezone.localdate().year
    if not MIN_YEAR <= year <= this_year:
        raise ValidationError(
            {
                "year": _("Give a year between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": this_year}
            }
        )
    framework = assessment_framework()
    if Assessment.objects.filter(cluster=cluster, year=year).exists():
        raise ValidationError(
            {"year": _("This cluster already has an assessment for %(year)s.") % {"year": year}}
        )
    with transaction.atomic():
        assessment = Assessment(
            cluster=cluster,
            year=year,
            framework_version=framework.version,
            framework=dict(framework.data),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        assessment.full_clean()
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"year": _("This cluster already has an assessment for %(year)s.") % {"year": year}}
            ) from exc
        found = _collect(assessment, framework)
        answers = []
        for indicator in framework.indicators():
            answer = Answer(assessment=assessment, indicator=indicator.code)
            if indicator.code in found:
                _apply_evidence(answer, indicator, found[indicator.code])
            answers.append(answer)
        Answer.objects.bulk_create(answers)
    return assessment


def _require_draft(assessment: Assessment) -> None:
    """Inside a transaction: lock the assessment and check that it is (still) a draft."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.status != AssessmentStatus.DRAFT:
        raise ValidationError(
            _("This assessment is %(status)s: reopen it as a draft to change it.")
            % {"status": current.get_status_display().lower()}
        )


def evidence_refresh(*, assessment: Assessment, actor: Any) -> int:
    """Read the platform's figures again; answers the manager overrode keep their level.

    Returns how many answers changed value or level.
    """
    framework = stored_assessment_framework(assessment.framework)
    with transaction.atomic():
        _require_draft(assessment)
        found = _collect(assessment, framework)
        answers = {
            a.indicator: a
            for a in Answer.objects.select_for_update().filter(
                assessment=assessment, indicator__in=list(found)
            )
        }
        changed = 0
        for code, evidence in found.items():
            answer = answers.get(code) or Answer.objects.create(
                assessment=assessment, indicator=code
            )
            before = (answer.value, answer.level)
            _apply_evidence(answer, framework.indicator(code), evidence)  # type: ignore[arg-type]
            changed += before != (answer.value, answer.level)
            answer.updated_by = actor
            answer.save(
                update_fields=[
                    "evidence",
                    "prefilled",
                    "value",
                    "level",
                    "updated_by",
                    "updated_at",
                ]
            )
        Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())
    return changed


@dataclass(frozen=True)
class AnswerInput:
    """One indicator as the form sends it: raw texts, checked by `answers_save`."""

    level: str = ""
    value: str = ""
    note: str = ""
    override: bool = False


def _parse_level(raw: str, indicator: Indicator) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or not 0 <= int(raw) <= indicator.max_level:
        raise ValidationError(_("Choose a level from 0 to %(max)s.") % {"max": indicator.max_level})
    return int(raw)


def _parse_value(raw: str) -> Decimal | None:
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValidationError(_("Give a number.")) from exc
    if not value.is_finite() or value < 0 or value > VALUE_MAX:
        raise ValidationError(_("Give a number from 0 to %(max)s.") % {"max": VALUE_MAX})
    return value.quantize(Decimal("0.01"))


def answers_save(
    *,
    assessment: Assessment,
    area: str,
    entries: dict[str, AnswerInput],
    actor: Any,
) -> None:
    """Save the answers of one area. ValidationError {indicator code: [problems]}, nothing saved.

    An answer filled from the platform follows the evidence; to change it the manager
    overrides it, and must say why in the note (the platform's figure stays visible).
    """
    framework = stored_assessment_framework(assessment.framework)
    section = framework.area(area)
    if section is None:
        raise ValidationError({"area": _("No such area in this assessment's framework.")})
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        _require_draft(assessment)
        answers = {
            a.indicator: a
            for a in Answer.objects.select_for_update().filter(
                assessment=assessment, indicator__in=[i.code for i in section.indicators]
            )
        }
        changed: list[Answer] = []
        for indicator in section.indicators:
            entry = entries.get(indicator.code, AnswerInput())
            answer = answers.get(indicator.code) or Answer(
                assessment=assessment, indicator=indicator.code
            )
            try:
                _fill(answer, indicator, entry)
            except ValidationError as error:
                errors[indicator.code] = error.messages
                continue
            answer.updated_by = actor
            changed.append(answer)
        if errors:
            raise ValidationError(errors)
        for answer in changed:
            answer.full_clean()
            if answer.pk:
                answer.save(
                    update_fields=[
                        "value",
                        "level",
                        "note",
                        "overridden",
                        "updated_by",
                        "updated_at",
                    ]
                )
            else:
                answer.save()
        Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now())


def _fill(answer: Answer, indicator: Indicator, entry: AnswerInput) -> None:
    note = clean_text(entry.note)
    from_platform = bool(answer.evidence.get("available"))
    if from_platform and not entry.override:
        # Back to the platform's figure.
        answer.overridden = False
        answer.value = (
            None if answer.evidence.get("value") is None else _decimal(answer.evidence["value"])
        )
        answer.level = answer.evidence.get("level")
        answer.note = note
        return
    if indicator.is_numeric:
        value = _parse_value(entry.value)
        level = None if value is None else _level(indicator, value)
    else:
        value = None
        level = _parse_level(entry.level, indicator)
    if from_platform:
        if not note:
            raise ValidationError(_("Say in the note why the platform's figure is overridden."))
        if value is None and level is None:
            raise ValidationError(_("Give the value that replaces the platform's figure."))
    answer.overridden = from_platform
    answer.value = value
    answer.level = level
    answer.note = note


TRANSITIONS = {
    AssessmentStatus.DRAFT: {AssessmentStatus.SUBMITTED},
    AssessmentStatus.SUBMITTED: {AssessmentStatus.DRAFT, AssessmentStatus.PUBLISHED},
    AssessmentStatus.PUBLISHED: {AssessmentStatus.SUBMITTED},
}


def assessment_set_status(*, assessment: Assessment, status: str, actor: Any) -> Assessment:
    """Submit a draft, reopen it, publish it to the members, or withdraw the publication."""
    if status not in AssessmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if status not in TRANSITIONS[AssessmentStatus(locked.status)]:
            raise ValidationError(
                {
                    "status": _("A %(current)s assessment cannot become %(wanted)s.")
                    % {
                        "current": locked.get_status_display().lower(),
                        "wanted": AssessmentStatus(status).label.lower(),
                    }
                }
            )
        now = timezone.now()
        locked.status = status
        if status == AssessmentStatus.SUBMITTED and locked.submitted_at is None:
            locked.submitted_at = now
        if status == AssessmentStatus.PUBLISHED:
            locked.published_at = now
        locked.full_clean()
        locked.save(update_fields=["status", "submitted_at", "published_at", "updated_at"])
    return locked


def attachment_add(
    *, assessment: Assessment, indicator: str, upload: UploadedFile, actor: Any
) -> Attachment:
    """Attach a document (PDF, image, office file, CSV or text; 5 MB at most) to an answer."""
    framework = stored_assessment_framework(assessment.framework)
    if framework.indicator(indicator) is None:
        raise ValidationError({"indicator": _("No such indicator in this assessment.")})
    name = clean_text(PurePath(upload.name or "").name, 200) or "attachment"
    suffix = PurePath(name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Attach a file of one of these kinds: %(kinds)s.")
                % {"kinds": ", ".join(sorted(ATTACHMENT_TYPES))}
            }
        )
    if upload.size is None or upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("Attach a file of 5 MB at most.")})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    head = upload.read(8)
    upload.seek(0)
    if suffix in MAGIC and not head.startswith(MAGIC[suffix]):
        raise ValidationError({"file": _("The file's content does not match its name.")})
    problem = content_problem(upload, suffix, name)
    if problem:
        raise ValidationError({"file": problem})
    with transaction.atomic():
        _require_draft(assessment)
        answer, _created = Answer.objects.get_or_create(assessment=assessment, indicator=indicator)
        attachment = Attachment(
            answer=answer,
            name=name,
            content_type=ATTACHMENT_TYPES[suffix],
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.full_clean()
        attachment.save()
    return attachment


# --- Skills ---------------------------------------------------------------------------------


def skill_assessment_create(
    *,
    person: Any,
    cluster: Cluster,
    levels: dict[str, str],
    note: str = "",
    on: date | None = None,
    framework: SkillFramework | None = None,
) -> SkillAssessment:
    """A manager's self-assessment: a level for each competence (blank: not answered)."""
    framework = framework or skill_framework()
    errors: dict[str, list[str]] = {}
    answers: dict[str, int] = {}
    for competence in framework.competences():
        raw = (levels.get(competence.code) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) > framework.max_level:
            errors[competence.code] = [
                _("Choose a level from 0 to %(max)s.") % {"max": framework.max_level}
            ]
            continue
        answers[competence.code] = int(raw)
    unknown = set(levels) - {c.code for c in framework.competences()}
    if unknown:
        errors["__all__"] = [
            _("Unknown competences: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        ]
    if not answers and not errors:
        errors["__all__"] = [_("Give a level for at least one competence.")]
    try:
        note = clean_text(note)
    except ValidationError as error:
        errors["note"] = error.messages
    if errors:
        raise ValidationError(errors)
    skills = SkillAssessment(
        person=person,
        cluster=cluster,
        date=on or timezone.localdate(),
        framework_version=framework.version,
        framework=dict(framework.data),
        answers=answers,
        note=note,
    )
    with transaction.atomic():
        skills.full_clean()
        skills.save()
    return skills


# --- Event feedback -------------------------------------------------------------------------

OUTCOMES = ("knowledge_of_trends", "new_competences", "new_contacts", "new_ideas", "new_products")


def feedback_submit(
    *,
    registration: Any,
    satisfaction: int,
    outcomes: set[str],
    comment: str = "",
) -> FeedbackResponse:
    """A participant's feedback on an event they were checked in at; a second one replaces it."""
    if registration.checked_in_at is None:
        raise ValidationError(_("Only participants checked in at the event give feedback."))
    unknown = outcomes - set(OUTCOMES)
    if unknown:
        raise ValidationError({"outcomes": _("Unknown outcome.")})
    if not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": _("Choose from 1 to 5.")})
    comment = clean_text(comment)
    with transaction.atomic():
        response, _created = FeedbackResponse.objects.select_for_update().get_or_create(
            event=registration.event,
            person=registration.person,
            defaults={"satisfaction": satisfaction, "organization": registration.organization},
        )
        response.organization = registration.organization
        response.satisfaction = satisfaction
        response.comment = comment
        for outcome in OUTCOMES:
            setattr(response, outcome, outcome in outcomes)
        response.full_clean()
        response.save(
            update_fields=["organization", "satisfaction", "comment", *OUTCOMES, "updated_at"]
        )
    return response

"""Rows of the access matrix (tests/access/matrix.py) for the assessment routes.

Objects: a draft self-assessment of agrifood (read and changed by its manager and the
officer only) with an attachment, a draft of mech (the officer only), and a published one
of mech (read by every signed-in person, changed by nobody but mech's managers and the
officer).
"""

from typing import Any

from tests.access.rows import Row

SIGNED_IN = (302, 200, 200, 200, 200)
MANAGERS = (302, 403, 403, 200, 200)
MANAGERS_OF_MECH = (302, 403, 403, 404, 200)
DONE = (302, 403, 403, 302, 302)  # a manager's write, answered by a redirect to the page
DONE_MECH = (302, 403, 403, 404, 302)
OWN_DRAFT = (302, 404, 404, 200, 200)
MECH_DRAFT = (302, 404, 404, 404, 200)


def assessment(world: Any, slug: str, year: int, status: str) -> int:
    from clusterhub.assessment.framework import assessment_framework
    from clusterhub.assessment.models import Assessment
    from clusterhub.regions.models import Cluster

    framework = assessment_framework()
    found, _created = Assessment.objects.get_or_create(
        cluster=Cluster.objects.get(slug=slug),
        year=year,
        defaults={
            "status": status,
            "framework_version": framework.version,
            "framework": dict(framework.data),
        },
    )
    return found.pk


def attachment(world: Any) -> int:
    from django.core.files.base import ContentFile

    from clusterhub.assessment.models import Answer, Attachment

    answer, _created = Answer.objects.get_or_create(
        assessment_id=assessment(world, "agrifood", 2024, "draft"), indicator="G3"
    )
    found = Attachment.objects.filter(answer=answer).first()
    if found is None:
        found = Attachment(
            answer=answer, name="minutes.pdf", content_type="application/pdf", size=9
        )
        found.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        found.save()
    return found.pk


def attended_event(world: Any) -> int:
    """An agrifood event at which the member (of member_org) was checked in."""
    from django.utils import timezone

    from clusterhub.events.models import Event, Registration

    found = Event.objects.filter(title="Attended workshop").first()
    if found is None:
        now = timezone.now()
        found = Event.objects.create(
            title="Attended workshop",
            kind="workshop",
            starts_at=now - timezone.timedelta(days=2),
            ends_at=now - timezone.timedelta(days=2, hours=-2),
            status="published",
        )
        Registration.objects.create(
            event=found,
            person=world.member_token.person,
            organization=world.member_org,
            checked_in_at=found.starts_at,
        )
    return found.pk


def _kwargs(slug: str, year: int, status: str) -> Any:
    return lambda w: {"slug": slug, "pk": assessment(w, slug, year, status)}


AGRI_DRAFT = _kwargs("agrifood", 2024, "draft")
MECH_DRAFT_KW = _kwargs("mech", 2024, "draft")
MECH_PUBLISHED = _kwargs("mech", 2023, "published")
AGRIFOOD = lambda w: {"slug": "agrifood"}  # noqa: E731
MECH = lambda w: {"slug": "mech"}  # noqa: E731


def _area(kwargs: Any) -> Any:
    return lambda w: {**kwargs(w), "area": "governance"}


HTML: list[Row] = [
    Row("assessment:list", "GET", SIGNED_IN, AGRIFOOD),
    Row("assessment:list", "GET", SIGNED_IN, MECH, note="mech: published ones only"),
    Row("assessment:start", "POST", DONE, AGRIFOOD, data=lambda w: {"year": "2025"}),
    Row("assessment:start", "POST", DONE_MECH, MECH, data=lambda w: {"year": "2025"}, note="mech"),
    Row("assessment:detail", "GET", OWN_DRAFT, AGRI_DRAFT, note="agrifood draft"),
    Row("assessment:detail", "GET", MECH_DRAFT, MECH_DRAFT_KW, note="mech draft"),
    Row("assessment:detail", "GET", SIGNED_IN, MECH_PUBLISHED, note="mech published"),
    Row(
        "assessment:area_save",
        "POST",
        DONE,
        _area(AGRI_DRAFT),
        data=lambda w: {"level-G1": "3"},
    ),
    Row(
        "assessment:area_save",
        "POST",
        DONE_MECH,
        _area(MECH_DRAFT_KW),
        data=lambda w: {"level-G1": "3"},
        note="mech",
    ),
    Row("assessment:refresh", "POST", DONE, AGRI_DRAFT),
    Row("assessment:refresh", "POST", DONE_MECH, MECH_DRAFT_KW, note="mech"),
    Row("assessment:status", "POST", DONE, AGRI_DRAFT, data=lambda w: {"status": "submitted"}),
    Row(
        "assessment:status",
        "POST",
        DONE_MECH,
        MECH_PUBLISHED,
        data=lambda w: {"status": "submitted"},
        note="withdraw mech's publication",
    ),
    Row("assessment:attachment_upload", "POST", DONE, AGRI_DRAFT, note="no file: a message"),
    Row(
        "assessment:attachment_download",
        "GET",
        OWN_DRAFT,
        lambda w: {
            "slug": "agrifood",
            "pk": assessment(w, "agrifood", 2024, "draft"),
            "attachment_id": attachment(w),
        },
    ),
    Row("assessment:compare", "GET", (302, 403, 403, 403, 200)),
    Row(
        "assessment:compare",
        "GET",
        (302, 403, 403, 403, 200),
        data=lambda w: {"cluster": ["agrifood", "mech"]},
        note="two clusters",
    ),
    Row("assessment:feedback_pending", "GET", SIGNED_IN),
    Row(
        "assessment:feedback",
        "GET",
        (302, 200, 404, 404, 404),
        lambda w: {"event_id": attended_event(w)},
        note="only the member was checked in",
    ),
    Row(
        "assessment:feedback",
        "POST",
        (302, 302, 404, 404, 404),
        lambda w: {"event_id": attended_event(w)},
        data=lambda w: {"new_ideas": "on", "satisfaction": "4"},
        note="only the member was checked in",
    ),
    Row("assessment:performance", "GET", MANAGERS, lambda w: {"slug": "agrifood", "year": 2024}),
    Row(
        "assessment:performance",
        "GET",
        MANAGERS_OF_MECH,
        lambda w: {"slug": "mech", "year": 2024},
        note="mech",
    ),
    Row(
        "assessment:performance_csv",
        "GET",
        MANAGERS,
        lambda w: {"slug": "agrifood", "year": 2024},
    ),
    Row(
        "assessment:performance_csv",
        "GET",
        MANAGERS_OF_MECH,
        lambda w: {"slug": "mech", "year": 2024},
        note="mech",
    ),
    Row("assessment:skills", "GET", (302, 403, 403, 200, 200), AGRIFOOD),
    Row("assessment:skills", "GET", (302, 403, 403, 404, 200), MECH, note="mech"),
    Row(
        "assessment:skills",
        "POST",
        (302, 403, 403, 302, 200),
        AGRIFOOD,
        data=lambda w: {"level-funding-scouting": "2"},
        note="the officer is no manager: shown, not saved",
    ),
]

API: list[Row] = [
    Row("api:assessment_list", "GET", (401, 200, 200, 200, 200), AGRIFOOD),
    Row("api:assessment_list", "GET", (401, 200, 200, 200, 200), MECH, note="mech"),
    Row(
        "api:assessment_detail",
        "GET",
        (401, 404, 404, 200, 200),
        lambda w: {"assessment_id": assessment(w, "agrifood", 2024, "draft")},
        note="agrifood draft",
    ),
    Row(
        "api:assessment_detail",
        "GET",
        (401, 404, 404, 404, 200),
        lambda w: {"assessment_id": assessment(w, "mech", 2024, "draft")},
        note="mech draft",
    ),
    Row(
        "api:assessment_detail",
        "GET",
        (401, 200, 200, 200, 200),
        lambda w: {"assessment_id": assessment(w, "mech", 2023, "published")},
        note="mech published",
    ),
    Row("api:assessment_compare", "GET", (401, 403, 403, 403, 200)),
    Row(
        "api:assessment_compare",
        "GET",
        (401, 403, 403, 403, 200),
        data=lambda w: {"cluster": ["agrifood", "mech"]},
        note="two clusters",
    ),
]

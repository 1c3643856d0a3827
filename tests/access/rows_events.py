"""Rows of the access matrix (tests/access/matrix.py) for the events routes.

Events are public (everyone), members-only (members of their clusters, their managers,
officers) or drafts (their managers and officers). Managers edit and check people in at
the events of their own clusters (mech answers 404 to the agrifood manager).
"""

from datetime import timedelta

from tests.access.rows import EVERYONE, MANAGERS, MANAGERS_OF_MECH, SIGNED_IN, Row


def _event(world, *, cluster="agrifood", visibility="public", status="published", kind="workshop"):
    from django.utils import timezone

    from clusterhub.events.models import Event
    from clusterhub.regions.models import Cluster

    title = f"{kind} {visibility} {status} of {cluster}"
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
    event, created = Event.objects.get_or_create(
        title=title,
        defaults={
            "kind": kind,
            "visibility": visibility,
            "status": status,
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
        },
    )
    if created:
        event.clusters.set([Cluster.objects.get(slug=cluster)])
    return event


def _member_registration(world, **event):
    """The member's seat at an event (the member is the person of `member_token`)."""
    from clusterhub.events.models import Registration

    return Registration.objects.get_or_create(
        event=_event(world, **event), person=world.member_token.person
    )[0]


def _member_feed_token(world):
    from clusterhub.events.models import CalendarFeed

    return CalendarFeed.objects.get_or_create(person=world.member_token.person)[0].token


def _member_meeting(world):
    """A meeting the member asked another participant of a B2B session for."""
    from clusterhub.events.models import Meeting, Registration
    from tests.factories import PersonFactory

    own = _member_registration(world, kind="b2b")
    other = Registration.objects.get_or_create(
        event=own.event, person=PersonFactory(email="b2b-other@example.org")
    )[0]
    slot = next(own.event.meeting_slots())
    return Meeting.objects.get_or_create(
        event=own.event,
        requester=own,
        invitee=other,
        defaults={"slot_start": slot, "expires_at": slot},
    )[0]


def EVENT(**options):  # noqa: N802
    return lambda w: {"event_id": _event(w, **options).pk}


MEMBERS_ONLY = (404, 200, 200, 200, 200)

HTML = [
    Row("events:list", "GET", EVERYONE),
    Row("events:list", "GET", EVERYONE, data=lambda w: {"cluster": "mech", "past": "on"}),
    Row("events:detail", "GET", EVERYONE, EVENT(), note="public"),
    Row("events:detail", "GET", MEMBERS_ONLY, EVENT(visibility="members"), note="members"),
    Row(
        "events:detail",
        "GET",
        (404, 404, 404, 404, 200),
        EVENT(cluster="mech", visibility="members"),
        note="mech members",
    ),
    Row("events:detail", "GET", (404, 404, 404, 200, 200), EVENT(status="draft"), note="draft"),
    Row("events:create", "GET", MANAGERS),
    Row("events:edit", "GET", MANAGERS, EVENT()),
    Row("events:edit", "GET", MANAGERS_OF_MECH, EVENT(cluster="mech"), note="mech"),
    Row("events:register", "POST", (302,) * 5, EVENT()),
    Row(
        "events:register",
        "POST",
        (302, 404, 404, 404, 302),
        EVENT(cluster="mech", visibility="members"),
        note="mech members",
    ),
    Row(
        "events:cancel",
        "POST",
        (302, 302, 404, 404, 404),
        lambda w: {"event_id": _member_registration(w).event_id},
        note="the member's seat",
    ),
    Row(
        "events:ticket",
        "GET",
        (302, 200, 404, 404, 404),
        lambda w: {"event_id": _member_registration(w).event_id},
        note="the member's seat",
    ),
    Row("events:mine", "GET", SIGNED_IN),
    Row("events:feed_rotate", "POST", (302,) * 5),
    Row("events:cluster_ics", "GET", EVERYONE, lambda w: {"slug": "agrifood"}),
    Row("events:cluster_ics", "GET", (404,) * 5, lambda w: {"slug": "nowhere"}, note="unknown"),
    Row(
        "events:person_ics",
        "GET",
        EVERYONE,
        lambda w: {"token": _member_feed_token(w)},
        note="the member's token",
    ),
    Row("events:person_ics", "GET", (404,) * 5, lambda w: {"token": "guess"}, note="guessed"),
    Row("events:attendance", "GET", MANAGERS, EVENT()),
    Row("events:attendance", "GET", MANAGERS_OF_MECH, EVENT(cluster="mech"), note="mech"),
    Row("events:door", "GET", MANAGERS, EVENT()),
    Row("events:door", "GET", MANAGERS_OF_MECH, EVENT(cluster="mech"), note="mech"),
    Row(
        "events:door",
        "POST",
        MANAGERS,
        EVENT(),
        lambda w: {"code": "NOPE2345"},
        note="unknown code",
    ),
    Row(
        "events:registration_check_in",
        "POST",
        (302, 403, 403, 302, 302),
        lambda w: {"event_id": (r := _member_registration(w)).event_id, "registration_id": r.pk},
    ),
    Row(
        "events:registration_check_in",
        "POST",
        (302, 403, 403, 404, 302),
        lambda w: {
            "event_id": (r := _member_registration(w, cluster="mech")).event_id,
            "registration_id": r.pk,
        },
        note="mech",
    ),
    Row(
        "events:b2b",
        "GET",
        (302, 200, 302, 302, 302),
        lambda w: {"event_id": _member_registration(w, kind="b2b").event_id},
        note="others hold no seat",
    ),
    Row(
        "events:meeting_request",
        "POST",
        (302,) * 5,
        EVENT(kind="b2b"),
        lambda w: {"invitee": "not a number"},
        note="bad form",
    ),
    Row(
        "events:meeting_respond",
        "POST",
        (302, 302, 404, 404, 404),
        lambda w: {"event_id": (m := _member_meeting(w)).event_id, "meeting_id": m.pk},
        lambda w: {"action": "cancel"},
        note="the member's meeting",
    ),
]

API = [
    Row("api:list_events", "GET", EVERYONE),
    Row("api:get_event", "GET", EVERYONE, EVENT(), note="public"),
    Row("api:get_event", "GET", MEMBERS_ONLY, EVENT(visibility="members"), note="members"),
    Row(
        "api:get_event",
        "GET",
        (404, 404, 404, 404, 200),
        EVENT(cluster="mech", visibility="members"),
        note="mech members",
    ),
    Row("api:register_for_event", "POST", (401, 201, 201, 201, 201), EVENT()),
    Row(
        "api:get_my_registration",
        "GET",
        (401, 200, 404, 404, 404),
        lambda w: {"event_id": _member_registration(w).event_id},
        note="the member's seat",
    ),
    Row(
        "api:cancel_registration",
        "DELETE",
        (401, 204, 404, 404, 404),
        lambda w: {"event_id": _member_registration(w).event_id},
        note="the member's seat",
    ),
    Row(
        "api:check_in_attendee",
        "POST",
        (401, 403, 403, 422, 422),
        EVENT(),
        lambda w: {"code": "NOPE2345"},
        note="unknown code",
    ),
    Row(
        "api:check_in_attendee",
        "POST",
        (401, 403, 403, 404, 422),
        EVENT(cluster="mech"),
        lambda w: {"code": "NOPE2345"},
        note="mech",
    ),
    Row("api:event_attendance", "GET", (401, 403, 403, 200, 200), EVENT()),
    Row("api:event_attendance", "GET", (401, 403, 403, 404, 200), EVENT(cluster="mech")),
]

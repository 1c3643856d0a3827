"""Agenda notifications go through the digest: consultations of the person's clusters that
opened, that close soon, and results; one email per person, only with active consent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clusterhub.agenda import services
from clusterhub.digest.services import (
    digest_build,
    digest_subscribe,
    digest_unsubscribe,
    send_digests,
)
from tests.agenda.core_helpers import draft, item, publish

pytestmark = pytest.mark.django_db

BASE = "https://hub.example.org"


def _consultation(cluster, manager, *, opened_days_ago, closes_in_days, title="Agenda 2026"):
    version = draft(cluster, manager, title=title)
    item(version, manager)
    now = timezone.now()
    return services.version_open_consultation(
        version=version,
        actor=manager,
        opens_at=now - timedelta(days=opened_days_ago),
        closes_at=now + timedelta(days=closes_in_days),
        now=now - timedelta(days=opened_days_ago),
    )


def _consultation_items(person, since):
    digest = digest_build(person, since)
    return {s.key: s for s in digest.sections}["consultations"].items


def test_a_consultation_opened_since_the_last_digest_is_announced(member, agrifood, manager):
    _consultation(agrifood, manager, opened_days_ago=1, closes_in_days=20)

    (entry,) = _consultation_items(member, timezone.now() - timedelta(days=7))

    assert "Agenda 2026" in entry.title
    assert entry.detail.startswith("Consultation open until")
    assert entry.url == "/clusters/agrifood/agenda/v1/"


def test_a_consultation_that_opened_before_and_stays_open_is_not_repeated(
    member, agrifood, manager
):
    _consultation(agrifood, manager, opened_days_ago=10, closes_in_days=20)

    assert _consultation_items(member, timezone.now() - timedelta(days=7)) == []


def test_a_consultation_closing_within_three_days_is_announced_as_closing_soon(
    member, agrifood, manager
):
    _consultation(agrifood, manager, opened_days_ago=10, closes_in_days=2)

    (entry,) = _consultation_items(member, timezone.now() - timedelta(days=7))

    assert entry.detail.startswith("Closing soon")


def test_a_published_version_is_announced_as_a_result(member, agrifood, manager):
    version = draft(agrifood, manager, title="Agenda 2026")
    item(version, manager)
    publish(version, manager)

    (entry,) = _consultation_items(member, timezone.now() - timedelta(days=7))

    assert entry.detail.startswith("Result")
    assert entry.url == "/agenda/agrifood/v1/"


def test_a_version_published_before_the_period_is_not_announced_again(member, agrifood, manager):
    version = draft(agrifood, manager)
    item(version, manager)
    publish(version, manager)

    assert _consultation_items(member, timezone.now() + timedelta(seconds=1)) == []


def test_consultations_of_other_clusters_are_not_announced(member, mech, officer):
    _consultation(mech, officer, opened_days_ago=1, closes_in_days=2)

    assert _consultation_items(member, timezone.now() - timedelta(days=7)) == []


def test_drafts_are_not_announced(member, agrifood, manager):
    version = draft(agrifood, manager)
    item(version, manager)

    assert _consultation_items(member, timezone.now() - timedelta(days=7)) == []


def test_the_events_of_a_week_arrive_in_one_email(member, agrifood, manager):
    """An opened consultation, one closing soon and a result: one email, not three."""
    digest_subscribe(person=member, frequency="weekly")
    published = draft(agrifood, manager, title="Agenda 2025")
    item(published, manager)
    publish(published, manager)
    _consultation(agrifood, manager, opened_days_ago=1, closes_in_days=2, title="Agenda 2026")

    report = send_digests(now=timezone.now() + timedelta(minutes=1), base_url=BASE)

    assert report.sent == 1
    (email,) = mail.outbox
    assert email.to == [member.email]
    assert "Agenda 2025" in email.body and "Agenda 2026" in email.body
    assert f"{BASE}/agenda/agrifood/v1/" in email.body
    assert f"{BASE}/clusters/agrifood/agenda/v2/" in email.body


def test_a_person_without_consent_gets_nothing(member, agrifood, manager):
    digest_subscribe(person=member, frequency="weekly")
    digest_unsubscribe(person=member)
    _consultation(agrifood, manager, opened_days_ago=1, closes_in_days=2)

    report = send_digests(now=timezone.now() + timedelta(minutes=1), base_url=BASE)

    assert report.sent == 0
    assert mail.outbox == []


def test_a_person_who_never_consented_gets_nothing(member, agrifood, manager):
    _consultation(agrifood, manager, opened_days_ago=1, closes_in_days=2)

    send_digests(now=timezone.now() + timedelta(minutes=1), base_url=BASE)

    assert mail.outbox == []

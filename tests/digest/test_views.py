from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterhub.digest.models import DigestPreference
from clusterhub.opportunities.services import opportunity_create
from clusterhub.people.models import Consent

pytestmark = pytest.mark.django_db


def test_choosing_a_weekly_digest_needs_and_records_the_consent(client, member):
    client.force_login(member)
    url = reverse("digest:settings")

    refused = client.post(url, {"frequency": "weekly"})
    assert "consent" in refused.context["form"].errors
    assert not Consent.objects.exists()

    saved = client.post(url, {"frequency": "weekly", "consent": "on"})
    assert saved.status_code == 302
    consent = Consent.objects.get(person=member, purpose="digest")
    assert consent.withdrawn_at is None
    assert DigestPreference.objects.get(person=member).frequency == "weekly"

    client.post(url, {"frequency": "daily", "consent": "on"})
    assert Consent.objects.filter(person=member).count() == 1  # given once

    client.post(url, {"frequency": "off"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_the_account_page_links_to_the_digest_settings(client, member):
    client.force_login(member)

    body = client.get(reverse("people:account")).content.decode()

    assert reverse("digest:settings") in body


def test_the_preview_shows_the_next_digest_without_marking_anything(
    client, subscribed, officer, agrifood
):
    opportunity_create(
        actor=officer,
        kind="financing",
        title="Bando <em>latte</em>",
        programme="PR FESR",
        deadline=timezone.localdate() + timedelta(days=9),
        clusters=[agrifood],
    )
    client.force_login(subscribed)

    body = client.get(reverse("digest:preview")).content.decode()

    assert "New opportunities for your organization" in body
    assert "Bando &lt;em&gt;latte&lt;/em&gt;" in body
    assert DigestPreference.objects.get(person=subscribed).last_sent_at is None


def test_an_empty_preview_says_nothing_would_be_sent(client, subscribed):
    client.force_login(subscribed)

    body = client.get(reverse("digest:preview")).content.decode()

    assert "an empty digest is not sent" in body


def test_the_api_preview_lists_every_section(client, subscribed):
    client.force_login(subscribed)

    answer = client.get("/api/digest/preview").json()

    assert [s["key"] for s in answer["sections"]] == [
        "events",
        "opportunities",
        "saved_searches",
        "consultations",
        "replies",
    ]
    assert answer["consented"] is True and answer["frequency"] == "weekly"
    assert answer["empty"] is True

"""What a digest gathers, who gets one, and how it is sent and stopped."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clusterhub.contributions.models import Comment, Contribution
from clusterhub.digest.models import DigestPreference
from clusterhub.digest.services import (
    digest_build,
    digest_subscribe,
    digest_unsubscribe,
    send_digests,
    unsubscribe_token,
)
from clusterhub.events.models import Event
from clusterhub.matchmaking.services import saved_search_create
from clusterhub.opportunities.services import opportunity_create
from clusterhub.people.models import Consent

pytestmark = pytest.mark.django_db

BASE = "https://hub.example.org"


def _call(officer, agrifood, title="Bando filiera lattiero-casearia"):
    return opportunity_create(
        actor=officer,
        kind="financing",
        title=title,
        programme="PR FESR",
        deadline=timezone.localdate() + timedelta(days=30),
        clusters=[agrifood],
    )


def _event(agrifood, title="Workshop on cheese ripening", days=10):
    start = timezone.now() + timedelta(days=days)
    event = Event.objects.create(
        title=title,
        kind="workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Parma",
        visibility="public",
        status="published",
    )
    event.clusters.set([agrifood])
    return event


def _section(digest, key):
    return {s.key: s for s in digest.sections}[key]


def test_a_digest_gathers_events_opportunities_matches_and_replies(
    subscribed, member_org, officer, agrifood, new_lab
):
    since = timezone.now() - timedelta(days=7)
    saved = saved_search_create(person=subscribed, query="laboratorio formaggi stagionatura")
    _event(agrifood)
    call = _call(officer, agrifood)
    lab = new_lab(
        "Laboratorio Formaggi Stagionati",
        "Laboratorio di analisi per la stagionatura dei formaggi.",
    )
    post = Contribution.objects.create(
        kind="need",
        title="Cerchiamo sensori per le cantine",
        text="...",
        status="approved",
        author=subscribed,
        organization=member_org,
    )
    Comment.objects.create(contribution=post, author=officer, text="Try the lab in Parma.")
    Comment.objects.create(contribution=post, author=subscribed, text="Thanks!")

    digest = digest_build(subscribed, since)

    assert [i.title for i in _section(digest, "events").items] == ["Workshop on cheese ripening"]
    assert [i.title for i in _section(digest, "opportunities").items] == [call.title]
    assert _section(digest, "opportunities").items[0].url == f"/opportunities/{call.pk}/"
    assert "Laboratorio Formaggi Stagionati" in [
        i.title for i in _section(digest, "saved_searches").items
    ]
    [reply] = _section(digest, "replies").items
    assert reply.title == post.title and "Try the lab in Parma." in reply.detail
    # The agenda does not exist yet: its section is there, and empty.
    assert _section(digest, "consultations").items == []
    # Building (or previewing) marks nothing as seen.
    saved.refresh_from_db()
    assert lab.pk not in saved.known_result_ids


def test_only_opportunities_published_since_the_last_digest_are_new(subscribed, officer, agrifood):
    _call(officer, agrifood, title="Old call")
    since = timezone.now()
    _call(officer, agrifood, title="New call")

    digest = digest_build(subscribed, since)

    assert [i.title for i in _section(digest, "opportunities").items] == ["New call"]


def test_only_people_who_consented_get_a_digest(member, org_admin, officer, agrifood):
    digest_subscribe(person=member, frequency="weekly")
    # A preference without consent (e.g. set in the back office) is not enough.
    DigestPreference.objects.create(person=org_admin, frequency="weekly")
    _call(officer, agrifood)

    report = send_digests(base_url=BASE)

    assert [m.to for m in mail.outbox] == [[member.email]]
    assert report.sent == 1


def test_a_withdrawn_consent_stops_the_digest(subscribed, officer, agrifood):
    digest_unsubscribe(person=subscribed)
    _call(officer, agrifood)

    send_digests(base_url=BASE)

    assert mail.outbox == []
    consent = Consent.objects.get(person=subscribed, purpose="digest")
    assert consent.withdrawn_at is not None


def test_an_empty_digest_is_not_sent_and_the_period_does_not_move(subscribed):
    report = send_digests(base_url=BASE)

    assert mail.outbox == []
    assert report.empty == 1
    assert DigestPreference.objects.get(person=subscribed).last_sent_at is None


def test_one_email_per_period_daily_or_weekly(subscribed, org_admin, officer, agrifood):
    digest_subscribe(person=org_admin, frequency="daily")
    _call(officer, agrifood, title="First")
    start = timezone.now()
    send_digests(now=start, base_url=BASE)
    assert len(mail.outbox) == 2

    _call(officer, agrifood, title="Second")
    send_digests(now=timezone.now() + timedelta(hours=2), base_url=BASE)
    assert len(mail.outbox) == 2  # nobody is due two hours later

    # The next day the daily one is due, with the new call; the weekly one is not due.
    send_digests(now=start + timedelta(days=1), base_url=BASE)
    assert [m.to for m in mail.outbox[2:]] == [[org_admin.email]]
    assert "Second" in mail.outbox[2].body and "First" not in mail.outbox[2].body

    send_digests(now=start + timedelta(days=7), base_url=BASE)
    assert [m.to for m in mail.outbox[3:]] == [[subscribed.email]]


def test_the_email_has_text_html_and_a_one_click_unsubscribe(subscribed, officer, agrifood):
    call = _call(officer, agrifood, title="Bando <b>filiere</b>")

    send_digests(base_url=BASE)

    [message] = mail.outbox
    link = BASE + reverse("digest:unsubscribe", args=[unsubscribe_token(subscribed)])
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{BASE}/opportunities/{call.pk}/" in message.body
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Bando &lt;b&gt;filiere&lt;/b&gt;" in html
    assert link in html


def test_the_email_is_written_in_the_persons_language(subscribed, officer, agrifood):
    subscribed.language = "it"
    subscribed.save(update_fields=["language"])
    _call(officer, agrifood)

    send_digests(base_url=BASE)

    [(html, _mimetype)] = mail.outbox[0].alternatives
    assert '<html lang="it">' in html


def test_new_matches_of_a_saved_search_are_reported_once(subscribed, new_lab):
    saved_search_create(person=subscribed, query="laboratorio stagionatura formaggi")
    new_lab("Laboratorio Stagionatura", "Stagionatura dei formaggi e analisi sensoriale.")
    now = timezone.now()

    send_digests(now=now, base_url=BASE)
    assert "Laboratorio Stagionatura" in mail.outbox[0].body

    report = send_digests(now=now + timedelta(days=7), base_url=BASE)
    assert len(mail.outbox) == 1  # reported already: the next digest is empty
    assert report.empty == 1


def test_the_unsubscribe_link_works_without_signing_in(client, subscribed):
    url = reverse("digest:unsubscribe", args=[unsubscribe_token(subscribed)])

    page = client.get(url)
    assert page.status_code == 200
    assert Consent.objects.get(person=subscribed).withdrawn_at is None  # a look changes nothing

    done = client.post(url)
    assert done.status_code == 200
    assert Consent.objects.get(person=subscribed).withdrawn_at is not None
    assert DigestPreference.objects.get(person=subscribed).frequency == "off"


def test_an_altered_unsubscribe_link_is_refused(client, subscribed):
    token = unsubscribe_token(subscribed)

    response = client.post(reverse("digest:unsubscribe", args=[token[:-2] + "xx"]))

    assert response.status_code == 404
    assert Consent.objects.get(person=subscribed).withdrawn_at is None


def test_the_command_sends_the_due_digests(subscribed, officer, agrifood, capsys):
    _call(officer, agrifood)

    call_command("send_digests", "--site-url", BASE)

    assert "1 digests sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_background_task_sends_the_due_digests(subscribed, officer, agrifood, immediate_tasks):
    from clusterhub.digest.tasks import send_digests_task

    _call(officer, agrifood)

    result = send_digests_task.enqueue()

    assert result.return_value == {"due": 1, "sent": 1, "empty": 0, "failed": 0}
    assert [m.to for m in mail.outbox] == [[subscribed.email]]

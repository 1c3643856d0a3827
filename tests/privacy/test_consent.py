"""Consents: recorded with purpose, time, terms version and withdrawal; they gate every mailing."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clusterhub.people.models import Consent, Person
from clusterhub.people.services import invitation_accept, invitation_create
from clusterhub.privacy.services import consent_give, consent_withdraw
from tests.privacy.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_accepting_an_invitation_records_the_terms_consent_with_the_current_version(
    settings, officer, member_org
):
    settings.CLUSTERHUB_TERMS_VERSION = "2027-01"
    _invitation, token = invitation_create(
        inviter=officer,
        email="new.person@example.org",
        role="member",
        organization=member_org,
        site_url="http://testserver/",
    )

    acceptance = invitation_accept(
        token=token, full_name="Nuova Persona", password="a-long-enough-password-42"
    )

    consent = Consent.objects.get(person=acceptance.person)
    assert (consent.purpose, consent.terms_version, consent.withdrawn_at) == (
        "terms",
        "2027-01",
        None,
    )
    assert abs((timezone.now() - consent.given_at).total_seconds()) < 60


def test_the_invitation_page_says_accepting_is_agreeing_to_the_terms(officer, member_org, client):
    _invitation, token = invitation_create(
        inviter=officer,
        email="new.person@example.org",
        role="member",
        organization=member_org,
        site_url="http://testserver/",
    )

    page = client.get(reverse("people:invitation_accept", args=[token])).content.decode()

    assert "By accepting you agree to the terms of use" in page
    assert reverse("privacy:notice") in page


def test_withdrawal_is_recorded_not_deleted_and_consent_can_be_given_again(member):
    consent_give(person=member, purpose="directory")

    consent_withdraw(person=member, purpose="directory")
    consent_give(person=member, purpose="directory")

    history = list(Consent.objects.filter(person=member, purpose="directory").order_by("pk"))
    assert len(history) == 2
    assert history[0].withdrawn_at is not None and history[1].withdrawn_at is None


def test_giving_a_consent_twice_keeps_one_record(member):
    first = consent_give(person=member, purpose="terms")
    second = consent_give(person=member, purpose="terms")

    assert first.pk == second.pk


def test_new_terms_replace_the_consent_to_older_ones(settings, member):
    settings.CLUSTERHUB_TERMS_VERSION = "v1"
    old = consent_give(person=member, purpose="terms")
    settings.CLUSTERHUB_TERMS_VERSION = "v2"

    new = consent_give(person=member, purpose="terms")

    old.refresh_from_db()
    assert old.withdrawn_at is not None
    assert new.terms_version == "v2" and new.withdrawn_at is None


def test_the_privacy_page_shows_and_changes_each_consent(member):
    client = signed_in_client(member)

    page = client.get(reverse("privacy:account")).content.decode()
    assert 'data-purpose="digest"' in page and "Not given" in page

    client.post(reverse("privacy:consent", args=["digest"]), {"action": "give"})
    assert Consent.objects.filter(person=member, purpose="digest", withdrawn_at=None).exists()
    assert member.digest_preference.frequency == "weekly"

    partial = client.post(
        reverse("privacy:consent", args=["digest"]), {"action": "withdraw"}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode() and 'id="consents"' in partial.content.decode()
    assert not Consent.objects.filter(person=member, purpose="digest", withdrawn_at=None).exists()
    member.digest_preference.refresh_from_db()
    assert member.digest_preference.frequency == "off"


def test_an_unknown_purpose_is_not_found(member):
    response = signed_in_client(member).post(
        reverse("privacy:consent", args=["marketing"]), {"action": "give"}
    )

    assert response.status_code == 404


# --- Every mailing checks the consent of its purpose ---------------------------------------


def test_the_digest_goes_only_to_people_with_the_digest_consent(member, org_admin, records):
    from datetime import timedelta

    from clusterhub.digest.models import DigestPreference
    from clusterhub.digest.services import preferences_due

    DigestPreference.objects.create(person=org_admin, frequency="weekly")  # never consented
    later = timezone.now() + timedelta(days=1)

    due_before = [preference.person for preference in preferences_due(later)]
    consent_withdraw(person=member, purpose="digest")
    due_after = [preference.person for preference in preferences_due(later)]

    assert due_before == [member]
    assert due_after == []


def test_invitations_back_go_only_to_people_who_accepted_the_terms(
    manager, member, org_admin, member_org
):
    from clusterhub.engagement.selectors import Suggestions
    from clusterhub.engagement.services import reengagement_invite

    consent_give(person=member, purpose="terms")

    reengagement_invite(
        cluster=member_org.memberships.get().cluster,
        organization=member_org,
        sender=manager,
        suggestions=Suggestions(event=None, opportunity=None, partner=None),
        site_url="http://testserver/",
    )

    assert [message.to for message in mail.outbox] == [["member@example.org"]]


def test_nobody_is_invited_back_when_nobody_accepted_the_terms(manager, member, member_org):
    from django.core.exceptions import ValidationError

    from clusterhub.engagement.models import ReEngagementInvitation
    from clusterhub.engagement.selectors import Suggestions
    from clusterhub.engagement.services import reengagement_invite

    with pytest.raises(ValidationError, match="accepted the terms"):
        reengagement_invite(
            cluster=member_org.memberships.get().cluster,
            organization=member_org,
            sender=manager,
            suggestions=Suggestions(event=None, opportunity=None, partner=None),
            site_url="http://testserver/",
        )
    assert mail.outbox == []
    assert not ReEngagementInvitation.objects.exists()


def test_an_erased_person_gets_no_mail_at_all(member, officer, records):
    from clusterhub.privacy.selectors import with_consent
    from clusterhub.privacy.services import erase_person

    erase_person(person=member, actor=officer)

    assert not with_consent(Person.objects.filter(pk=member.pk), "terms").exists()
    assert not with_consent(Person.objects.filter(pk=member.pk), "digest").exists()


def test_a_password_reset_for_an_erased_address_sends_nothing(member, officer, client):
    from clusterhub.privacy.services import erase_person

    erase_person(person=member, actor=officer)

    client.post(reverse("people:password_reset"), {"email": "member@example.org"})
    client.post(reverse("people:password_reset"), {"email": member.email})

    assert mail.outbox == []


# Where clusterhub sends email, and what each checks (docs/privacy.md, "Consent").
MAIL_SENDERS = {
    "clusterhub/digest/services.py": "digest consent",
    "clusterhub/engagement/services.py": "terms consent (with_consent)",
    "clusterhub/people/services.py": "none: the invitation answers the inviter's request",
}


def test_every_place_that_sends_email_is_known_and_checked():
    """A new sender fails here until it checks a consent and is added above and to the docs."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sending = re.compile(
        r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
        r"EmailMultiAlternatives|send_messages)\("
    )
    found = {
        str(path.relative_to(root))
        for path in (root / "clusterhub").rglob("*.py")
        if sending.search(path.read_text(encoding="utf-8"))
    }

    assert found == set(MAIL_SENDERS)

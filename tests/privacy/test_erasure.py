"""Erasure anonymizes, ends sessions, closes roles and keeps the person's work under a pseudonym."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse

from clusterhub.audit.models import AuditAction, AuditEntry
from clusterhub.people.models import ApiToken, Consent, OrganizationRole, Person
from clusterhub.people.tokens import token_create
from clusterhub.privacy.models import Erasure
from clusterhub.privacy.services import erase_person, is_erased
from tests.factories import PASSWORD
from tests.privacy.conftest import signed_in_client

pytestmark = pytest.mark.django_db


def test_erasure_replaces_contact_data_and_disables_sign_in(member, officer, records):
    member.language = "en"
    member.save(update_fields=["language"])

    result = erase_person(person=member, actor=officer)

    member.refresh_from_db()
    assert re.fullmatch(r"Former member [0-9A-F]{4}", member.full_name)
    assert member.full_name == result.pseudonym
    assert member.email == f"erased-{member.pk}@erased.invalid"
    assert not member.has_usable_password()
    assert not member.is_active
    assert member.language == "en"


def test_a_signed_in_client_is_signed_out(member, officer):
    client = signed_in_client(member)
    assert client.get(reverse("people:account")).status_code == 200

    result = erase_person(person=member, actor=officer)

    assert result.sessions_ended == 1
    response = client.get(reverse("people:account"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not client.login(email="member@example.org", password=PASSWORD)


def test_only_the_persons_sessions_end(member, org_admin, officer):
    signed_in_client(member)
    other = signed_in_client(org_admin)

    erase_person(person=member, actor=officer)

    assert Session.objects.count() == 1
    assert other.get(reverse("people:account")).status_code == 200


def test_contributions_comments_and_votes_stay_under_the_pseudonym(member, officer, records):
    result = erase_person(person=member, actor=officer)

    records.contribution.refresh_from_db()
    records.ballot.refresh_from_db()
    assert records.contribution.author_id == member.pk
    assert str(records.contribution.author) == result.pseudonym
    assert records.ballot.cast_by_id == member.pk
    assert records.item.comments.get().author.full_name == result.pseudonym


def test_roles_tokens_consents_and_personal_records_close(member, officer, records):
    token_create(person=member, name="script")

    result = erase_person(person=member, actor=officer)

    assert not OrganizationRole.objects.filter(person=member).exists()
    assert not ApiToken.objects.filter(person=member, revoked_at__isnull=True).exists()
    assert Consent.objects.filter(person=member).count() == 2  # recorded, not deleted
    assert not Consent.objects.filter(person=member, withdrawn_at__isnull=True).exists()
    assert not member.saved_searches.exists()
    assert result.deleted["saved_searches"] == 1
    assert result.deleted["digest_preference"] == 1
    assert result.deleted["login_events"] == 1
    assert result.deleted["calendar_feed"] == 1
    records.future_seat.refresh_from_db()
    records.past_seat.refresh_from_db()
    assert records.future_seat.status == "cancelled"  # the seat goes to the waiting list
    assert records.past_seat.status == "registered"  # the attendance record stays


def test_erasure_is_recorded_and_audited(member, officer):
    result = erase_person(person=member, actor=officer)

    erasure = Erasure.objects.get()
    assert (erasure.person_id, erasure.pseudonym, erasure.requested_by) == (
        member.pk,
        result.pseudonym,
        officer,
    )
    entry = AuditEntry.objects.get(action=AuditAction.ERASURE)
    assert entry.actor == officer
    assert entry.target_id == str(member.pk)
    assert entry.target_label == result.pseudonym
    assert "member@example.org" not in entry.target_label
    # The roles that closed are in the audit trail too, under the new address.
    revoked = AuditEntry.objects.get(action=AuditAction.ROLE_REVOKED)
    assert "member@example.org" not in str(revoked.before)


def test_a_second_erasure_changes_nothing_and_says_so(member, officer, records):
    first = erase_person(person=member, actor=officer)
    entries = AuditEntry.objects.count()
    row = Person.objects.values().get(pk=member.pk)

    second = erase_person(person=member, actor=officer)

    assert second.already and not first.already
    assert second.pseudonym == first.pseudonym
    assert "nothing changed" in second.summary()
    assert Erasure.objects.count() == 1
    assert AuditEntry.objects.count() == entries
    assert Person.objects.values().get(pk=member.pk) == row


def test_a_person_erases_their_own_account_with_their_password(member, records):
    client = signed_in_client(member)

    refused = client.post(reverse("privacy:erase"), {"password": "wrong", "confirm": "on"})
    assert refused.status_code == 400
    assert "The password is not correct." in refused.content.decode()
    member.refresh_from_db()
    assert not is_erased(member)

    response = client.post(
        reverse("privacy:erase"), {"password": PASSWORD, "confirm": "on"}, follow=True
    )

    member.refresh_from_db()
    assert is_erased(member)
    assert "Your account is erased" in response.content.decode()
    assert client.get(reverse("people:account")).status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.ERASURE)
    assert entry.actor_id == member.pk and entry.actor_label == member.email


def test_erasure_without_the_confirmation_box_is_refused(member):
    response = signed_in_client(member).post(reverse("privacy:erase"), {"password": PASSWORD})

    assert response.status_code == 400
    member.refresh_from_db()
    assert not is_erased(member)


def test_an_officer_erases_an_account_from_the_erasures_page(member, officer):
    client = signed_in_client(officer)

    unknown = client.post(
        reverse("privacy:erasures"), {"email": "nobody@example.org", "confirm": "on"}
    )
    response = client.post(
        reverse("privacy:erasures"), {"email": "member@example.org", "confirm": "on"}, follow=True
    )

    assert unknown.status_code == 400 and "No account has this email." in unknown.content.decode()
    member.refresh_from_db()
    assert is_erased(member)
    assert member.full_name in response.content.decode()


def test_the_command_erases_by_email_then_says_it_was_done_already(member, capsys):
    call_command("erase_person", "member@example.org")
    first = capsys.readouterr().out
    call_command("erase_person", str(member.pk))
    second = capsys.readouterr().out

    member.refresh_from_db()
    assert is_erased(member)
    assert "Erased as Former member" in first
    assert "nothing changed" in second


def test_erasing_an_officer_ends_their_powers_and_the_trail_names_who_asked(officer, db):
    from tests.factories import PersonFactory

    other_officer = PersonFactory(email="second.officer@example.org", is_regional_officer=True)
    earlier = set(AuditEntry.objects.values_list("pk", flat=True))

    erase_person(person=other_officer, actor=officer)

    other_officer.refresh_from_db()
    assert not other_officer.is_regional_officer and not other_officer.is_staff
    entries = AuditEntry.objects.exclude(pk__in=earlier).exclude(action=AuditAction.ERASURE)
    assert entries.exists()
    assert {entry.actor_id for entry in entries} == {officer.pk}
    assert all("second.officer@example.org" not in entry.target_label for entry in entries)

"""Erasures recorded after a backup are applied again after restoring it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clusterhub.people.models import Person
from clusterhub.privacy.models import Erasure
from clusterhub.privacy.services import (
    erase_person,
    erasure_records,
    is_erased,
    reapply_erasures,
    reapply_erasures_from,
)

pytestmark = pytest.mark.django_db


def _restore_row(person, values):
    """What a restore of an older backup does to the person's row."""
    Person.objects.filter(pk=person.pk).update(**values)


def test_reapply_erasures_erases_again_a_person_whose_row_came_back(member, officer):
    before = timezone.now() - timedelta(seconds=1)
    original = Person.objects.values("email", "full_name", "is_active", "password").get(
        pk=member.pk
    )
    first = erase_person(person=member, actor=officer)
    _restore_row(member, original)

    count = reapply_erasures(before)

    member.refresh_from_db()
    assert count == 1
    assert is_erased(member) and member.full_name == first.pseudonym
    assert Erasure.objects.count() == 1
    assert reapply_erasures(before) == 0  # nothing left to re-apply


def test_erasures_older_than_since_are_not_reapplied(member, officer):
    original = Person.objects.values("email", "full_name").get(pk=member.pk)
    erase_person(person=member, actor=officer)
    _restore_row(member, original)

    assert reapply_erasures(timezone.now() + timedelta(seconds=1)) == 0


def test_records_read_before_a_restore_are_reapplied_with_their_row(member, officer):
    """The restore command reads the erasures before restoring: the restored database has
    neither the anonymized row nor the Erasure row."""
    original = Person.objects.values("email", "full_name", "is_active").get(pk=member.pk)
    result = erase_person(person=member, actor=officer)
    records = erasure_records()
    erased_at = records[0]["erased_at"]
    Erasure.objects.all().delete()
    _restore_row(member, original)

    count = reapply_erasures_from(
        [{**record, "erased_at": record["erased_at"].isoformat()} for record in records]
    )

    member.refresh_from_db()
    assert count == 1
    assert member.full_name == result.pseudonym and not member.is_active
    erasure = Erasure.objects.get()
    assert (erasure.person_id, erasure.pseudonym, erasure.erased_at) == (
        member.pk,
        result.pseudonym,
        erased_at,
    )


def test_a_record_of_a_person_not_in_the_restored_database_is_kept(db):
    when = timezone.now()

    count = reapply_erasures_from(
        [{"person_id": 99999, "pseudonym": "Former member ABCD", "erased_at": when}]
    )

    assert count == 0
    assert Erasure.objects.get().person_id == 99999

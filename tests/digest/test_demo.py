import pytest

from clusterhub.core.demo import MANAGER_EMAIL, MEMBER_EMAIL, ORG_ADMIN_EMAIL
from clusterhub.digest.demo import load_demo
from clusterhub.digest.models import DigestPreference
from clusterhub.people.models import Consent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_accounts_consent_to_a_digest_once():
    for email in (MEMBER_EMAIL, ORG_ADMIN_EMAIL, MANAGER_EMAIL):
        PersonFactory(email=email)

    assert load_demo() == "3 digest subscriptions"
    load_demo()

    assert Consent.objects.filter(purpose="digest", withdrawn_at__isnull=True).count() == 3
    assert DigestPreference.objects.get(person__email=ORG_ADMIN_EMAIL).frequency == "daily"
    assert (
        DigestPreference.objects.get(person__email=MEMBER_EMAIL).person.saved_searches.count() == 1
    )

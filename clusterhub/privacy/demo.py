"""Demo consents: everyone with a role in the demo joined by invitation, so they accepted the
terms (which their cluster's service messages need); the demo member also agreed to show their
name in the directory. Idempotent: a consent already active is kept."""

from clusterhub.people.models import ConsentPurpose, Person
from clusterhub.privacy.selectors import has_consent
from clusterhub.privacy.services import consent_give

DIRECTORY_CONSENT_EMAILS = ("demo-member@clusterhub.local",)


def load_demo() -> str:
    given = 0
    people = Person.objects.filter(is_active=True).exclude(email__endswith="@erased.invalid")
    for person in people.order_by("pk"):
        if not has_consent(person, ConsentPurpose.TERMS):
            consent_give(person=person, purpose=ConsentPurpose.TERMS)
            given += 1
    for person in people.filter(email__in=DIRECTORY_CONSENT_EMAILS):
        if not has_consent(person, ConsentPurpose.DIRECTORY):
            consent_give(person=person, purpose=ConsentPurpose.DIRECTORY)
            given += 1
    return f"{given} consents recorded"

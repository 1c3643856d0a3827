"""Demo digest settings: the demo accounts consent to a digest (weekly, the org admin daily),
and the demo member keeps a saved search, so that the preview has something to show."""

from clusterhub.digest.models import DigestFrequency
from clusterhub.digest.services import digest_subscribe, has_digest_consent, preference_of
from clusterhub.people.models import Person

DEMO_SEARCH = "laboratorio per imballaggi alimentari compostabili"


def load_demo() -> str:
    """Idempotent: a second load changes nothing."""
    from clusterhub.core.demo import MANAGER_EMAIL, MEMBER_EMAIL, ORG_ADMIN_EMAIL
    from clusterhub.matchmaking.models import SavedSearch
    from clusterhub.matchmaking.services import saved_search_create

    choices = {
        MEMBER_EMAIL: DigestFrequency.WEEKLY,
        ORG_ADMIN_EMAIL: DigestFrequency.DAILY,
        MANAGER_EMAIL: DigestFrequency.WEEKLY,
    }
    people = {p.email: p for p in Person.objects.filter(email__in=list(choices))}
    for email, frequency in choices.items():
        person = people.get(email)
        if person is None:
            continue
        if preference_of(person).frequency != frequency or not has_digest_consent(person):
            digest_subscribe(person=person, frequency=frequency)
    member = people.get(MEMBER_EMAIL)
    if member is not None and not SavedSearch.objects.filter(person=member).exists():
        saved_search_create(person=member, query=DEMO_SEARCH)
    return f"{len(people)} digest subscriptions"

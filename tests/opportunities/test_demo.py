import pytest

from clusterhub.core.demo import OFFICER_EMAIL
from clusterhub.opportunities.demo import CALLS, load_demo
from clusterhub.opportunities.models import Opportunity
from clusterhub.opportunities.selectors import archived_opportunities, open_opportunities
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_calls_are_loaded_once_open_and_closed():
    PersonFactory(email=OFFICER_EMAIL, is_regional_officer=True)

    summary = load_demo()
    again = load_demo()

    assert Opportunity.objects.count() == len(CALLS)
    assert summary.startswith(f"{len(CALLS)} opportunities added")
    assert again.startswith("0 opportunities added")
    assert open_opportunities().count() >= 12
    assert archived_opportunities().count() >= 2
    # Every link is a programme's home page on an official domain, never a made-up call page.
    assert all(o.url.startswith("https://") for o in Opportunity.objects.all())

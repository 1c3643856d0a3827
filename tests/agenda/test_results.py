"""The results of a version from the database: ranking, shares, types, participation, and
who may see them when."""

import pytest
from django.contrib.auth.models import AnonymousUser

from clusterhub.agenda import services
from clusterhub.agenda.consultation import ballot_cast
from clusterhub.agenda.results import results_visible, version_results
from tests.agenda.consult_helpers import close, consultation, voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(agrifood, manager, member):
    """Alfa is supported by the member's firm and two more firms; Beta by one lab. A final
    user is a member that did not vote."""
    version, (alfa, beta) = consultation(agrifood, manager)
    firms = [member, voter(agrifood, "firm"), voter(agrifood, "firm")]
    lab = voter(agrifood, "research_lab")
    voter(agrifood, "final_user")
    for person in firms:
        ballot_cast(item=alfa, actor=person, value=1)
    ballot_cast(item=beta, actor=firms[0], value=0)
    ballot_cast(item=beta, actor=lab, value=1)
    return version, alfa, beta


def test_items_are_ranked_by_supports_with_their_share(voted):
    version, alfa, beta = voted
    results = version_results(version)
    assert [(row.item, row.rank, row.score) for row in results.items] == [
        (alfa, 1, 3),
        (beta, 2, 1),
    ]
    assert [row.share_percent for row in results.items] == [75.0, 25.0]
    assert [row.organizations for row in results.items] == [3, 2]
    assert results.items[0].by_kind[0][0] == "firm"


def test_equal_type_weighting_lets_the_lab_count_as_much_as_the_firms(voted):
    # 4 voters, 2 types: each firm ballot weighs 4 / (2 * 3) = 2/3, the lab's 2.
    # Alfa = 3 * 2/3 = 2; Beta = 0 + 1 * 2 = 2: a tie, in the agenda's order.
    version, alfa, beta = voted
    results = version_results(version, equal_types=True)
    assert [(row.item, pytest.approx(row.score)) for row in results.items] == [
        (alfa, pytest.approx(2)),
        (beta, pytest.approx(2)),
    ]


def test_participation_per_member_type(voted):
    version, _alfa, _beta = voted
    results = version_results(version)
    rows = {row.kind: (row.voted, row.eligible) for row in results.participation}
    # member_org (the member's firm) and two more firms voted; the final user did not.
    assert rows == {"firm": (3, 3), "research_lab": (1, 1), "final_user": (0, 1)}
    assert (results.voters, results.eligible) == (4, 5)


def test_who_sees_the_results_when(voted, manager, officer, member, mech):
    version, _alfa, _beta = voted
    anonymous = AnonymousUser()
    outsider = voter(mech)
    assert results_visible(manager, version) and results_visible(officer, version)
    assert not results_visible(member, version)  # not live for the members
    assert not results_visible(anonymous, version)
    close(version)
    assert results_visible(member, version)
    assert not results_visible(outsider, version) and not results_visible(anonymous, version)
    services.version_approve(version=version, actor=manager)
    services.version_publish(version=version, actor=manager)
    version.refresh_from_db()
    assert results_visible(anonymous, version) and results_visible(outsider, version)

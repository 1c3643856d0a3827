import pytest

from clusterhub.contributions.services import contribution_approve, contribution_create
from tests.factories import MembershipFactory, OrganizationFactory, OrganizationRoleFactory

SPINDLES_IT = (
    "Manutenzione predittiva dei mandrini",
    "Cerchiamo partner per sviluppare modelli di manutenzione predittiva dei mandrini: "
    "acquisiamo vibrazioni e temperature sulle macchine utensili e vorremmo prevedere i "
    "guasti dei cuscinetti con qualche settimana di anticipo.",
)
SPINDLES_EN = (
    "Predictive maintenance of machine tool spindles",
    "We are looking for partners to develop predictive maintenance models for machine tool "
    "spindles: we collect vibration and temperature data on our machines and would like to "
    "predict bearing failures a few weeks ahead.",
)
CHEESE = (
    "Imballaggi compostabili per formaggi freschi",
    "Cerchiamo materiali compostabili con barriera all'ossigeno per confezionare formaggi freschi.",
)


@pytest.fixture
def peer_org(agrifood):
    """Another member of agrifood, whose people endorse member_org's contributions."""
    organization = OrganizationFactory(name="Latteria Vicina Srl")
    MembershipFactory(organization=organization, cluster=agrifood)
    return organization


@pytest.fixture
def peer(peer_org):
    return OrganizationRoleFactory(organization=peer_org, role="member").person


@pytest.fixture
def mech_person(other_org):
    return OrganizationRoleFactory(organization=other_org, role="member").person


@pytest.fixture
def post(member, member_org, agrifood):
    """Post as the member of member_org in agrifood (override any argument)."""

    def make(title="Imballaggi compostabili", text=CHEESE[1], approve_by=None, **kwargs):
        arguments = {
            "author": member,
            "organization": member_org,
            "kind": "need",
            "title": title,
            "text": text,
            "clusters": [agrifood],
            **kwargs,
        }
        contribution = contribution_create(**arguments)
        if approve_by is not None:
            contribution = contribution_approve(contribution=contribution, actor=approve_by)
        return contribution

    return make

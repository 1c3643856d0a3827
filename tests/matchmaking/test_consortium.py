"""Consortium suggestions: one partner per role, reasons, cross-cluster preference, gaps."""

import pytest

from clusterhub.matchmaking.selectors import Consortium, suggest_consortium
from clusterhub.registry.services import membership_upsert, organization_create

pytestmark = pytest.mark.django_db

IDEA = "imballaggi compostabili per formaggi con barriera all'ossigeno"


def members(consortium: Consortium) -> dict[str, str]:
    return {m.role: m.result.organization.name for m in consortium.members}


def test_each_default_role_gets_one_partner_with_its_reason(corpus, member):
    consortium = suggest_consortium(viewer=member, query=IDEA)

    chosen = members(consortium)
    assert set(chosen) == {"research", "firm", "final_user"}
    assert chosen["final_user"] == "Caseificio Sociale Valle"
    assert chosen["research"] in {"Laboratorio Materiali Compostabili", "Green Packaging Lab"}
    kinds = {m.role: m.result.organization.kind for m in consortium.members}
    assert kinds == {"research": "research_lab", "firm": "firm", "final_user": "final_user"}
    research = next(m for m in consortium.members if m.role == "research")
    assert research.result.reasons


def test_members_of_different_clusters_are_preferred(corpus, member, mech):
    """Two labs answer the idea almost equally; the dairy is in agrifood. Across clusters,
    the mech lab gets the place; without that preference, the slightly better agrifood one."""
    twin = organization_create(
        name="Laboratorio Biopolimeri Bologna",
        kind="research_lab",
        description=(
            "Sviluppiamo film e vaschette compostabili per alimenti. "
            "Studiamo la barriera all'ossigeno dei biopolimeri."
        ),
    )
    membership_upsert(organization=twin, cluster=mech)
    roles = ["research", "final_user"]

    across = suggest_consortium(viewer=member, query=IDEA, roles=roles, cross_cluster=True)
    within = suggest_consortium(viewer=member, query=IDEA, roles=roles, cross_cluster=False)

    assert members(across)["research"] == "Laboratorio Biopolimeri Bologna"
    assert len(across.clusters) == 2
    assert members(within)["research"] == "Laboratorio Materiali Compostabili"


def test_a_role_nobody_can_fill_is_a_gap(corpus, member):
    consortium = suggest_consortium(viewer=member, query=IDEA, roles=["research", "association"])

    assert consortium.gaps == ["association"]
    assert set(members(consortium)) == {"research"}


def test_a_hidden_profile_is_never_suggested(corpus, member):
    consortium = suggest_consortium(viewer=member, query=IDEA, roles=["research"])

    names = {m.result.organization.name for m in consortium.members}
    names |= {a.organization.name for m in consortium.members for a in m.alternatives}
    assert "Laboratorio Riservato Imballaggi" not in names


def test_an_idea_without_words_suggests_nobody(corpus, member):
    consortium = suggest_consortium(viewer=member, query="...")

    assert consortium.members == []
    assert consortium.message

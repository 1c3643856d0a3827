"""The public agenda pages: only published versions, for everyone alike; citable versions
that say when a newer one exists; items with progress, needs, trends and lineage; the
comparison of versions; Italian and English."""

import pytest
from django.test import Client
from django.urls import reverse

from clusterhub.agenda.models import Phase
from tests.agenda.core_helpers import draft, item
from tests.agenda.publication_helpers import two_published_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(agrifood, manager):
    return two_published_versions(agrifood, manager)


def _get(client, name, **kwargs):
    query = kwargs.pop("query", "")
    return client.get(reverse(f"agenda:{name}", kwargs=kwargs) + query)


def test_the_index_lists_each_cluster_with_its_current_agenda(client, versions):
    response = _get(client, "public_index")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Agenda 2026" in html and "Agenda 2025" not in html
    assert reverse("agenda:public_cluster", kwargs={"slug": "agrifood"}) in html


def test_the_cluster_page_shows_the_latest_published_version(client, versions):
    response = _get(client, "public_cluster", slug="agrifood")

    assert response.status_code == 200
    assert response.context["version"] == versions.v2
    assert response.context["is_current"] is True
    assert "Current agenda" in response.content.decode()


def test_a_cluster_without_a_published_agenda_says_so(client, agrifood, manager):
    draft(agrifood, manager)

    response = _get(client, "public_cluster", slug="agrifood")

    assert response.status_code == 200
    assert "has not published an agenda yet" in response.content.decode()


def test_an_unknown_cluster_is_404(client, db):
    assert _get(client, "public_cluster", slug="nowhere").status_code == 404


def test_an_older_version_stays_citable_and_points_to_the_newer_one(client, versions):
    response = _get(client, "public_version", slug="agrifood", number=1)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Agenda 2025" in html
    assert "A newer version" in html
    assert reverse("agenda:public_version", kwargs={"slug": "agrifood", "number": 2}) in html
    assert "?from=1&amp;to=2" in html


@pytest.mark.parametrize("role", ["anonymous", "member", "manager", "officer"])
def test_a_version_not_yet_published_is_404_for_everyone_on_the_public_pages(
    agrifood, manager, person_for_role, role
):
    version = draft(agrifood, manager)
    first = item(version, manager)
    client = Client()
    if person_for_role(role):
        client.force_login(person_for_role(role))

    assert version.phase == Phase.DRAFT
    for name, extra in [
        ("public_version", {}),
        ("public_print", {}),
        ("public_csv", {}),
        ("public_json", {}),
        ("public_pdf", {}),
        ("public_item", {"pk": first.pk}),
    ]:
        response = _get(client, name, slug="agrifood", number=1, **extra)
        assert response.status_code == 404, name


def test_the_item_page_shows_objective_kpis_milestones_progress_and_lineage(client, versions):
    packaging = versions.item(versions.v2, "Imballaggi compostabili")

    response = _get(client, "public_item", slug="agrifood", number=2, pk=packaging.pk)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ridurre la plastica monouso" in html
    assert "Aziende coinvolte" in html
    assert "Bando pubblicato" in html and "Progetti avviati" in html
    # Milestones 1 of 2 done (50%), KPI 4 of 10 (40%): 45%.
    assert response.context["progress"] == 45
    assert 'aria-valuenow="45"' in html
    (step,) = [step for step, _public in response.context["lineage"]]
    assert step.item.version == versions.v1 and step.kind == "carried"
    v1_item = reverse(
        "agenda:public_item", kwargs={"slug": "agrifood", "number": 1, "pk": step.item.pk}
    )
    assert v1_item in html


def test_the_public_sees_the_public_need_and_only_a_count_of_the_members_one(client, versions):
    packaging = versions.item(versions.v2, "Imballaggi compostabili")

    response = _get(client, "public_item", slug="agrifood", number=2, pk=packaging.pk)

    html = response.content.decode()
    assert versions.public_need.title in html
    assert versions.members_need.title not in html
    assert response.context["hidden_contributions"] == 1


def test_a_member_of_the_cluster_sees_both_needs(client, versions, member):
    client.force_login(member)
    packaging = versions.item(versions.v2, "Imballaggi compostabili")

    html = _get(client, "public_item", slug="agrifood", number=2, pk=packaging.pk).content.decode()

    assert versions.public_need.title in html and versions.members_need.title in html


def test_an_item_of_another_version_is_404(client, versions):
    packaging_v1 = versions.item(versions.v1, "Imballaggi compostabili")

    response = _get(client, "public_item", slug="agrifood", number=2, pk=packaging_v1.pk)

    assert response.status_code == 404


def test_a_split_item_points_to_what_it_became(client, versions):
    training = versions.item(versions.v1, "Formazione digitale")

    response = _get(client, "public_item", slug="agrifood", number=1, pk=training.pk)

    html = response.content.decode()
    assert "Formazione digitale" in html
    # carried to v2, where it was split: the page names the v2 copy it became.
    assert [link.child.version.number for link in response.context["successors"]] == [2]


def test_the_page_speaks_italian_when_italian_is_chosen(client, versions):
    client.post(reverse("set_language"), {"language": "it", "next": "/"})

    response = _get(client, "public_version", slug="agrifood", number=2)

    assert response.status_code == 200
    assert '<html lang="it"' in response.content.decode()


def test_the_print_layout_has_every_item_in_full(client, versions):
    response = _get(client, "public_print", slug="agrifood", number=2)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ridurre la plastica monouso negli imballaggi del settore." in html
    assert "Qualità dell&#x27;acqua" in html
    assert "data-print" in html


def test_the_version_page_links_to_print_downloads_and_comparison(client, versions):
    html = _get(client, "public_version", slug="agrifood", number=2).content.decode()

    for name in ("public_print", "public_pdf", "public_csv", "public_json"):
        assert reverse(f"agenda:{name}", kwargs={"slug": "agrifood", "number": 2}) in html
    assert "?from=1&amp;to=2" in html


def test_hostile_item_text_is_escaped(client, agrifood, manager):
    from tests.agenda.core_helpers import publish

    version = draft(agrifood, manager)
    item(version, manager, title="<script>alert(1)</script>", objective="<b>bold</b>")
    publish(version, manager)

    html = _get(client, "public_version", slug="agrifood", number=1).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html


# --- Comparison ---------------------------------------------------------------------------


def test_the_diff_page_shows_the_changes_with_ins_and_del(client, versions):
    response = _get(client, "public_diff", slug="agrifood", query="?from=1&to=2")

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["counts"]["added"] == 1
    assert "monouso" in html and "<ins>" in html
    assert "Fiere di settore" in html  # removed
    assert "Formazione per le PMI" in html and "Formazione per gli ITS" in html


def test_without_versions_the_diff_compares_the_two_latest_published(client, versions):
    response = _get(client, "public_diff", slug="agrifood")

    assert response.status_code == 200
    assert (response.context["diff"].old, response.context["diff"].new) == (
        versions.v1,
        versions.v2,
    )


@pytest.mark.parametrize("query", ["?from=one&to=2", "?from=1&to=1", "?from=1&to=99999999999"])
def test_bad_version_numbers_get_a_clear_message(client, versions, query):
    response = _get(client, "public_diff", slug="agrifood", query=query)

    assert response.status_code == 400
    assert response.context["error"]


def test_a_draft_is_compared_only_by_those_who_may_read_it(agrifood, manager, member):
    found = two_published_versions(agrifood, manager, publish_v2=False)
    assert found.v2.phase == Phase.DRAFT
    url = reverse("agenda:public_diff", kwargs={"slug": "agrifood"}) + "?from=1&to=2"
    anonymous, member_client, manager_client = Client(), Client(), Client()
    member_client.force_login(member)
    manager_client.force_login(manager)

    assert anonymous.get(url).status_code == 404
    assert member_client.get(url).status_code == 404  # members see consultations, not drafts
    assert manager_client.get(url).status_code == 200


# --- The consultation's result ------------------------------------------------------------


def test_the_version_page_shows_the_consultation_result_by_rank(client, versions):
    response = _get(client, "public_version", slug="agrifood", number=2)

    results = response.context["results"]
    assert results.voters == 2
    ranked = [
        (item.title, row["rank"], row["score"]) for item, row, _ in response.context["ranked"]
    ]
    assert ranked[:2] == [("Imballaggi compostabili", 1, 2.0), ("Qualità dell'acqua", 2, 1.0)]
    html = response.content.decode()
    assert "Consultation result" in html
    assert "66.7%" in html  # 2 of the 3 supports
    assert "Participation by member type" in html


def test_weighting_member_types_equally_changes_the_scores(client, versions):
    plain = _get(client, "public_version", slug="agrifood", number=2)
    equal = _get(client, "public_version", slug="agrifood", number=2, query="?types=equal")

    assert equal.context["equal_types"] is True
    assert equal.context["results"].equal_types is True
    assert plain.context["results"].equal_types is False


def test_the_item_page_shows_its_result(client, versions):
    packaging = versions.item(versions.v2, "Imballaggi compostabili")

    response = _get(client, "public_item", slug="agrifood", number=2, pk=packaging.pk)

    assert response.context["result"]["rank"] == 1
    assert response.context["result"]["organizations"] == 2
    assert "2 organizations voted" in response.content.decode()


def test_a_version_nobody_voted_on_shows_no_result(client, versions):
    response = _get(client, "public_version", slug="agrifood", number=1)

    assert response.context["results"] is None
    assert "Consultation result" not in response.content.decode()

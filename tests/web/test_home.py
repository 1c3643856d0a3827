import pytest

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_what_clusterhub_is_the_search_box_figures_and_clusters(client, registry):
    response = client.get("/")
    html = response.content.decode()
    assert "Who does what in the region" in html
    assert 'action="/organizations/"' in html
    assert response.context["totals"] == {"organizations": 3, "labs": 2, "clusters": 7}
    assert 'href="/clusters/greentech/"' in html


def test_an_org_admin_sees_their_organization_with_an_edit_link(client, org_admin, member_org):
    client.force_login(org_admin)
    html = client.get("/").content.decode()
    assert "My organizations" in html
    assert f'href="/organizations/{member_org.pk}/edit/"' in html
    assert 'href="/clusters/agrifood/"' in html  # their cluster


def test_a_member_user_sees_their_organization_without_an_edit_link(client, member, member_org):
    client.force_login(member)
    html = client.get("/").content.decode()
    assert f'href="/organizations/{member_org.pk}/"' in html
    assert f'href="/organizations/{member_org.pk}/edit/"' not in html


def test_a_manager_sees_their_clusters_with_management_links_only(client, manager):
    client.force_login(manager)
    html = client.get("/").content.decode()
    assert 'href="/clusters/agrifood/manage/"' in html
    assert 'href="/clusters/agrifood/import/"' in html
    assert "/clusters/mech/" not in html


def test_a_regional_officer_sees_every_cluster_in_a_table(client, officer, member_org):
    client.force_login(officer)
    response = client.get("/")
    html = response.content.decode()
    assert "All clusters" in html
    assert html.count('href="/clusters/') >= 7 * 2
    agrifood = next(c for c in response.context["clusters"] if c.slug == "agrifood")
    assert agrifood.member_count == 1

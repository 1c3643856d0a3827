import pytest

from clusterhub.regions.models import S3Theme
from clusterhub.registry.models import MembershipStatus, WorkingGroup
from clusterhub.registry.services import membership_upsert, organization_update

pytestmark = pytest.mark.django_db


def url(organization):
    return f"/organizations/{organization.pk}/"


def test_a_profile_shows_the_public_fields(client, robot_lab):
    html = client.get(url(robot_lab)).content.decode()
    assert "<h1>Centro Robotica Avanzata</h1>" in html
    assert "Research lab" in html
    assert "High Technology Network accredited" in html
    assert "40126 Bologna (BO)" in html
    assert "NUTS-3 ITH55" in html


def test_it_groups_competences_under_their_platform(client, robot_lab):
    html = client.get(url(robot_lab)).content.decode()
    platform = html.index("Mechanics and materials")
    assert platform < html.index("Automation: actuators and robotics")


def test_it_shows_s3_themes_clusters_and_working_groups(client, robot_lab, mech):
    theme = S3Theme.objects.filter(level=2).first()
    organization_update(organization=robot_lab, s3_themes=[theme])
    group = WorkingGroup.objects.create(cluster=mech, name="Collaborative robots")
    group.organizations.add(robot_lab)
    html = client.get(url(robot_lab)).content.decode()
    assert theme.name_en in html
    assert f'href="/clusters/{mech.slug}/"' in html
    assert "Collaborative robots" in html


def test_it_hides_memberships_that_are_not_active(client, robot_lab, agrifood):
    membership_upsert(organization=robot_lab, cluster=agrifood, status=MembershipStatus.ENDED)
    assert agrifood.name_en not in client.get(url(robot_lab)).content.decode()


def test_it_credits_the_source_of_an_imported_record(client, robot_lab):
    html = client.get(url(robot_lab)).content.decode()
    assert "Source: High Technology Network lab list, ART-ER 2018." in html


def test_an_unknown_organization_is_not_found(client, db):
    assert client.get("/organizations/999999/").status_code == 404


def test_only_someone_who_may_edit_sees_the_edit_link(client, member_org, org_admin, member):
    edit = f"/organizations/{member_org.pk}/edit/"
    assert edit not in client.get(url(member_org)).content.decode()
    client.force_login(member)
    assert edit not in client.get(url(member_org)).content.decode()
    client.force_login(org_admin)
    assert edit in client.get(url(member_org)).content.decode()

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clusterhub.people.services import invitation_create
from clusterhub.people.tokens import token_create
from clusterhub.registry.import_jobs import import_job_create


@pytest.fixture
def world(
    settings, tmp_path, officer, manager, org_admin, member, member_org, other_org, agrifood, mech
):
    """One of each object the routes of the matrix point at, in agrifood and in mech."""
    settings.MEDIA_ROOT = tmp_path

    def upload():
        return SimpleUploadedFile("orgs.csv", b"name;kind;postcode\nNuova Srl;firm;40126\n")

    member_token, _key = token_create(person=member, name="member's script")
    _invitation, invitation_token = invitation_create(
        inviter=officer,
        email="invitee@example.org",
        role="member",
        organization=member_org,
        site_url="http://testserver/",
    )
    return SimpleNamespace(
        agrifood=agrifood,
        mech=mech,
        member_org=member_org,
        other_org=other_org,
        agrifood_membership=member_org.memberships.get(cluster=agrifood),
        mech_membership=other_org.memberships.get(cluster=mech),
        agrifood_job=import_job_create(cluster=agrifood, actor=manager, upload=upload()),
        mech_job=import_job_create(cluster=mech, actor=officer, upload=upload()),
        member_token=member_token,
        invitation_token=invitation_token,
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Passwords of the role fixtures hash in microseconds; the real hasher takes ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

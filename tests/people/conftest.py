import re

import pytest
from django.core import mail

from clusterhub.people.services import invitation_create


def token_from_last_email() -> str:
    """The invitation token, read from the link of the last email sent."""
    match = re.search(r"/invitations/([\w-]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def invite():
    """Send an invitation as someone; returns the token from the email."""

    def send(inviter, **kwargs):
        _invitation, token = invitation_create(
            inviter=inviter, site_url="http://testserver/", **kwargs
        )
        return token

    return send


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Passwords of the role fixtures hash in microseconds; the real hasher takes ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

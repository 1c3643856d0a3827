"""CSRF on state-changing browser requests, and the security headers of every page."""

import pytest
from django.test import Client
from django.urls import reverse

from clusterhub.people.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_post_without_csrf_token_is_refused(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    response = browser.post(reverse("people:token_create"), {"name": "sneaky"})

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_post_with_the_csrf_token_is_accepted(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    browser.get(reverse("people:account"))
    token = browser.cookies["csrftoken"].value

    response = browser.post(
        reverse("people:token_create"), {"name": "mine", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 200
    assert ApiToken.objects.filter(person=member).count() == 1


def test_a_membership_change_without_csrf_token_is_refused(manager, member_org, agrifood):
    membership = member_org.memberships.get(cluster=agrifood)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)

    response = browser.post(
        reverse("registry_manage:membership_status", args=["agrifood", membership.pk]),
        {"action": "suspend"},
    )

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == "active"


def test_sign_in_without_csrf_token_is_refused(member):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(
        reverse("people:login"), {"username": member.email, "password": "correct-horse-battery"}
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


@pytest.mark.parametrize("url_name", ["core:home", "people:login"])
def test_pages_carry_the_security_headers(client, url_name):
    response = client.get(reverse(url_name))

    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"

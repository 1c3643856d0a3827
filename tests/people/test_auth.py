import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_email_and_password_and_gets_a_new_session(client):
    PersonFactory(email="anna@example.org")
    client.get(reverse("people:login"))
    client.session.save()
    before = client.session.session_key

    response = client.post(
        reverse("people:login"), {"username": "Anna@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    assert client.session.session_key != before


def test_unknown_email_and_wrong_password_get_the_same_answer(client):
    PersonFactory(email="anna@example.org")

    wrong_password = client.post(
        reverse("people:login"), {"username": "anna@example.org", "password": "wrong-one"}
    )
    unknown_user = client.post(
        reverse("people:login"), {"username": "nobody@example.org", "password": "wrong-one"}
    )

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post(client, member):
    client.force_login(member)

    assert client.get(reverse("people:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    assert client.post(reverse("people:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_emails_a_link_that_sets_a_new_password(client):
    person = PersonFactory(email="anna@example.org")

    client.post(reverse("people:password_reset"), {"email": "anna@example.org"})
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-passphrase-77", "new_password2": "a-fresh-passphrase-77"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("people:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password("a-fresh-passphrase-77")


def test_password_reset_does_not_reveal_whether_an_email_has_an_account(client):
    response = client.post(reverse("people:password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("people:password_reset_done")
    assert mail.outbox == []


def test_a_password_change_keeps_this_session_and_ends_the_others(client, member):
    other_device = client.__class__()
    other_device.force_login(member)
    client.force_login(member)

    response = client.post(
        reverse("people:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-fresh-passphrase-77",
            "new_password2": "a-fresh-passphrase-77",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("people:account")).status_code == 200
    assert other_device.get(reverse("people:account")).status_code == 302

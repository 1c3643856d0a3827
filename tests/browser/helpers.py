"""Steps several journeys take the same way."""

import re

from playwright.sync_api import expect

from tests.factories import PASSWORD


def sign_in(page, base_url, email, next_path):
    """Sign in as `email` (after signing out whoever was) and land on `next_path`."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))

"""Pages render in Italian when the visitor chose Italian, and stay English otherwise."""

from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings

from tests.i18n.conftest import ITALIAN_PO

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/organizations/", "/clusters/", "/clusters/agrifood/", "/accounts/login/"]


class _VisibleText(HTMLParser):
    """Text nodes and the attributes people read (title, placeholder, aria-label, alt).

    Leaves out scripts, styles and <code>: column codes such as `postcode` are identifiers.
    """

    READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.texts = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):
            self._skip += 1
        self.texts |= {
            value.strip() for name, value in attrs if name in self.READ_ATTRIBUTES and value
        }

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()))


def _visible_texts(html):
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


@pytest.fixture(scope="module")
def english_only_strings():
    """UI strings that are not Italian: seeing one means a missed translation.

    Leaves out English words that are also Italian translations ("Province", plural of "Provincia"),
    and the names of the languages, which language menus show in their own language ("English").
    """
    catalogue = [e for e in polib.pofile(str(ITALIAN_PO)) if not e.msgid_plural]
    italian = {" ".join(e.msgstr.split()) for e in catalogue}
    language_names = {name for _code, name in settings.LANGUAGES}
    english = {" ".join(e.msgid.split()) for e in catalogue if "%" not in e.msgid}
    return english - italian - language_names


def test_the_login_page_speaks_italian(italian_client):
    html = italian_client.get("/accounts/login/").content.decode()
    assert '<html lang="it"' in html
    assert "Accedi" in html
    assert "Password dimenticata?" in html
    assert "Sign in" not in html


def test_the_home_page_speaks_italian(italian_client):
    html = italian_client.get("/").content.decode()
    assert "Chi fa cosa nell'ecosistema regionale dell'innovazione" in html
    assert "Cerca organizzazioni" in html
    assert "Accedi" in html
    assert "Sign in" not in html
    assert "Who does what" not in html


def test_the_directory_speaks_italian(italian_client, registry):
    html = italian_client.get("/organizations/").content.decode()
    assert "<strong>2</strong> organizzazioni" in html
    assert "Rete Alta Tecnologia" in html
    assert "+2 altre" in html
    assert "Tutte le province" in html
    assert "Laboratorio di ricerca" in html
    assert "Dati aperti:" in html
    assert "Research lab" not in html
    assert "Sign in" not in html


def test_accept_language_italian_is_honoured_without_a_cookie(client, italian_catalogue):
    html = client.get("/organizations/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert '<html lang="it"' in html
    assert "Accedi" in html


def test_without_a_choice_the_pages_stay_english(client, italian_catalogue):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en"' in html
    assert "Sign in" in html
    assert "Accedi" not in html


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_no_public_page_shows_english_interface_text_in_italian(
    italian_client, registry, english_only_strings, path
):
    response = italian_client.get(path)
    assert response.status_code == 200
    leftovers = _visible_texts(response.content.decode()) & english_only_strings
    assert leftovers == set()


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_no_signed_in_page_shows_english_interface_text_in_italian(
    italian_client, person_for_role, registry, english_only_strings, role
):
    italian_client.force_login(person_for_role(role))
    for path in ["/", "/account/", "/clusters/agrifood/manage/", "/clusters/agrifood/import/"]:
        response = italian_client.get(path)
        assert response.status_code == 200, path
        leftovers = _visible_texts(response.content.decode()) & english_only_strings
        assert leftovers == set(), path

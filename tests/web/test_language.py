import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/organizations/", "/clusters/", "/clusters/agrifood/"])
def test_every_page_offers_the_language_switch_back_to_itself(client, path):
    html = client.get(path).content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert f'name="next" type="hidden" value="{path}"' in html


def test_switching_to_italian_changes_the_page_language(client, agrifood):
    assert '<html lang="en"' in client.get("/clusters/agrifood/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "it", "next": "/clusters/agrifood/?x=1"})
    assert response.status_code == 302
    assert response["Location"] == "/clusters/agrifood/?x=1"
    html = client.get("/clusters/agrifood/").content.decode()
    assert '<html lang="it"' in html
    # Names from the region preset follow the language at once.
    assert "<h1>Agroalimentare</h1>" in html

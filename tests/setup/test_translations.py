"""`compile_translations` turns every .po into a .mo with polib, and refuses broken ones."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext, trans_real

HEADER = """msgid ""
msgstr ""
"Language: it\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""


@pytest.fixture
def locale(tmp_path, settings):
    folder = tmp_path / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path]
    yield folder
    # Forget catalogues loaded from the temporary folder.
    trans_real._translations = {}
    trans_real._active = trans_real.Local()


def test_it_compiles_a_catalogue_django_then_uses(locale):
    (locale / "django.po").write_text(
        HEADER + 'msgid "Directory of the ecosystem"\nmsgstr "Elenco dell\'ecosistema"\n',
        encoding="utf-8",
    )
    call_command("compile_translations", stdout=io.StringIO())
    assert (locale / "django.mo").exists()
    trans_real._translations = {}
    with translation.override("it"):
        assert gettext("Directory of the ecosystem") == "Elenco dell'ecosistema"


def test_it_refuses_a_translation_that_loses_a_placeholder(locale):
    (locale / "django.po").write_text(
        HEADER + 'msgid "%(count)s organizations"\nmsgstr "organizzazioni"\n', encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"line \d+: '%\(count\)s organizations'"):
        call_command("compile_translations", stdout=io.StringIO())
    assert not (locale / "django.mo").exists()


def test_a_plural_form_may_leave_out_the_count(locale):
    (locale / "django.po").write_text(
        HEADER
        + 'msgid "One result"\nmsgid_plural "%(count)s results"\n'
        + 'msgstr[0] "Un risultato"\nmsgstr[1] "%(count)s risultati"\n',
        encoding="utf-8",
    )
    call_command("compile_translations", stdout=io.StringIO())
    assert (locale / "django.mo").exists()


def test_the_project_catalogues_compile():
    output = io.StringIO()
    call_command("compile_translations", stdout=output)
    assert "locale/it/LC_MESSAGES/django.po" in output.getvalue()

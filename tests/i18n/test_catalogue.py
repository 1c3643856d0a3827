"""The Italian catalogue is complete, and no translation breaks a placeholder or a tag."""

import re

import polib
import pytest

from clusterhub.core.management.commands.compile_translations import PLACEHOLDER
from tests.i18n.conftest import ITALIAN_PO

TAG = re.compile(r"</?[a-z][a-z0-9]*\b[^>]*>")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(ITALIAN_PO))


def _forms(entry):
    """(original, translation) pairs: each plural form against the original it translates."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if index == 0 else entry.msgid_plural, text)
        for index, text in sorted(entry.msgstr_plural.items())
    ]


def _where(entry):
    return f"line {entry.linenum}: {entry.msgid!r}"


def test_every_entry_is_translated(catalogue):
    untranslated = [_where(e) for e in catalogue.untranslated_entries() if not e.obsolete]
    assert untranslated == []


def test_no_entry_is_fuzzy(catalogue):
    assert [_where(e) for e in catalogue.fuzzy_entries()] == []


def test_the_catalogue_is_italian_with_two_plural_forms(catalogue):
    assert catalogue.metadata["Language"] == "it"
    assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    plurals = [e for e in catalogue if e.msgid_plural]
    assert plurals, "the catalogue has plural entries to check"
    assert all(sorted(e.msgstr_plural) == [0, 1] for e in plurals)


def test_every_translation_keeps_the_placeholders_of_its_original(catalogue):
    broken = [
        f"{_where(e)} -> {text!r}"
        for e in catalogue
        for original, text in _forms(e)
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(original))
    ]
    assert broken == []


def test_every_translation_keeps_the_html_tags_of_its_original(catalogue):
    broken = [
        f"{_where(e)} -> {text!r}"
        for e in catalogue
        for original, text in _forms(e)
        if TAG.findall(text) != TAG.findall(original)
    ]
    assert broken == []


def test_the_placeholder_check_catches_a_lost_or_renamed_placeholder():
    entry = polib.POEntry(msgid="%(rows)d rows in %(seconds).1f s", msgstr="%(rows)d righe")
    assert PLACEHOLDER.findall(entry.msgid) == ["%(rows)d", "%(seconds).1f"]
    assert sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(PLACEHOLDER.findall(entry.msgid))
    assert PLACEHOLDER.findall("{name} e {nome}") == ["{name}", "{nome}"]

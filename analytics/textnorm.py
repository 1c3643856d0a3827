"""Normalisation of organization names, used for natural keys and record linkage."""

import re
import unicodedata

# Legal forms and filler words that do not distinguish one organization from another.
_LEGAL_FORMS = {
    "srl",
    "srls",
    "spa",
    "sas",
    "snc",
    "sapa",
    "scarl",
    "scrl",
    "scpa",
    "soc",
    "coop",
    "societa",
    "cooperativa",
    "consortile",
    "consorzio",
    "ltd",
    "limited",
    "llc",
    "gmbh",
    "ag",
    "sa",
    "sl",
    "bv",
    "nv",
    "plc",
    "inc",
    "co",
    "sarl",
    "ab",
    "oy",
    "as",
    "unipersonale",
    "a",
    "r",
    "l",
    "s",
    "p",
    "per",
    "azioni",
    "responsabilita",
    "limitata",
}
_NON_WORD = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"[0-9a-z]+")


def strip_accents(text: str) -> str:
    if text.isascii():  # most text, and the decomposition below is slow
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_name(name: str) -> str:
    """Lower-case, accent-free, punctuation-free name without legal forms.

    >>> normalize_name("Advanced Polymer Materials S.r.l.")
    'advanced polymer materials'
    >>> normalize_name("BARILLA G. e R. FRATELLI SOCIETA' PER AZIONI")
    'barilla g e fratelli'
    """
    words = _NON_WORD.sub(" ", strip_accents(name).lower()).split()
    kept = [w for w in words if w not in _LEGAL_FORMS]
    return " ".join(kept or words)


def normalize_words(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces.

    >>> normalize_words("Forlì-Cesena, Città")
    'forli cesena citta'
    """
    return " ".join(_WORD.findall(strip_accents(text).lower()))

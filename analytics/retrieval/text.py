"""Text analysis shared by indexing, querying and explanations.

Words are runs of letters and digits (Unicode), lower-cased; each text's language (Italian or
English) is guessed from its function words and stemmed with the matching Snowball stemmer
(PyStemmer). Words lose their accents before stemming, so "qualità" and "qualita" meet.

Queries keep, for every word, its stem in the query's language and, when the index holds
text of the other language, its stem in that language too: lexical scoring takes the best of
the two per word, so "drug delivery" typed as English still matches an Italian profile that
lists "Drug delivery" (stemmed as Italian).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import Stemmer  # type: ignore[import-not-found]
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_ITALIAN  # type: ignore[import-untyped]

Language = Literal["it", "en"]
LANGUAGES: tuple[Language, ...] = ("en", "it")

# Anything longer is cut before analysis: a query is a sentence or a paragraph, not a book.
MAX_QUERY_CHARS = 2000
# Distinct words of a query that are scored (the rest of a huge query adds nothing useful).
MAX_QUERY_WORDS = 64

_WORD = re.compile(r"[^\W_]+")
_SNOWBALL = {"en": "english", "it": "italian"}

# Function words that tell the two languages apart (words shared by both, like "in", "a",
# "come", "non", are left out).
_MARKERS: dict[Language, frozenset[str]] = {
    "en": frozenset(
        "the and of to is are for with on by that this from be we our an at or which its"
        " was were has have been their these those into can will not also such than".split()
    ),
    "it": frozenset(
        "il lo la gli le di del della dei delle dello degli e ed è per con un una uno che nel"
        " nella nei nelle sono da dal dalla al alla alle ai dell sul sulla tra fra si anche"
        " questo questa più delle sua suo loro quale ogni cui ha hanno essere".split()
    ),
}
_ITALIAN_SUFFIXES = ("zione", "zioni", "mente", "ità")

# Italian elided forms ("dell'", "l'", "un'") end up as separate short words.
_EXTRA_STOP_IT = {"l", "d", "dell", "nell", "all", "dall", "sull", "quest", "un", "c", "po"}
STOPWORDS: dict[Language, frozenset[str]] = {
    "en": frozenset(STOPWORDS_EN),
    "it": frozenset(STOPWORDS_ITALIAN) | _EXTRA_STOP_IT,
}


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str  # lower-cased surface form


def words(text: str) -> Iterator[Word]:
    """Words of ``text`` with their character offsets (in ``text``)."""
    for match in _WORD.finditer(text):
        yield Word(match.start(), match.end(), match.group().lower())


def detect_language(text: str, default: Language = "en") -> Language:
    """'it' or 'en' by counting function words; ``default`` when the text gives no evidence."""
    return guess_language(text) or default


def guess_language(text: str) -> Language | None:
    """'it' or 'en' by counting function words; None when the text gives no evidence."""
    score = {"en": 0.0, "it": 0.0}
    for word in words(text[:5000]):
        token = word.text
        if token in _MARKERS["en"]:
            score["en"] += 1.0
        elif token in _MARKERS["it"]:
            score["it"] += 1.0
        elif len(token) > 5 and token.endswith(_ITALIAN_SUFFIXES):
            score["it"] += 0.5
    if score["it"] > score["en"]:
        return "it"
    if score["en"] > score["it"]:
        return "en"
    return None


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _Stemmers:
    def __init__(self) -> None:
        self._stemmers = {lang: Stemmer.Stemmer(algo) for lang, algo in _SNOWBALL.items()}

    def stem(self, word: str, lang: Language) -> str:
        # accents go first: people type "qualita" for "qualità", and the stemmer treats the
        # two differently ("qual" vs "qualit")
        return str(self._stemmers[lang].stemWord(_strip_accents(word)))


_STEMMERS = _Stemmers()


@lru_cache(maxsize=262_144)
def stem(word: str, lang: Language) -> str:
    """The Snowball stem of a lower-cased word in ``lang``, without accents."""
    return _STEMMERS.stem(word, lang)


def is_stopword(word: str, lang: Language) -> bool:
    return word in STOPWORDS[lang] or len(word) < 2


def field_terms(text: str, lang: Language) -> list[str]:
    """Stemmed index terms of one text in ``lang`` (stop words and 1-character words dropped)."""
    return [stem(w.text, lang) for w in words(text) if not is_stopword(w.text, lang)]


def document_language(fields: Mapping[str, str], default: Language = "en") -> Language:
    """The language of a whole document (all its fields together)."""
    return detect_language(" ".join(fields.values()), default)


def document_terms(
    fields: Mapping[str, str], default: Language = "en"
) -> tuple[list[str], Language]:
    """Index terms of a document and its language.

    Each field is stemmed in its own language (a profile may describe itself in Italian and
    list English project objectives); a field without evidence (a list of competences)
    takes the document's language.
    """
    doc_lang = document_language(fields, default)
    terms: list[str] = []
    for text in fields.values():
        if not text:
            continue
        terms.extend(field_terms(text, detect_language(text, doc_lang)))
    return terms, doc_lang


@dataclass(frozen=True)
class QueryTerms:
    lang: Language | None  # None: the query gives no evidence (e.g. two keywords)
    # one entry per distinct query word: its stems, the query language's first
    variants: tuple[tuple[str, ...], ...]

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(s for group in self.variants for s in group)

    def __bool__(self) -> bool:
        return bool(self.variants)


def clean_query(query: object) -> str:
    """A query as safe text: non-strings become '', control characters spaces, cut to size."""
    if not isinstance(query, str):
        return ""
    text = query[:MAX_QUERY_CHARS]
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


def query_terms(
    query: str, *, other_languages: bool = True, default: Language = "en"
) -> QueryTerms:
    """Stemmed terms of a query, grouped by word (see the module docstring)."""
    text = clean_query(query)
    guessed = guess_language(text)
    lang = guessed or default
    others: tuple[Language, ...] = (
        tuple(x for x in LANGUAGES if x != lang) if other_languages else ()
    )
    seen: set[str] = set()
    groups: list[tuple[str, ...]] = []
    for word in words(text):
        token = word.text
        if token in seen or is_stopword(token, lang):
            continue
        seen.add(token)
        group = [stem(token, lang)]
        for other in others:
            if not is_stopword(token, other):
                alt = stem(token, other)
                if alt not in group:
                    group.append(alt)
        groups.append(tuple(group))
        if len(groups) >= MAX_QUERY_WORDS:
            break
    return QueryTerms(lang=guessed, variants=tuple(groups))


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[^\s])|\s*[\n|•]+\s*")


def sentences(text: str, max_chars: int = 400) -> list[tuple[int, str]]:
    """Sentences (or list items) of ``text`` with their start offsets; long ones cut in pieces."""
    out: list[tuple[int, str]] = []
    start = 0
    bounds = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    bounds.append((len(text), len(text)))
    for end, next_start in bounds:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + piece.index(stripped[0])
            while len(stripped) > max_chars:
                cut = stripped.rfind(" ", 0, max_chars)
                cut = cut if cut > max_chars // 2 else max_chars
                out.append((offset, stripped[:cut]))
                rest = stripped[cut:]
                lead = len(rest) - len(rest.lstrip())
                offset += cut + lead
                stripped = rest.lstrip()
            if stripped:
                out.append((offset, stripped))
        start = next_start
    return out

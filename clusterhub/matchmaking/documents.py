"""What the match index knows of an organization: its searchable text, field by field.

One `Document` per organization (id = the organization's primary key). Taxonomy names go in
both languages, so that a need written in Italian or in English finds them by their words.
The text hash identifies the document: a stored vector is reused while the hash matches.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from clusterhub.matchmaking.engine import Document
from clusterhub.regions.models import Competence, S3Theme
from clusterhub.registry.models import Organization

# Bump when the way documents are built changes: every stored vector is then recomputed.
DOCUMENT_FORMAT = 1

# Field name -> label shown next to a matching passage. The order is the document's order.
FIELD_LABELS = {
    "name": _("Name"),
    "description": _("Description"),
    "competences": _("Competences"),
    "competence_notes": _("Other competences"),
    "equipment": _("Equipment"),
    "themes": _("S3 themes"),
    "projects": _("EU projects"),
}

# EU projects cited per organization, most recent first; objectives are cut to this length.
MAX_PROJECTS = 12
MAX_OBJECTIVE_CHARS = 600


def _term_line(term: Competence | S3Theme) -> str:
    """A taxonomy term in both languages, on its own line."""
    italian, english = term.name_it.strip(), term.name_en.strip()
    if italian and english and italian.casefold() != english.casefold():
        return f"{italian} ({english})"
    return italian or english


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + "…"


def _project_lines(organization: Organization) -> list[str]:
    participations = getattr(organization, "indexed_participations", None)
    if participations is None:
        return []
    projects = []
    seen = set()
    for participation in participations:
        project = participation.project
        if project.pk in seen:
            continue
        seen.add(project.pk)
        projects.append(project)
    lines = []
    for project in projects[:MAX_PROJECTS]:
        title = " ".join(project.title.split())
        head = f"{project.acronym}: {title}" if project.acronym else title
        objective = _cut(project.objective, MAX_OBJECTIVE_CHARS) if project.objective else ""
        lines.append(f"{head}. {objective}".strip() if objective else head)
    return lines


def document_fields(organization: Organization) -> dict[str, str]:
    """The searchable text of a loaded organization (see `documents_queryset`), by field."""
    competences = sorted(organization.competences.all(), key=lambda c: (c.position, c.code))
    themes = sorted(organization.s3_themes.all(), key=lambda t: (t.position, t.code))
    fields = {
        "name": organization.name.strip(),
        "description": organization.description.strip(),
        "competences": "\n".join(_term_line(c) for c in competences),
        "competence_notes": organization.competence_notes.strip(),
        "equipment": organization.equipment.strip(),
        "themes": "\n".join(_term_line(t) for t in themes),
        "projects": "\n".join(_project_lines(organization)),
    }
    return {name: text for name, text in fields.items() if text}


def text_hash(fields: dict[str, str]) -> str:
    payload = json.dumps([DOCUMENT_FORMAT, fields], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def documents_queryset(ids: Iterable[int] | None = None) -> QuerySet[Organization]:
    """Organizations with everything their document needs, in few queries."""
    from clusterhub.projects.models import Participation

    participations = (
        Participation.objects.select_related("project")
        .only(
            "id",
            "organization_id",
            "project__id",
            "project__acronym",
            "project__title",
            "project__objective",
            "project__start_date",
        )
        .order_by("-project__start_date", "project_id")
    )
    queryset = Organization.objects.only(
        "id", "name", "description", "competence_notes", "equipment"
    ).prefetch_related(
        Prefetch(
            "competences",
            queryset=Competence.objects.only("id", "code", "position", "name_en", "name_it"),
        ),
        Prefetch(
            "s3_themes",
            queryset=S3Theme.objects.only("id", "code", "position", "name_en", "name_it"),
        ),
        Prefetch("participations", queryset=participations, to_attr="indexed_participations"),
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.order_by("pk")


def build_document(organization: Organization) -> Document:
    return Document(id=organization.pk, fields=document_fields(organization))


def iter_documents(
    ids: Iterable[int] | None = None, *, chunk_size: int = 500
) -> Iterator[tuple[Document, str]]:
    """(document, text hash) of each organization (all, or these ids), in id order."""
    for organization in documents_queryset(ids).iterator(chunk_size=chunk_size):
        document = build_document(organization)
        yield document, text_hash(dict(document.fields))


def documents_by_id(ids: Iterable[int]) -> dict[int, Document]:
    return {doc.id: doc for doc, _hash in iter_documents(ids)}

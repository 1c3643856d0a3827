"""Reading CORDIS open-data files: their layouts, columns and the values of each cell.

Layouts (`LAYOUTS`), each told apart by its header row (see `detect_layout`):

- ``cordis-bulk``: the official bulk download of FP7, Horizon 2020 and Horizon Europe
  (``cordis-h2020projects-csv.zip`` ...): ``project.csv`` (id;acronym;status;title;startDate;
  endDate;totalCost;ecMaxContribution;legalBasis;topics;ecSignatureDate;frameworkProgramme;
  masterCall;subCall;fundingScheme;nature;objective;contentUpdateDate;rcn;grantDoi) and
  ``organization.csv`` (projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;
  activityType;street;postCode;city;country;nutsCode;geolocation;organizationURL;contactForm;
  contentUpdateDate;rcn;order;role;ecContribution;netEcContribution;totalCost;
  endOfParticipation;active). Older releases name a few columns differently (``id`` for the
  organisation, ``call``, ``programme``); they are read too.
- ``cordis-2020``: the 2019-2020 one-table layout (rcn,id,acronym,status,programme,topics,
  frameworkProgramme,title,...,coordinator,coordinatorCountry,participants,
  participantCountries,subjects): the coordinator by name and country, the other participants
  as a ';'-list of names; their countries are the project's set, not one per name.
- ``inrae-csv``: projects.csv (id,programme,acronym,title,...,cordisUrl) and participants.csv
  (projectID,acronym,pic,name,shortName,country,city,activityType,role,ecContribution).
- ``inrae-json``: {"projects": [{..., "partners": [{...}]}]}.

Amounts are read in either decimal style ("1234.5", "1234,5", "1.234,5", "1,234.5"); dates as
YYYY-MM-DD (a time after it is ignored) or DD/MM/YYYY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from analytics.textnorm import normalize_name
from clusterhub.projects.models import ActivityType, Framework, ParticipantRole

CORDIS_BULK = "cordis-bulk"
CORDIS_2020 = "cordis-2020"
INRAE_CSV = "inrae-csv"
INRAE_JSON = "inrae-json"
LAYOUTS = (CORDIS_BULK, CORDIS_2020, INRAE_CSV, INRAE_JSON)

# What a file holds.
PROJECTS = "projects"  # one project a row
PARTICIPANTS = "participants"  # one participation a row, pointing at a project by its id
COMBINED = "combined"  # one project a row, its participants listed in it (cordis-2020, json)

# Canonical field -> the headers that fill it (compared lower-cased), in order of preference.
PROJECT_COLUMNS: dict[str, tuple[str, ...]] = {
    "cordis_id": ("id", "projectid"),
    "acronym": ("acronym",),
    "title": ("title",),
    "objective": ("objective",),
    "status": ("status",),
    "start_date": ("startdate",),
    "end_date": ("enddate",),
    "total_cost": ("totalcost",),
    "eu_contribution": ("ecmaxcontribution",),
    "legal_basis": ("legalbasis",),
    "programme": ("programme",),
    "framework": ("frameworkprogramme",),
    "topic": ("topics", "topic"),
    "call": ("call", "mastercall"),
    "funding_scheme": ("fundingscheme",),
    "keywords": ("keywords",),
    "coordinator": ("coordinator",),
    "coordinator_country": ("coordinatorcountry",),
    "participants": ("participants",),
    "participant_countries": ("participantcountries",),
}
PARTICIPANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "project_id": ("projectid",),
    "pic": ("organisationid", "organizationid", "pic", "id"),
    "vat_number": ("vatnumber",),
    "name": ("name",),
    "short_name": ("shortname",),
    "country": ("country",),
    "city": ("city",),
    "postcode": ("postcode",),
    "nuts": ("nutscode",),
    "role": ("role",),
    "activity_type": ("activitytype",),
    "eu_contribution": ("eccontribution",),
}
REQUIRED = {
    PROJECTS: ("cordis_id", "title"),
    PARTICIPANTS: ("project_id", "name"),
    COMBINED: ("cordis_id", "title", "coordinator", "participants"),
}

ROLES = {
    "coordinator": ParticipantRole.COORDINATOR,
    "participant": ParticipantRole.PARTICIPANT,
    "beneficiary": ParticipantRole.PARTICIPANT,
    "thirdparty": ParticipantRole.THIRD_PARTY,
    "associatedpartner": ParticipantRole.PARTNER,
    "internationalpartner": ParticipantRole.PARTNER,
    "partner": ParticipantRole.PARTNER,
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%d-%m-%Y")
MAX_AMOUNT = Decimal("999999999999.99")  # the 14 digits the model stores

_ID = re.compile(r"[A-Za-z0-9-]{1,20}")
_PIC = re.compile(r"\d{9}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_ISO_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})[ T].*")
_AMOUNT_CHARS = re.compile(r"[\s\u00a0\u202f'€]")


class CellError(ValueError):
    """A cell's value is unusable; the message says why."""


def header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def detect_layout(headers: list[str]) -> tuple[str, str] | None:
    """(layout, what the file holds) from a CSV header row, or None when it is no CORDIS file."""
    keys = {header_key(h) for h in headers}
    if {"id", "title", "coordinator", "participants"} <= keys:
        return CORDIS_2020, COMBINED
    if {"projectid", "name"} <= keys:
        if "pic" in keys and not keys & {"organisationid", "organizationid", "vatnumber"}:
            return INRAE_CSV, PARTICIPANTS
        return CORDIS_BULK, PARTICIPANTS
    if {"id", "title"} <= keys:
        if keys & {"cordisurl", "partnercount", "partnercountries"}:
            return INRAE_CSV, PROJECTS
        return CORDIS_BULK, PROJECTS
    return None


def column_map(headers: list[str], kind: str) -> dict[str, int]:
    """Canonical field -> index of the column that fills it."""
    columns = PARTICIPANT_COLUMNS if kind == PARTICIPANTS else PROJECT_COLUMNS
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for name, synonyms in columns.items():
        for synonym in synonyms:
            if synonym in keys and keys.index(synonym) not in taken:
                found[name] = keys.index(synonym)
                taken.add(found[name])
                break
    return found


# --- Cells ------------------------------------------------------------------------------


def parse_date(text: str) -> date:
    text = text.strip()
    iso = _ISO_PREFIX.fullmatch(text)
    if iso:
        text = iso.group(1)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(
        _("%(value)s is not a date; write YYYY-MM-DD or DD/MM/YYYY.") % {"value": repr(text[:40])}
    )


def parse_amount(text: str) -> Decimal:
    """An amount in euro, in either decimal style; never negative."""
    cleaned = _AMOUNT_CHARS.sub("", text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1:
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cleaned):
        raise CellError(_("%(value)s is not an amount.") % {"value": repr(text[:40])})
    try:
        amount = Decimal(cleaned).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise CellError(_("%(value)s is not an amount.") % {"value": repr(text[:40])}) from exc
    if amount < 0:
        raise CellError(_("An amount cannot be negative (%(value)s).") % {"value": text[:40]})
    if amount > MAX_AMOUNT:
        raise CellError(_("%(value)s is too large for an amount.") % {"value": text[:40]})
    return amount


def parse_role(text: str) -> str:
    if not text.strip():
        return ParticipantRole.PARTICIPANT
    role = ROLES.get(re.sub(r"[^a-z]", "", text.lower()))
    if role is None:
        raise CellError(
            _("Unknown role %(value)s; expected coordinator, participant, thirdParty or partner.")
            % {"value": repr(text[:40])}
        )
    return role


def parse_activity_type(text: str) -> str:
    code = text.strip().upper()
    if code and code not in ActivityType.values:
        raise CellError(
            _("Unknown activity type %(value)s; expected one of %(codes)s.")
            % {"value": repr(text[:40]), "codes": ", ".join(ActivityType.values)}
        )
    return code


def parse_cordis_id(text: str) -> str:
    value = text.strip()
    if value.endswith(".0") and value[:-2].isdigit():  # a spreadsheet's number
        value = value[:-2]
    if not _ID.fullmatch(value):
        raise CellError(_("%(value)s is not a CORDIS project id.") % {"value": repr(text[:40])})
    return value


def parse_pic(text: str) -> str:
    value = re.sub(r"\s", "", text)
    if value.endswith(".0"):
        value = value[:-2]
    if not _PIC.fullmatch(value):
        raise CellError(
            _("%(value)s is not a PIC (9 digits).") % {"value": repr(text[:40])},
        )
    return value


def parse_country(text: str) -> str:
    value = text.strip().upper()
    if not _COUNTRY.fullmatch(value):
        raise CellError(_("%(value)s is not a 2-letter country code.") % {"value": repr(text[:20])})
    return value


def framework_of(*texts: str) -> str:
    """The framework programme named by a code such as "H2020", "HORIZON.2.6", "FP7-KBBE"."""
    for text in texts:
        code = text.strip().upper()
        if code.startswith("FP7"):
            return Framework.FP7
        if code.startswith("H2020"):
            return Framework.H2020
        if code.startswith(("HORIZON", "HE")):
            return Framework.HORIZON
    return ""


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# --- Rows -------------------------------------------------------------------------------


@dataclass
class ParticipantRow:
    """One participation read from a file, checked, not yet stored."""

    file: str
    line: int
    project_id: str
    key: str  # natural key inside the project: the PIC, else the normalised name
    values: dict[str, Any]  # Participation fields given (non-empty)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header, for messages
    # False when the file itself says the project has nobody from the region's country.
    may_be_in_region: bool = True


@dataclass
class ProjectRow:
    file: str
    line: int
    values: dict[str, Any]  # Project fields given (non-empty)
    columns: dict[str, str] = field(default_factory=dict)
    participants: list[ParticipantRow] = field(default_factory=list)


def participant_key(pic: str, name: str) -> str:
    return pic if pic else f"name:{normalize_name(name)}"[:255]


def merge_participants(first: ParticipantRow, other: ParticipantRow) -> None:
    """Fold a repeated participant of one project into its first row: the contributions add up,
    a coordinator stays coordinator, other values fill only what the first row lacks."""
    for name, value in other.values.items():
        if name == "eu_contribution":
            first.values[name] = first.values.get(name, Decimal(0)) + value
        elif name == "role":
            if value == ParticipantRole.COORDINATOR:
                first.values[name] = value
        else:
            first.values.setdefault(name, value)


class RowReader:
    """Turns the cells of one row (a {header key: text} mapping) into a checked row.

    Problems are passed to `report(line, column, message)`; a row with any is dropped.
    """

    def __init__(
        self,
        *,
        file: str,
        kind: str,
        columns: dict[str, str],
        report: Any,
        region_country: str,
    ) -> None:
        self.file = file
        self.kind = kind
        self.columns = columns  # field -> header key present in the rows
        self.headers: dict[str, str] = {}  # field -> header as written, for messages
        self.report = report
        self.region_country = region_country
        self.last_cordis_id: str | None = None

    def _cells(self, cells: dict[str, str], columns: dict[str, str]) -> dict[str, str]:
        return {name: cells.get(key, "").strip() for name, key in columns.items()}

    def _header(self, name: str) -> str:
        return self.headers.get(name, name)

    def project(self, line: int, cells: dict[str, str]) -> ProjectRow | None:
        text = self._cells(cells, self.columns)
        problems: list[tuple[str, Any]] = []
        values: dict[str, Any] = {}

        def read(name: str, parse: Any) -> Any:
            if not text.get(name):
                return None
            try:
                return parse(text[name])
            except CellError as exc:
                problems.append((name, exc))
                return None

        cordis_id = read("cordis_id", parse_cordis_id)
        # Known even when the row is refused: its participants then raise no second error.
        self.last_cordis_id = cordis_id
        if cordis_id:
            values["cordis_id"] = cordis_id
        for name in ("cordis_id", "title"):
            if not text.get(name):
                problems.append((name, _("A value is required.")))
        for name, length in (
            ("acronym", 60),
            ("title", 600),
            ("topic", 255),
            ("call", 120),
            ("funding_scheme", 60),
            ("status", 20),
        ):
            if text.get(name):
                values[name] = _cut(text[name], length)
        for name in ("objective", "keywords"):
            if text.get(name):
                values[name] = text[name]
        # The legal basis names the programme where a file has it; else the programme column.
        programme = text.get("legal_basis" if "legal_basis" in self.columns else "programme")
        if programme:
            values["programme"] = _cut(programme, 255)
        framework = framework_of(
            text.get("framework", ""),
            text.get("programme", ""),
            text.get("legal_basis", ""),
            text.get("topic", ""),
            text.get("call", ""),
        )
        if framework:
            values["framework"] = framework
        for name in ("start_date", "end_date"):
            value = read(name, parse_date)
            if value:
                values[name] = value
        for name in ("total_cost", "eu_contribution"):
            value = read(name, parse_amount)
            if value is not None:
                values[name] = value
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            problems.append(("end_date", _("The project ends before it starts.")))
        row = ProjectRow(self.file, line, values)
        if self.kind == COMBINED and cordis_id:
            row.participants = self._listed_participants(line, cordis_id, text, problems)
        for name, message in problems:
            self.report(line, self._header(name), message)
        return None if problems else row

    def _listed_participants(
        self, line: int, cordis_id: str, text: dict[str, str], problems: list[tuple[str, Any]]
    ) -> list[ParticipantRow]:
        """The coordinator and ';'-listed participants of a cordis-2020 row."""
        countries = {c.strip().upper() for c in text.get("participant_countries", "").split(";")}
        coordinator_country = text.get("coordinator_country", "").upper()
        countries.add(coordinator_country)
        may_be_in_region = not self.region_country or self.region_country in countries
        rows: dict[str, ParticipantRow] = {}
        names = [("coordinator", text.get("coordinator", ""))]
        names += [("participants", n) for n in text.get("participants", "").split(";")]
        for column, raw in names:
            name = raw.strip()
            if not name:
                continue
            values: dict[str, Any] = {"name": _cut(name, 500)}
            if column == "coordinator":
                values["role"] = ParticipantRole.COORDINATOR
                if coordinator_country:
                    try:
                        values["country"] = parse_country(coordinator_country)
                    except CellError as exc:
                        problems.append(("coordinator_country", exc))
                may_be = not self.region_country or coordinator_country in (
                    "",
                    self.region_country,
                )
            else:
                values["role"] = ParticipantRole.PARTICIPANT
                may_be = may_be_in_region
            key = participant_key("", name)
            row = ParticipantRow(self.file, line, cordis_id, key, values, may_be_in_region=may_be)
            if key in rows:
                merge_participants(rows[key], row)
            else:
                rows[key] = row
        return list(rows.values())

    def participant(
        self, line: int, cells: dict[str, str], project_id: str | None = None
    ) -> ParticipantRow | None:
        """A participation row; `project_id` is given for rows nested in a project."""
        text = self._cells(cells, self.columns)
        problems: list[tuple[str, Any]] = []
        values: dict[str, Any] = {}
        if project_id is None:
            if not text.get("project_id"):
                problems.append(("project_id", _("A value is required.")))
            else:
                try:
                    project_id = parse_cordis_id(text["project_id"])
                except CellError as exc:
                    problems.append(("project_id", exc))
        if not text.get("name"):
            problems.append(("name", _("A value is required.")))
        else:
            values["name"] = _cut(text["name"], 500)
        parsers: dict[str, Any] = {
            "pic": parse_pic,
            "country": parse_country,
            "role": parse_role,
            "activity_type": parse_activity_type,
            "eu_contribution": parse_amount,
        }
        for name, parse in parsers.items():
            if text.get(name):
                try:
                    value = parse(text[name])
                except CellError as exc:
                    problems.append((name, exc))
                    continue
                if value != "":
                    values[name] = value
        for name, length in (("short_name", 120), ("city", 120), ("postcode", 10)):
            if text.get(name):
                values[name] = _cut(text[name], length)
        if text.get("vat_number"):
            values["vat_number"] = re.sub(r"[\s.\-]", "", text["vat_number"])[:20]
        if text.get("nuts"):
            values["nuts"] = text["nuts"].upper()[:10]
        for name, message in problems:
            self.report(line, self._header(name), message)
        if problems or project_id is None:
            return None
        key = participant_key(values.get("pic", ""), values["name"])
        return ParticipantRow(self.file, line, project_id, key, values)

"""What clusterhub stores about a person: one exporter per kind of record that names them.

The registry is explicit on purpose. `tests/privacy/test_coverage.py` walks every model and
fails when a relation to a person (ForeignKey, OneToOne or ManyToMany to `people.Person`) is
named by no exporter and not listed in `NOT_PERSONAL` with a reason: a new model that
references a person cannot ship without deciding what the export and the erasure do with it.

The same entries describe the data on the public privacy page (`/privacy/`) and decide what
`erase_person` deletes (`Fate.DELETE`); everything else is kept, linked to the anonymized
account, whose name has become a pseudonym.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Fate(StrEnum):
    """What erasure does with the records of an exporter."""

    ANONYMIZE = "anonymize"  # the person's own account: contact data replaced
    DELETE = "delete"  # personal-only records with no purpose once the person is gone
    CLOSE = "close"  # roles removed, tokens revoked, consents withdrawn, future seats freed
    KEEP = "keep"  # work of the cluster, kept under the pseudonym


FATE_LABELS: dict[Fate, Promise] = {
    Fate.ANONYMIZE: _("Anonymized: email and name replaced, sign-in disabled."),
    Fate.DELETE: _("Deleted."),
    Fate.CLOSE: _("Closed: removed, revoked or withdrawn (the withdrawal is recorded)."),
    Fate.KEEP: _("Kept, shown under the pseudonym."),
}


@dataclass(frozen=True)
class Exporter:
    """The records of `model` that concern a person, reached through `via` (a field that points
    at the person) or `query` (any lookup, for indirect links)."""

    key: str  # the file name in the archive, unique
    model: str  # "app_label.ModelName"
    title: Promise
    purpose: Promise  # why it is stored
    fate: Fate
    via: str | None = None
    query: Callable[[Any], Q] | None = None
    # Exported columns; None: every concrete column except `hidden` and binary ones.
    fields: tuple[str, ...] | None = None
    hidden: tuple[str, ...] = ()

    def lookup(self, person: Any) -> Q:
        if self.query is not None:
            return self.query(person)
        assert self.via is not None
        return Q(**{self.via: person.pk})


def _meetings(person: Any) -> Q:
    return Q(requester__person=person.pk) | Q(invitee__person=person.pk)


def _audit_about(person: Any) -> Q:
    return Q(target_type="people.person", target_id=str(person.pk))


def _erasures(person: Any) -> Q:
    return Q(person_id=person.pk)


EXPORTERS: tuple[Exporter, ...] = (
    # --- Account ------------------------------------------------------------------------------
    Exporter(
        key="account",
        model="people.Person",
        via="pk",
        title=_("Your account"),
        purpose=_("Email and name to sign in and to be recognised; language of the interface."),
        fields=(
            "id",
            "email",
            "full_name",
            "language",
            "is_regional_officer",
            "is_staff",
            "is_active",
            "date_joined",
            "last_login",
            "groups",
        ),
        fate=Fate.ANONYMIZE,
    ),
    Exporter(
        key="cluster_roles",
        model="people.ClusterRole",
        via="person",
        title=_("Your roles in clusters"),
        purpose=_("Which clusters you manage, to decide what you may see and change."),
        fate=Fate.CLOSE,
    ),
    Exporter(
        key="organization_roles",
        model="people.OrganizationRole",
        via="person",
        title=_("Your roles in organizations"),
        purpose=_("The organizations you act for, as member user or admin."),
        fate=Fate.CLOSE,
    ),
    Exporter(
        key="consents",
        model="people.Consent",
        via="person",
        title=_("Your consents"),
        purpose=_("Proof of what you agreed to (terms, digest, directory), when, and withdrawals."),
        fate=Fate.CLOSE,
    ),
    Exporter(
        key="invitation_accepted",
        model="people.Invitation",
        via="accepted_by",
        title=_("The invitation you accepted"),
        purpose=_("How you joined: who invited you, with which role, when."),
        hidden=("token_hash",),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="invitations_sent",
        model="people.Invitation",
        via="invited_by",
        title=_("Invitations you sent"),
        purpose=_("Who granted a role: the inviter is recorded with the invitation."),
        # The invitee's address is their data, not yours.
        fields=("id", "role", "cluster", "organization", "created_at", "expires_at", "accepted_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="api_tokens",
        model="people.ApiToken",
        via="person",
        title=_("Your API tokens"),
        purpose=_("Scripts that call the API as you (only a hash of each key is stored)."),
        hidden=("key_hash",),
        fate=Fate.CLOSE,
    ),
    Exporter(
        key="login_events",
        model="engagement.LoginEvent",
        via="person",
        title=_("Your sign-ins"),
        purpose=_("Days you signed in, counted in your organization's engagement score."),
        fate=Fate.DELETE,
    ),
    # --- What you wrote or did ---------------------------------------------------------------
    Exporter(
        key="contributions",
        model="contributions.Contribution",
        via="author",
        title=_("Your contributions"),
        purpose=_("Needs, trends and opportunities you voiced for your organization."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="endorsements",
        model="contributions.Endorsement",
        via="person",
        title=_("Your endorsements"),
        purpose=_("Contributions you endorsed for your organization."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="comments",
        model="contributions.Comment",
        via="author",
        title=_("Your comments on contributions"),
        purpose=_("The discussion of members' contributions."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="contribution_moderation",
        model="contributions.ContributionEvent",
        via="actor",
        title=_("Your moderation of contributions"),
        purpose=_("History of approvals, merges and closures, for accountability."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="agenda_versions",
        model="agenda.AgendaVersion",
        via="created_by",
        title=_("Agenda versions you created"),
        purpose=_("Who drafted each version of a cluster's strategic agenda."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="agenda_item_events",
        model="agenda.ItemEvent",
        via="actor",
        title=_("Your changes to agenda items"),
        purpose=_("History of each agenda item, for accountability."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="agenda_comments",
        model="agenda.ItemComment",
        via="author",
        title=_("Your comments on agenda items"),
        purpose=_("The public consultation on the agenda."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="amendments",
        model="agenda.Amendment",
        via="author",
        title=_("Amendments you proposed"),
        purpose=_("The public consultation on the agenda."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="amendments_decided",
        model="agenda.Amendment",
        via="decided_by",
        title=_("Amendments you decided"),
        purpose=_("Who accepted or rejected an amendment, for accountability."),
        fields=("id", "item", "organization", "status", "decision_reason", "decided_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="ballots",
        model="agenda.Ballot",
        via="cast_by",
        title=_("Votes you cast for your organization"),
        purpose=_("The vote of each organization on the agenda items (one per organization)."),
        fate=Fate.KEEP,
    ),
    # --- Events -------------------------------------------------------------------------------
    Exporter(
        key="event_registrations",
        model="events.Registration",
        via="person",
        title=_("Your event registrations"),
        purpose=_("Seats, waiting lists and check-in at events."),
        fate=Fate.CLOSE,
    ),
    Exporter(
        key="check_ins_done",
        model="events.Registration",
        via="checked_in_by",
        title=_("Check-ins you made"),
        purpose=_("Who checked an attendee in, for the attendance record."),
        fields=("id", "event", "checked_in_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="b2b_meetings",
        model="events.Meeting",
        query=_meetings,
        title=_("Your B2B meetings"),
        purpose=_("Meetings you requested or were asked for at events."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="calendar_feed",
        model="events.CalendarFeed",
        via="person",
        title=_("Your calendar feed"),
        purpose=_("The private link of your iCal feed of events."),
        hidden=("token",),
        fate=Fate.DELETE,
    ),
    Exporter(
        key="events_created",
        model="events.Event",
        via="created_by",
        title=_("Events you created"),
        purpose=_("Who organised an event."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="event_feedback",
        model="assessment.FeedbackResponse",
        via="person",
        title=_("Your feedback on events"),
        purpose=_("The cluster's performance account (results are shown only in aggregate)."),
        fate=Fate.KEEP,
    ),
    # --- Tools you use ------------------------------------------------------------------------
    Exporter(
        key="saved_searches",
        model="matchmaking.SavedSearch",
        via="person",
        title=_("Your saved partner searches"),
        purpose=_("To tell you about new matching organizations in your digest."),
        hidden=("known_result_ids",),
        fate=Fate.DELETE,
    ),
    Exporter(
        key="digest_preference",
        model="digest.DigestPreference",
        via="person",
        title=_("Your digest settings"),
        purpose=_("How often you want the email digest."),
        fate=Fate.DELETE,
    ),
    Exporter(
        key="skills",
        model="assessment.SkillAssessment",
        via="person",
        title=_("Your skills self-assessment"),
        purpose=_("Cluster managers' skills, for their own development plan."),
        hidden=("framework",),
        fate=Fate.DELETE,
    ),
    # --- Work done for a cluster --------------------------------------------------------------
    Exporter(
        key="opportunities_created",
        model="opportunities.Opportunity",
        via="created_by",
        title=_("Opportunities you entered"),
        purpose=_("Who published a call or opportunity."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="reengagement_invitations_sent",
        model="engagement.ReEngagementInvitation",
        via="sent_by",
        title=_("Invitations back you sent to organizations"),
        purpose=_("The cooldown between two invitations to the same organization."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="assessments_created",
        model="assessment.Assessment",
        via="created_by",
        title=_("Self-assessments you started"),
        purpose=_("Who prepared a cluster's self-assessment."),
        fields=("id", "cluster", "year", "status", "created_at", "submitted_at", "published_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="assessment_answers",
        model="assessment.Answer",
        via="updated_by",
        title=_("Self-assessment answers you edited"),
        purpose=_("Who last changed an answer of a self-assessment."),
        fields=("id", "assessment", "indicator", "value", "level", "note", "updated_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="assessment_attachments",
        model="assessment.Attachment",
        via="uploaded_by",
        title=_("Evidence files you uploaded"),
        purpose=_("Who added evidence to a self-assessment."),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="trend_runs",
        model="trends.TrendRun",
        via="created_by",
        title=_("Trend detections you started"),
        purpose=_("Who started a detection run."),
        fields=("id", "cluster", "period", "status", "created_at", "finished_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="organization_imports",
        model="registry.ImportJob",
        via="created_by",
        title=_("Organization imports you ran"),
        purpose=_("Who imported which file, for accountability."),
        fields=("id", "cluster", "original_name", "status", "created_at", "updated_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="organization_merges",
        model="registry.OrganizationMerge",
        via="merged_by",
        title=_("Organization merges you made"),
        purpose=_("Who merged duplicate organizations, for accountability."),
        fields=("id", "kept", "merged_id", "merged_name", "reason", "created_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="project_imports",
        model="projects.ProjectImportJob",
        via="created_by",
        title=_("EU project imports you ran"),
        purpose=_("Who imported which file, for accountability."),
        fields=("id", "layout", "status", "created_at", "updated_at"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="project_match_decisions",
        model="projects.ParticipantMatch",
        via="decided_by",
        title=_("Project participants you linked"),
        purpose=_("Who confirmed or rejected a link between a project and an organization."),
        fields=("id", "participation", "candidate", "status", "decided_at"),
        fate=Fate.KEEP,
    ),
    # --- Accountability -----------------------------------------------------------------------
    Exporter(
        key="audit_actions",
        model="audit.AuditEntry",
        via="actor",
        title=_("Changes you made, in the audit trail"),
        purpose=_("Who changed roles, memberships, moderation, imports and agendas, and when."),
        # The before/after of a change to someone else's role names that person.
        fields=("id", "at", "action", "target_type", "target_id", "cluster", "note"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="audit_about_you",
        model="audit.AuditEntry",
        query=_audit_about,
        title=_("Changes to your roles, in the audit trail"),
        purpose=_("Who granted or revoked your roles, and when."),
        fields=("id", "at", "action", "target_type", "target_id", "cluster", "before", "after"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="backoffice_log",
        model="admin.LogEntry",
        via="user",
        title=_("Your changes in the back office"),
        purpose=_("The back office's own history of changes, for accountability."),
        fields=("id", "action_time", "content_type", "object_id", "action_flag"),
        fate=Fate.KEEP,
    ),
    Exporter(
        key="erasures",
        model="privacy.Erasure",
        query=_erasures,
        title=_("Erasure of your account"),
        purpose=_("Proof that your data was erased, re-applied after a restore from backup."),
        fate=Fate.KEEP,
    ),
)


# Relations to a person that are not data about that person, with the reason.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("privacy.Erasure", "requested_by"): (
        "the officer (or the person themself) who asked for an erasure; exported to the erased "
        "person through `person_id`, and the requester is an administrative fact of the erasure"
    ),
}


def exporters() -> tuple[Exporter, ...]:
    return EXPORTERS


def covered_relations() -> set[tuple[str, str]]:
    """(model label, field name) pairs that the registry decides about."""
    covered = {(exporter.model, exporter.via) for exporter in EXPORTERS if exporter.via}
    return covered | set(NOT_PERSONAL)


def deleted_on_erasure() -> list[Exporter]:
    return [exporter for exporter in EXPORTERS if exporter.fate == Fate.DELETE]

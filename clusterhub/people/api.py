"""API about people: your own profile and tokens; the people of a cluster you manage.

Email addresses leave only through /clusters/{slug}/people, to that cluster's managers.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from clusterhub.api import (
    BODY_ERRORS,
    ERRORS,
    MAX_ID,
    NOT_BLANK,
    SLUG_PATTERN,
    Page,
    auth_for,
)
from clusterhub.core.access import Policy, access, role_of
from clusterhub.people.models import OrganizationRole, Person
from clusterhub.people.selectors import cluster_people, cluster_roles_of, organization_roles_of
from clusterhub.people.tokens import token_create, token_revoke, tokens_of
from clusterhub.registry.selectors import cluster_get_for_manager

router = Router(tags=["people"])


class OrganizationRoleOut(Schema):
    organization_id: int
    organization_name: str
    role: str

    @staticmethod
    def resolve_organization_name(role: OrganizationRole) -> str:
        return role.organization.name


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    role: str = Field(description="Your most powerful role: member, org_admin, manager, officer.")
    is_regional_officer: bool
    managed_clusters: list[str]
    organizations: list[OrganizationRoleOut]

    @staticmethod
    def resolve_role(person: Person) -> str:
        return str(role_of(person))

    @staticmethod
    def resolve_managed_clusters(person: Person) -> list[str]:
        return [role.cluster.slug for role in cluster_roles_of(person)]

    @staticmethod
    def resolve_organizations(person: Person) -> list[OrganizationRole]:
        return list(organization_roles_of(person))


class ClusterPersonOut(Schema):
    person_id: int
    full_name: str
    email: str
    organization_id: int
    organization_name: str
    role: str

    @staticmethod
    def resolve_full_name(role: OrganizationRole) -> str:
        return role.person.full_name

    @staticmethod
    def resolve_email(role: OrganizationRole) -> str:
        return role.person.email

    @staticmethod
    def resolve_organization_name(role: OrganizationRole) -> str:
        return role.organization.name


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the key, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    key: str = Field(description="Send as `Authorization: Bearer <key>`. Shown only once.")


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=100, pattern=NOT_BLANK)


@router.get("/people/me", response={200: MeOut, **ERRORS}, auth=auth_for(Policy.AUTHENTICATED))
@access(Policy.AUTHENTICATED)
def me(request: HttpRequest) -> Any:
    """Your own profile and roles."""
    return request.user


@router.get(
    "/clusters/{slug}/people",
    response={200: list[ClusterPersonOut], **ERRORS},
    auth=auth_for(Policy.MANAGER),
)
@access(Policy.MANAGER)
@paginate(Page)
def list_cluster_people(
    request: HttpRequest, slug: str = Path(..., max_length=50, pattern=SLUG_PATTERN)
) -> Any:
    """People of the organizations in a cluster you manage, one row per organization role."""
    cluster = cluster_get_for_manager(user=request.user, slug=slug)
    return cluster_people(cluster=cluster)


@router.get(
    "/tokens", response={200: list[TokenOut], **ERRORS}, auth=auth_for(Policy.AUTHENTICATED)
)
@access(Policy.AUTHENTICATED)
@paginate(Page)
def list_tokens(request: HttpRequest) -> Any:
    """Your API tokens, revoked ones included. Keys are never shown again."""
    return tokens_of(person=request.user)  # type: ignore[arg-type]


@router.post(
    "/tokens", response={201: NewTokenOut, **BODY_ERRORS}, auth=auth_for(Policy.AUTHENTICATED)
)
@access(Policy.AUTHENTICATED)
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    """Create an API token. Its key is in this answer and nowhere else: store it now."""
    token, key = token_create(person=request.user, name=payload.name)  # type: ignore[arg-type]
    token.key = key  # type: ignore[attr-defined]
    return Status(201, token)


@router.delete(
    "/tokens/{token_id}", response={204: None, **ERRORS}, auth=auth_for(Policy.AUTHENTICATED)
)
@access(Policy.AUTHENTICATED)
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> Status:
    """Revoke one of your tokens: it stops working at once."""
    token_revoke(person=request.user, token_id=token_id)  # type: ignore[arg-type]
    return Status(204, None)

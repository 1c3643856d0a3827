"""People, their roles in clusters and organizations, consent, invitations and API tokens."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Organization


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "Person":
        if not email:
            raise ValueError("A person needs an email address")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(
        self, email: str, password: str | None = None, **extra: object
    ) -> "Person":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """Someone who uses clusterhub. Signs in with the email address."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=[("en", "English"), ("it", "Italiano")], default="it"
    )
    is_regional_officer = models.BooleanField(_("regional officer"), default=False)
    is_staff = models.BooleanField(_("back-office access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email


class ClusterRoleKind(models.TextChoices):
    MANAGER = "manager", _("Cluster manager")


class ClusterRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="cluster_roles")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(
        max_length=16, choices=ClusterRoleKind.choices, default=ClusterRoleKind.MANAGER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "cluster"], name="cluster_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.cluster}"


class OrganizationRoleKind(models.TextChoices):
    ADMIN = "admin", _("Organization admin")
    MEMBER = "member", _("Member user")


class OrganizationRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="organization_roles")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="person_roles"
    )
    role = models.CharField(
        max_length=16, choices=OrganizationRoleKind.choices, default=OrganizationRoleKind.MEMBER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], name="organization_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.organization}"


class ConsentPurpose(models.TextChoices):
    TERMS = "terms", _("Terms of use and privacy notice")
    DIGEST = "digest", _("Email digest of opportunities and news")
    DIRECTORY = "directory", _("Name shown to other members")


class Consent(models.Model):
    """A consent given by a person for one purpose; withdrawal is recorded, not deleted."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=ConsentPurpose.choices)
    terms_version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person} · {self.purpose} · {self.terms_version}"


class InvitationRole(models.TextChoices):
    CLUSTER_MANAGER = "cluster_manager", _("Cluster manager")
    ORG_ADMIN = "org_admin", _("Organization admin")
    MEMBER = "member", _("Member user")


class Invitation(models.Model):
    """An emailed link that lets a person join with a role. Only the token's hash is stored."""

    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=InvitationRole.choices)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A token for machine clients of the REST API. Only its hash is stored."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from clusterhub.people.models import (
    ApiToken,
    ClusterRole,
    Consent,
    Invitation,
    OrganizationRole,
    Person,
)


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = Person
        fields = ["email"]

    def clean_email(self) -> str:
        # Stored lower-case, like every other way a person is created, so sign-in finds it.
        return self.cleaned_data["email"].lower()


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = Person
        fields = "__all__"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class ClusterRoleInline(admin.TabularInline):
    model = ClusterRole
    extra = 0
    fk_name = "person"


class OrganizationRoleInline(admin.TabularInline):
    model = OrganizationRole
    extra = 0
    fk_name = "person"
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    """Django's user admin, keyed on the email address instead of a username."""

    form = PersonChangeForm
    add_form = PersonCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "is_regional_officer",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_regional_officer", "is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "language"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_regional_officer",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]},
        )
    ]
    inlines = [ClusterRoleInline, OrganizationRoleInline]

    def get_inlines(self, request, obj):  # type: ignore[no-untyped-def]
        # Roles are added on the second step, like the rest of the profile.
        return self.inlines if obj is not None else []


@admin.register(ClusterRole)
class ClusterRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "cluster", "role", "created_at"]
    list_filter = ["cluster", "role"]
    search_fields = ["person__email", "person__full_name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person", "cluster"]


@admin.register(OrganizationRole)
class OrganizationRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["person__email", "person__full_name", "organization__name"]
    autocomplete_fields = ["person", "organization"]
    list_select_related = ["person", "organization"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "purpose", "terms_version", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "terms_version"]
    search_fields = ["person__email"]
    autocomplete_fields = ["person"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are created by the invite form, which emails the token."""

    list_display = [
        "email",
        "role",
        "cluster",
        "organization",
        "invited_by",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["role", "cluster"]
    search_fields = ["email", "organization__name"]
    exclude = ["token_hash"]
    list_select_related = ["cluster", "organization", "invited_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only apart from deletion: keys are created by their owner on the account page."""

    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "person__email", "prefix"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

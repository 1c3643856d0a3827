from django.contrib import admin

from clusterhub.assessment.models import (
    Answer,
    Assessment,
    Attachment,
    FeedbackResponse,
    SkillAssessment,
)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["indicator", "value", "level", "prefilled", "overridden", "note"]
    readonly_fields = ["indicator", "prefilled"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["cluster", "year", "status", "framework_version", "updated_at"]
    list_filter = ["status", "cluster"]
    search_fields = ["cluster__slug", "cluster__short_name", "year"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["framework_version", "created_at", "updated_at"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["assessment", "indicator", "value", "level", "prefilled", "overridden"]
    list_filter = ["prefilled", "overridden"]
    search_fields = ["indicator", "note", "assessment__cluster__slug"]
    raw_id_fields = ["assessment", "updated_by"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "answer", "content_type", "size", "created_at"]
    search_fields = ["name", "answer__indicator"]
    raw_id_fields = ["answer", "uploaded_by"]


@admin.register(SkillAssessment)
class SkillAssessmentAdmin(admin.ModelAdmin):
    list_display = ["person", "cluster", "date", "framework_version"]
    list_filter = ["cluster"]
    search_fields = ["person__email", "person__full_name", "cluster__slug"]
    raw_id_fields = ["person"]


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(admin.ModelAdmin):
    list_display = ["event", "organization", "person", "satisfaction", "created_at"]
    list_filter = ["satisfaction", "new_ideas", "new_products"]
    search_fields = ["event__title", "organization__name", "person__email"]
    raw_id_fields = ["event", "person", "organization"]

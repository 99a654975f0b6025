from django.contrib import admin

from forms_app.models import Form, Submission


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "slug", "project", "is_active", "created_at")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("id", "form", "source", "created_at")

from __future__ import annotations

from django import forms
from django.utils import timezone

from accounts.models import Role


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="What uses this key, e.g. 'CRM sync'.")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)
    expires_at = forms.DateTimeField(
        required=False,
        help_text="Optional. After this moment the key stops working.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_expires_at(self):
        value = self.cleaned_data.get("expires_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("Choose a moment in the future.")
        return value


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class AddMemberForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)
    password = forms.CharField(
        widget=forms.PasswordInput, min_length=8, help_text="A first password; they can change it later."
    )

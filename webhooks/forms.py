from django import forms

from webhooks.models import EventType


class WebhookForm(forms.Form):
    url = forms.URLField(label="Receiver URL", max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=EventType.choices, widget=forms.CheckboxSelectMultiple, initial=[EventType.FORM_SUBMITTED]
    )
    description = forms.CharField(max_length=500, required=False)

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Use an http:// or https:// address.")
        return url

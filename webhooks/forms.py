from django import forms

from webhooks.models import EventType
from webhooks.targets import checked_target_url


class WebhookForm(forms.Form):
    url = forms.CharField(label="Receiver URL", max_length=2000)
    events = forms.MultipleChoiceField(
        choices=EventType.choices, widget=forms.CheckboxSelectMultiple, initial=[EventType.FORM_SUBMITTED]
    )
    description = forms.CharField(max_length=500, required=False)

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if "://" not in url:
            url = f"https://{url}"
        return checked_target_url(url)

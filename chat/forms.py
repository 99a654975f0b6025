"""The channel form of the pages: common fields, and each channel type's own settings."""

from __future__ import annotations

from django import forms

from chat.models import ChannelType
from workflows.models import Workflow

# Page fields per channel type, each stored under the same key in Channel.settings.
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    ChannelType.WEB: ("allowed_origins",),
    ChannelType.GENERIC: ("callback_url",),
    ChannelType.WHATSAPP: (
        "phone_number_id",
        "graph_api_base",
        "graph_api_version",
        "verify_token_credential",
        "app_secret_credential",
        "access_token_credential",
    ),
}
LIST_SETTINGS = {"allowed_origins"}


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(choices=ChannelType.choices, initial=ChannelType.WEB)
    default_workflow = forms.ModelChoiceField(
        queryset=Workflow.objects.none(),
        required=False,
        empty_label="None",
        help_text="Runs when no active workflow's trigger keywords match.",
    )
    fallback_reply = forms.CharField(
        max_length=2000,
        required=False,
        help_text="Sent when no workflow takes the message (no keyword match and no default workflow).",
    )
    active = forms.BooleanField(required=False, initial=True, label="Active (takes messages)")

    allowed_origins = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Allowed sites",
        help_text="Origins of the pages that may embed the widget, one per line (https://shop.example.com); "
        "empty lets any site embed it.",
    )
    callback_url = forms.URLField(
        max_length=2000, required=False, label="Callback URL", help_text="Replies are POSTed here, signed."
    )
    phone_number_id = forms.CharField(max_length=100, required=False, label="Phone number id")
    graph_api_base = forms.URLField(
        max_length=500, required=False, label="Graph API base URL", help_text="Default: https://graph.facebook.com"
    )
    graph_api_version = forms.CharField(
        max_length=20, required=False, label="Graph API version", help_text="Default: v21.0"
    )
    verify_token_credential = forms.ChoiceField(required=False, label="Verify token (an HMAC secret credential)")
    app_secret_credential = forms.ChoiceField(required=False, label="App secret (an HMAC secret credential)")
    access_token_credential = forms.ChoiceField(required=False, label="Access token (a bearer credential)")

    def __init__(self, *args, project, channel=None, credentials=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["default_workflow"].queryset = Workflow.objects.filter(project=project).order_by("name")
        choices = [("", "None"), *((credential.id, credential.name) for credential in credentials)]
        for name in ("verify_token_credential", "app_secret_credential", "access_token_credential"):
            self.fields[name].choices = choices
        if channel is not None:
            del self.fields["type"]  # a channel keeps its type: its URL and settings depend on it
            self.type_fields_by_type = {channel.type: TYPE_FIELDS.get(channel.type, ())}
            for names in TYPE_FIELDS.values():
                for name in names:
                    if name not in self.type_fields_by_type[channel.type]:
                        del self.fields[name]
        else:
            self.type_fields_by_type = dict(TYPE_FIELDS)
        self.type_fields = {name for names in self.type_fields_by_type.values() for name in names}

    @classmethod
    def initial_for(cls, channel) -> dict:
        initial = {
            "name": channel.name,
            "default_workflow": channel.default_workflow_id,
            "fallback_reply": channel.fallback_reply,
            "active": channel.active,
        }
        for name in TYPE_FIELDS.get(channel.type, ()):
            value = (channel.settings or {}).get(name)
            initial[name] = "\n".join(value) if name in LIST_SETTINGS and isinstance(value, list) else value
        return initial

    def channel_type(self) -> str:
        return self.channel.type if self.channel is not None else self.cleaned_data["type"]

    def channel_settings(self) -> dict:
        """The chosen type's settings. A new channel leaves blank ones out (the adapter fills its
        defaults); a change sends them all, so clearing a setting clears it."""
        values = {}
        for name in TYPE_FIELDS.get(self.channel_type(), ()):
            value = self.cleaned_data.get(name)
            if name in LIST_SETTINGS:
                value = [line.strip() for line in (value or "").splitlines() if line.strip()]
            elif value is None:
                value = ""
            if self.channel is not None or value not in ("", []):
                values[name] = value
        return values

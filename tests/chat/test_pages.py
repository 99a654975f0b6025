"""The chat pages: channels (create, settings, embed snippet or inbound URL, metrics, delete),
conversations (filters) and a transcript with each turn's run; the widget's script and stylesheet."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from chat import routing
from chat.models import Channel, Conversation
from tests.chat.conftest import chat_flow, drain, live_workflow, make_channel, reply

pytestmark = pytest.mark.django_db(transaction=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_adds_a_web_channel_and_gets_its_one_line_embed_snippet(alice, project):
    browser = client_for(alice)
    answer = browser.post(
        "/chat/channels/",
        {"name": "Site chat", "type": "web", "active": "on", "allowed_origins": "https://shop.example.com\n"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    channel = Channel.objects.get(name="Site chat")
    assert answer["Location"] == f"/chat/channels/{channel.id}/"
    assert channel.settings == {"allowed_origins": ["https://shop.example.com"]} and channel.active

    page = browser.get(answer["Location"]).content.decode()
    snippet = html.unescape(re.search(r'id="embed-snippet"[^>]*>([^<]+)<', page).group(1))
    assert snippet == f'<script src="http://testserver/chat/widget.js" data-channel="{channel.token}" async></script>'
    assert 'data-chart="chat"' in page and 'id="chart-data"' in page


def test_a_generic_channel_shows_its_inbound_url_and_bad_settings_are_field_errors(alice, project):
    browser = client_for(alice)
    refused = browser.post("/chat/channels/", {"name": "Hooks", "type": "generic", "callback_url": "http://10.0.0.7/x"})
    assert refused.status_code == 200
    assert Channel.objects.count() == 0
    assert 'class="error"' in refused.content.decode()

    made = browser.post("/chat/channels/", {"name": "Hooks", "type": "generic", "active": "on"})
    channel = Channel.objects.get(name="Hooks")
    page = browser.get(made["Location"]).content.decode()
    assert f"http://testserver/channels/{channel.token}/messages" in page
    assert "embed-snippet" not in page


def test_settings_change_and_clear_and_the_name_stays_unique(alice, project):
    browser = client_for(alice)
    made = make_channel(project, "web", name="Site chat", settings={"allowed_origins": ["https://a.example.com"]})
    make_channel(project, "web", name="Other")
    url = f"/chat/channels/{made.channel.id}/"
    taken = browser.post(url, {"name": "Other", "active": "on", "allowed_origins": ""})
    assert taken.status_code == 200 and "already exists" in taken.content.decode()
    saved = browser.post(url, {"name": "Shop chat", "allowed_origins": "", "fallback_reply": "We'll be back."})
    assert saved.status_code == 302
    channel = Channel.objects.get(pk=made.channel.id)
    assert (channel.name, channel.active, channel.fallback_reply) == ("Shop chat", False, "We'll be back.")
    assert channel.settings["allowed_origins"] == []


def test_viewers_read_outsiders_get_404_and_only_editors_delete(alice, bob_viewer, charlie, project):
    made = make_channel(project, "web", name="Site chat")
    url = f"/chat/channels/{made.channel.id}/"
    viewer = client_for(bob_viewer)
    assert viewer.get(url).status_code == 200
    assert "channel-edit" not in viewer.get(url).content.decode()
    assert viewer.post("/chat/channels/", {"name": "Mine", "type": "web"}).status_code == 200
    assert Channel.objects.count() == 1
    assert viewer.post(f"{url}delete/").status_code == 403
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(alice).post(f"{url}delete/").status_code == 302
    assert Channel.objects.count() == 0


def test_conversations_filter_and_a_transcript_links_each_turns_run(alice, project, callback):
    flow = chat_flow(reply("answer", "On it: {{ trigger.text }}"), trigger={"keywords": ["order"]})
    live_workflow(project, alice, "Orders", flow)
    generic = make_channel(project, "generic", name="Generic", settings={"callback_url": callback.url}).channel
    web = make_channel(project, "web", name="Site chat", fallback_reply="No idea.").channel
    routing.receive(generic, "cust-1", "where is my order?")
    routing.receive(web, "visitor-0000000000000002", "hello")
    drain()
    browser = client_for(alice)

    listed = browser.get("/chat/conversations/").content.decode()
    assert "cust-1" in listed and "visitor-0000000000000002" in listed
    only_generic = browser.get(f"/chat/conversations/?channel={generic.id}").content.decode()
    assert "cust-1" in only_generic and "visitor-0000000000000002" not in only_generic
    by_customer = browser.get("/chat/conversations/?customer=VISITOR").content.decode()
    assert "cust-1" not in by_customer and "visitor-0000000000000002" in by_customer
    assert "No conversations match" in browser.get("/chat/conversations/?status=waiting").content.decode()
    for hostile in ("?status=%00", "?channel=' OR 1=1", "?customer=" + "x" * 5000, "?page=-1", "?page=abc"):
        assert browser.get(f"/chat/conversations/{hostile}").status_code == 200

    conversation = Conversation.objects.get(channel=generic)
    page = browser.get(f"/chat/conversations/{conversation.id}/").content.decode()
    assert "where is my order?" in page and "On it: where is my order?" in page
    assert 'class="messages"' not in page  # the turns are not mistaken for the page's flash messages
    run = conversation.execution_id
    assert page.count(f'href="/executions/{run}/"') >= 2  # the turn's link and the runs table
    assert client_for(alice).get("/chat/conversations/conv_nope/").status_code == 404


def test_the_widget_script_and_stylesheet_are_served_by_the_product():
    browser = Client()
    script = browser.get("/chat/widget.js")
    assert script.status_code == 200
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    assert script["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert "max-age=300" in script["Cache-Control"]
    code = b"".join(script.streaming_content).decode().split("*/", 1)[1]  # past the header comment
    assert "ws/chat/" in code and "localStorage" in code
    hosts = set(re.findall(r"(?:https?|wss?)://[\w.-]+", code)) - {"http://www.w3.org"}  # the SVG namespace
    assert hosts == set()  # nothing is loaded from anyone's host: the script's own origin only
    stylesheet = browser.get("/chat/widget.css")
    assert stylesheet.status_code == 200 and stylesheet["Content-Type"].startswith("text/css")
    again = browser.get("/chat/widget.js", HTTP_IF_MODIFIED_SINCE=script["Last-Modified"])
    assert again.status_code == 304
    assert browser.get("/chat/widget.map").status_code == 404
    assert browser.post("/chat/widget.js").status_code == 405

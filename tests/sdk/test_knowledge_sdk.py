"""The Python SDK's knowledge-base namespace against the real Django app (httpx's WSGI transport):
create, multipart upload, documents, search, a refused upload as a typed error, delete."""

from __future__ import annotations

import flowbuilder_sdk as sdk
import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from accounts.models import Role
from tests.knowledge.faq import FAQ_MARKDOWN


@pytest.fixture
def client(acme, alice, make_key):
    # As Django's test client does: the test's transaction holds the connection, no request closes it.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    _, plaintext = make_key(acme, Role.ADMIN)
    http = httpx.Client(transport=httpx.WSGITransport(app=get_wsgi_application()), base_url="http://testserver")
    yield sdk.Client(plaintext, base_url="http://testserver", http_client=http, max_retries=0)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_sdk_creates_uploads_searches_and_deletes(client):
    kb = client.knowledge_bases.create(name="Support", description="FAQ")
    assert isinstance(kb, sdk.models.KnowledgeBase) and kb.document_count == 0
    document = client.knowledge_bases.upload(kb.id, FAQ_MARKDOWN, filename="faq.md", title="Customer FAQ")
    assert isinstance(document, sdk.models.Document)
    assert document.title == "Customer FAQ" and document.content_type == "text/markdown" and document.chunk_count > 5
    assert [d.id for d in client.knowledge_bases.documents(kb.id)] == [document.id]

    passages = client.knowledge_bases.search(kb.id, "When will I get my refund?", limit=2)
    assert len(passages) == 2 and isinstance(passages[0], sdk.models.Passage)
    assert "Refunds are paid" in passages[0].text and passages[0].document_id == document.id

    with pytest.raises(sdk.ValidationError) as refused:
        client.knowledge_bases.upload(kb.id, "café".encode("latin-1"), filename="latin.txt")
    assert refused.value.code == "BAD_ENCODING"

    client.knowledge_bases.delete_document(kb.id, document.id)
    assert client.knowledge_bases.search(kb.id, "refund") == []
    client.knowledge_bases.delete(kb.id)
    with pytest.raises(sdk.NotFound):
        client.knowledge_bases.get(kb.id)

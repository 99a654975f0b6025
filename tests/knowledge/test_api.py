"""The knowledge-base API: CRUD, multipart upload, list, delete, search; roles and bad uploads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from knowledge.models import Chunk, Document, KnowledgeBase
from tests.knowledge.faq import FAQ_MARKDOWN


def upload(client, kb_id, data: bytes, name: str = "faq.md", **fields):
    body = {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream"), **fields}
    return client.post(f"/api/v1/knowledge-bases/{kb_id}/documents", body, format="multipart")


@pytest.fixture
def kb_id(alice_api):
    response = alice_api.post("/api/v1/knowledge-bases", {"name": "Support", "description": "FAQ"}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["data"]["id"]


def test_create_upload_list_search_and_delete(alice_api, kb_id):
    created = upload(alice_api, kb_id, FAQ_MARKDOWN.encode(), title="Customer FAQ")
    assert created.status_code == 201, created.json()
    document = created.json()["data"]
    assert document["title"] == "Customer FAQ" and document["content_type"] == "text/markdown"
    assert document["chunk_count"] == Chunk.objects.filter(document_id=document["id"]).count() > 5
    assert document["size"] == len(FAQ_MARKDOWN.encode())

    listed = alice_api.get(f"/api/v1/knowledge-bases/{kb_id}/documents").json()
    assert [d["id"] for d in listed["data"]] == [document["id"]]
    kb = alice_api.get(f"/api/v1/knowledge-bases/{kb_id}").json()["data"]
    assert kb["document_count"] == 1

    found = alice_api.get(f"/api/v1/knowledge-bases/{kb_id}/search", {"q": "When will I get my refund?"}).json()
    assert found["success"] is True
    assert found["data"][0]["document_title"] == "Customer FAQ"
    assert "Refunds are paid" in found["data"][0]["text"]

    assert alice_api.delete(f"/api/v1/knowledge-bases/{kb_id}/documents/{document['id']}").status_code == 204
    assert not Chunk.objects.filter(document_id=document["id"]).exists()
    assert alice_api.get(f"/api/v1/knowledge-bases/{kb_id}/search", {"q": "refund"}).json()["data"] == []

    renamed = alice_api.patch(f"/api/v1/knowledge-bases/{kb_id}", {"name": "Help"}, format="json")
    assert renamed.json()["data"]["name"] == "Help"
    assert alice_api.delete(f"/api/v1/knowledge-bases/{kb_id}").status_code == 204
    assert not KnowledgeBase.objects.filter(pk=kb_id).exists()


def test_a_duplicate_name_is_a_conflict(alice_api, kb_id):
    response = alice_api.post("/api/v1/knowledge-bases", {"name": "Support"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "CONFLICT"


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"", "empty.md", "EMPTY_DOCUMENT"),
        (b"\n\n  ", "blank.txt", "EMPTY_DOCUMENT"),
        ("naïve".encode("latin-1"), "latin.txt", "BAD_ENCODING"),
        (b"\x00\x01\x02binary", "blob.txt", "BAD_ENCODING"),
        (b"%PDF-1.4", "manual.pdf", "UNSUPPORTED_DOCUMENT_TYPE"),
        (b"MZ\x90\x00", "tool.exe", "UNSUPPORTED_DOCUMENT_TYPE"),
        (b"<script>x()</script>", "page.html", "EMPTY_DOCUMENT"),
    ],
)
def test_bad_uploads_are_clear_errors_and_store_nothing(alice_api, kb_id, data, name, code):
    response = upload(alice_api, kb_id, data, name)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == code and error["field"] == "file" and error["message"]
    assert not Document.objects.exists() and not Chunk.objects.exists()


def test_a_document_over_the_size_limit_is_a_413(alice_api, kb_id, settings):
    settings.FLOWBUILDER_KNOWLEDGE_MAX_DOCUMENT_BYTES = 1000
    response = upload(alice_api, kb_id, b"word " * 300, "big.txt")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "DOCUMENT_TOO_LARGE"
    assert not Document.objects.exists()


def test_a_failure_while_storing_chunks_leaves_no_document(alice_api, kb_id, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Chunk.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        from knowledge.services import add_document

        add_document(KnowledgeBase.objects.get(pk=kb_id), FAQ_MARKDOWN.encode(), filename="faq.md")
    assert not Document.objects.exists()


def test_no_file_and_json_bodies_are_refused_in_the_envelope(alice_api, kb_id):
    missing = alice_api.post(f"/api/v1/knowledge-bases/{kb_id}/documents", {"title": "x"}, format="multipart")
    assert missing.status_code == 400 and missing.json()["error"]["field"] == "file"
    as_json = alice_api.post(f"/api/v1/knowledge-bases/{kb_id}/documents", {"text": "hi"}, format="json")
    assert as_json.status_code == 415 and as_json.json()["success"] is False


@pytest.mark.parametrize(
    "params", [{}, {"q": "refund", "limit": "0"}, {"q": "refund", "limit": "x"}, {"q": "x" * 2001}, {"q": "a\x00b"}]
)
def test_bad_search_parameters_are_400s(alice_api, kb_id, params):
    response = alice_api.get(f"/api/v1/knowledge-bases/{kb_id}/search", params)
    assert response.status_code == 400 and response.json()["success"] is False


def test_viewers_read_and_search_but_cannot_change(acme, kb_id, alice_api, make_key, api_client_for):
    upload(alice_api, kb_id, FAQ_MARKDOWN.encode())
    _, plaintext = make_key(acme, Role.VIEWER)
    viewer = api_client_for(plaintext)
    assert viewer.get("/api/v1/knowledge-bases").status_code == 200
    assert viewer.get(f"/api/v1/knowledge-bases/{kb_id}/search", {"q": "refund"}).json()["data"]
    assert viewer.post("/api/v1/knowledge-bases", {"name": "Mine"}, format="json").status_code == 403
    assert upload(viewer, kb_id, b"hello", "x.txt").status_code == 403
    assert viewer.delete(f"/api/v1/knowledge-bases/{kb_id}").status_code == 403
    assert KnowledgeBase.objects.filter(pk=kb_id).exists()


def test_another_organization_sees_nothing(kb_id, charlie_api):
    assert charlie_api.get("/api/v1/knowledge-bases").json()["data"] == []
    assert charlie_api.get(f"/api/v1/knowledge-bases/{kb_id}").status_code == 404
    assert charlie_api.get(f"/api/v1/knowledge-bases/{kb_id}/search", {"q": "refund"}).status_code == 404
    assert upload(charlie_api, kb_id, b"hello", "x.txt").status_code == 404


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.md",
        "C:\\Windows\\faq.md",
        "ünïcödé 退款.md",
        "x" * 300 + ".md",
        "faq.MD",
        ".md",
        "a\u202egnp.md",
    ],
)
def test_odd_file_names_are_stored_safely(alice_api, kb_id, filename):
    response = upload(alice_api, kb_id, b"# Hours\n\nOpen 9 to 17.", filename)
    assert response.status_code == 201, response.json()
    stored = response.json()["data"]["source_filename"]
    assert "/" not in stored and "\\" not in stored and len(stored) <= 255


@pytest.mark.parametrize(
    "fields, status",
    [({"title": "t" * 201}, 400), ({"title": "   "}, 201), ({"title": "<b>FAQ</b>"}, 201)],
)
def test_odd_titles(alice_api, kb_id, fields, status):
    response = upload(alice_api, kb_id, b"Open 9 to 17.", "hours.txt", **fields)
    assert response.status_code == status, response.json()


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 101}, {"name": 5},
                                  {"name": None}, {"name": "ok", "description": "d" * 1001}])  # fmt: skip
def test_bad_knowledge_base_bodies_are_400s(alice_api, body):
    response = alice_api.post("/api/v1/knowledge-bases", body, format="json")
    assert response.status_code == 400, response.json()
    assert not KnowledgeBase.objects.exists()

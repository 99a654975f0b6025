"""The knowledge pages: create a knowledge base, upload a document, try a search; viewers read only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from knowledge.models import Document, KnowledgeBase
from tests.knowledge.faq import FAQ_MARKDOWN


@pytest.fixture
def browser(alice):
    client = Client()
    client.force_login(alice)
    return client


def test_create_upload_and_search_from_the_pages(browser, acme):
    created = browser.post("/knowledge-bases/", {"name": "Support", "description": "FAQ"})
    kb = KnowledgeBase.objects.get(project=acme.default_project, name="Support")
    assert created.status_code == 302 and created["Location"] == f"/knowledge-bases/{kb.id}/"

    uploaded = browser.post(f"/knowledge-bases/{kb.id}/", {"file": SimpleUploadedFile("faq.md", FAQ_MARKDOWN.encode())})
    assert uploaded.status_code == 302
    page = browser.get(f"/knowledge-bases/{kb.id}/").content.decode()
    assert "Acme Support FAQ" in page and "faq.md" in page

    found = browser.get(f"/knowledge-bases/{kb.id}/", {"q": "When will I get my refund?"}).content.decode()
    assert 'data-testid="passages"' in found and "Refunds are paid to the original payment method" in found
    nothing = browser.get(f"/knowledge-bases/{kb.id}/", {"q": "quantum chromodynamics"}).content.decode()
    assert 'data-testid="no-passages"' in nothing

    listing = browser.get("/knowledge-bases/").content.decode()
    assert "Support" in listing and 'href="/knowledge-bases/"' in listing  # the top bar's Chat menu links here

    document = Document.objects.get(knowledge_base=kb)
    assert browser.post(f"/knowledge-bases/{kb.id}/documents/{document.id}/delete/").status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert browser.post(f"/knowledge-bases/{kb.id}/delete/").status_code == 302
    assert not KnowledgeBase.objects.filter(pk=kb.pk).exists()


def test_a_bad_upload_shows_why_and_stores_nothing(browser, acme):
    browser.post("/knowledge-bases/", {"name": "Support"})
    kb = KnowledgeBase.objects.get(name="Support")
    answer = browser.post(f"/knowledge-bases/{kb.id}/", {"file": SimpleUploadedFile("x.txt", "é".encode("latin-1"))})
    assert answer.status_code == 200
    assert "not UTF-8 text" in answer.content.decode()
    assert not Document.objects.exists()


def test_a_duplicate_name_is_a_form_error(browser):
    browser.post("/knowledge-bases/", {"name": "Support"})
    again = browser.post("/knowledge-bases/", {"name": "Support"})
    assert again.status_code == 200 and "already exists" in again.content.decode()


def test_hostile_search_text_on_the_page(browser, acme):
    browser.post("/knowledge-bases/", {"name": "Support"})
    kb = KnowledgeBase.objects.get(name="Support")
    for question in ['"', "a\x00b", "<script>alert(1)</script>", "x" * 5000, "NEAR( * -"]:
        page = browser.get(f"/knowledge-bases/{kb.id}/", {"q": question})
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.content.decode()


def test_viewers_see_but_cannot_change(acme, alice, bob_viewer):
    kb = KnowledgeBase.objects.create(project=acme.default_project, name="Support")
    viewer = Client()
    viewer.force_login(bob_viewer)
    page = viewer.get(f"/knowledge-bases/{kb.id}/").content.decode()
    assert "Support" in page and 'data-testid="upload-document"' not in page
    viewer.post("/knowledge-bases/", {"name": "Mine"})
    assert not KnowledgeBase.objects.filter(name="Mine").exists()
    upload = viewer.post(f"/knowledge-bases/{kb.id}/", {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert upload.status_code == 200 and not Document.objects.exists()
    assert viewer.post(f"/knowledge-bases/{kb.id}/delete/").status_code == 403
    assert KnowledgeBase.objects.filter(pk=kb.pk).exists()


def test_another_organizations_knowledge_base_is_a_404(charlie, acme):
    kb = KnowledgeBase.objects.create(project=acme.default_project, name="Support")
    other = Client()
    other.force_login(charlie)
    assert other.get(f"/knowledge-bases/{kb.id}/").status_code == 404

"""Reading uploads: encodings, HTML to text, Markdown headings, chunk sizes and overlap."""

from __future__ import annotations

import pytest

from knowledge.documents import (
    DocumentError,
    Section,
    chunk_sections,
    decode,
    html_to_markdown,
    markdown_sections,
    parse_document,
)
from tests.knowledge.faq import FAQ_MARKDOWN, HELP_HTML


def test_markdown_headings_become_chunk_headings_with_their_path():
    parsed = parse_document(FAQ_MARKDOWN.encode(), "faq.md", size=1200, overlap=100)
    assert parsed.title == "Acme Support FAQ"
    headings = [chunk.heading for chunk in parsed.chunks]
    assert "Acme Support FAQ › Returns and refunds › When will I get my refund?" in headings
    refund = next(c for c in parsed.chunks if c.heading.endswith("When will I get my refund?"))
    assert refund.text.startswith("Refunds are paid to the original payment method")
    assert "#" not in refund.text


def test_a_heading_inside_a_code_fence_is_text():
    sections = markdown_sections("# Setup\n```bash\n# install it\npip install acme\n```\nDone.")
    assert [s.heading for s in sections] == ["Setup"]
    assert "# install it" in sections[0].text


def test_html_keeps_visible_text_and_headings_and_drops_script_and_style():
    title, text = html_to_markdown(HELP_HTML)
    assert title == "Warranty and repairs"
    assert "# Warranty" in text and "## Repairs" in text
    assert "two-year warranty covering manufacturing defects" in text
    for hidden in ("secretToken", "do-not-index-me", "alert", "display: none", "tracking pixel", "font-family"):
        assert hidden not in text
    parsed = parse_document(HELP_HTML.encode(), "warranty.html", size=1200, overlap=100)
    assert parsed.title == "Warranty and repairs"
    assert [c.heading for c in parsed.chunks] == ["Warranty", "Warranty › Repairs"]


def test_html_entities_are_decoded_and_an_unclosed_script_hides_the_rest():
    _, text = html_to_markdown("<p>Fish &amp; chips &lt;3</p><script>never(")
    assert text == "Fish & chips <3"


def test_chunks_respect_the_size_bound_and_overlap_by_words():
    words = " ".join(f"word{i}" for i in range(600))
    chunks = chunk_sections([Section("Long", words)], size=300, overlap=60)
    assert len(chunks) > 5
    assert all(len(chunk.text) <= 300 for chunk in chunks)
    for before, after in zip(chunks, chunks[1:], strict=False):
        first_word = after.text.split()[0]
        assert first_word in before.text.split()  # the next chunk starts inside the previous one
    seen = {word for chunk in chunks for word in chunk.text.split()}
    assert seen == set(words.split())  # nothing lost


def test_paragraphs_are_packed_together_and_sections_never_mix():
    chunks = chunk_sections([Section("A", "one.\n\ntwo.\n\nthree."), Section("B", "four.")], size=1000, overlap=100)
    assert [(c.heading, c.text) for c in chunks] == [("A", "one.\n\ntwo.\n\nthree."), ("B", "four.")]


def test_plain_text_is_one_headingless_section_titled_by_its_file_name():
    parsed = parse_document(b"Opening hours: 9 to 17.\n\nClosed on Sundays.", "hours.txt", size=1200, overlap=100)
    assert parsed.title == "hours"
    assert [(c.heading, c.text) for c in parsed.chunks] == [("", "Opening hours: 9 to 17.\n\nClosed on Sundays.")]


@pytest.mark.parametrize(
    "data, filename, code",
    [
        (b"\xff\xfe\x00\xd8", "broken.txt", "BAD_ENCODING"),  # a lone UTF-16 surrogate
        ("café".encode("latin-1"), "latin.txt", "BAD_ENCODING"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "image.txt", "BAD_ENCODING"),
        (b"   \n\n\t ", "blank.md", "EMPTY_DOCUMENT"),
        (b"<script>only()</script><style>p{}</style>", "scripts.html", "EMPTY_DOCUMENT"),
        (b"# Heading only\n", "heading.md", "EMPTY_DOCUMENT"),
        (b"%PDF-1.7", "manual.pdf", "UNSUPPORTED_DOCUMENT_TYPE"),
        (b"hello", "noextension", "UNSUPPORTED_DOCUMENT_TYPE"),
    ],
)
def test_unreadable_or_empty_uploads_are_refused_with_a_code(data, filename, code):
    with pytest.raises(DocumentError) as refused:
        parse_document(data, filename, size=1200, overlap=100)
    assert refused.value.code == code
    assert refused.value.message


def test_utf8_bom_and_utf16_with_bom_are_read():
    assert decode("\ufeffhé".encode()) == "hé"
    assert decode("héllo".encode("utf-16")) == "héllo"
    assert decode(b"a\r\nb\rc") == "a\nb\nc"


def test_the_media_type_decides_when_the_file_name_has_no_known_extension():
    parsed = parse_document(
        b"<h1>Hi</h1><p>there</p>", "upload", declared_type="text/html; charset=utf-8", size=1200, overlap=0
    )
    assert parsed.content_type == "text/html"

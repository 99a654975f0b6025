"""From uploaded bytes to sections and chunks: decoding, HTML to text, Markdown headings, chunking.

Pure functions (no database): knowledge.services stores what they return. Every refusal is a
DocumentError with a code and a plain message the API puts in its envelope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

from knowledge.models import ContentType

EXTENSIONS = {
    ".txt": ContentType.TEXT,
    ".text": ContentType.TEXT,
    ".md": ContentType.MARKDOWN,
    ".markdown": ContentType.MARKDOWN,
    ".html": ContentType.HTML,
    ".htm": ContentType.HTML,
}
MEDIA_TYPES = {
    "text/plain": ContentType.TEXT,
    "text/markdown": ContentType.MARKDOWN,
    "text/x-markdown": ContentType.MARKDOWN,
    "text/html": ContentType.HTML,
}


class DocumentError(ValueError):
    def __init__(self, code: str, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


@dataclass(frozen=True)
class ChunkText:
    heading: str
    text: str


def content_type_for(filename: str, declared: str = "") -> str:
    """What the upload is: by its file name's extension, else by the media type it was sent with."""
    name = PurePath(filename or "").name
    suffix = "." + name.rsplit(".", 1)[1].lower() if "." in name else ""  # `.md` too, not only `faq.md`
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    media = (declared or "").split(";")[0].strip().lower()
    if media in MEDIA_TYPES:
        return MEDIA_TYPES[media]
    raise DocumentError(
        "UNSUPPORTED_DOCUMENT_TYPE",
        f"{filename or 'The file'} is not a text (.txt), Markdown (.md) or HTML (.html) document.",
    )


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or UTF-16 with its BOM; anything else is refused, not guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DocumentError(
            "BAD_ENCODING",
            f"The file is not UTF-8 text (byte {error.start} cannot be read); save it as UTF-8 and upload it again.",
        ) from None
    if "\x00" in text:
        raise DocumentError("BAD_ENCODING", "The file holds NUL characters: it looks binary, not text.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- HTML -----------------------------------------------------------------------------
_SKIPPED = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head", "nav"}  # nav: menus
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "form",
    "hr",
    "br",
    "details",
    "summary",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _HtmlText(HTMLParser):
    """Visible text of an HTML page as Markdown-like lines: headings as `#`, blocks as paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []  # open elements whose content is never text
        self.heading_level = 0
        self.title: list[str] = []
        self.in_title = False

    def _flush(self) -> None:
        line = re.sub(r"\s+", " ", "".join(self.current)).strip()
        self.current = []
        if line:
            prefix = "#" * self.heading_level + " " if self.heading_level else ""
            self.lines.extend([prefix + line, ""])

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in _SKIPPED and tag not in _VOID:
            self.skipping.append(tag)
            return
        if tag in _HEADINGS or tag in _BLOCKS or tag in ("td", "th"):
            if tag in ("td", "th"):
                self.current.append(" ")
            else:
                self._flush()
            if tag in _HEADINGS:
                self.heading_level = _HEADINGS[tag]

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self._flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
            return
        if tag in _HEADINGS:
            self._flush()
            self.heading_level = 0
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if not self.skipping:
            self.current.append(data)

    def close(self):
        super().close()
        self._flush()


def html_to_markdown(html: str) -> tuple[str, str]:
    """(title, text): the page's visible text with its headings as Markdown headings."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    title = re.sub(r"\s+", " ", "".join(parser.title)).strip()
    return title, "\n".join(parser.lines).strip()


# --- Markdown sections ------------------------------------------------------------------
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def markdown_sections(text: str) -> list[Section]:
    """Sections under each ATX heading (`#`…`######`); a heading inside a code fence is text.

    A section's heading is its path (`Billing › Refunds`), so a chunk says where it came from.
    """
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    body: list[str] = []
    fence = ""

    def close() -> None:
        content = "\n".join(body).strip()
        if content:
            sections.append(Section(" › ".join(title for _, title in path)[:300], content))
        body.clear()

    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1) == fence):
            fence = "" if fence else opened.group(1)
        heading = None if fence or opened else _ATX.match(line)
        if heading:
            close()
            level = len(heading.group(1))
            path = [(lvl, title) for lvl, title in path if lvl < level] + [(level, heading.group(2).strip())]
        else:
            body.append(line)
    close()
    return sections


def first_heading(sections: list[Section]) -> str:
    return sections[0].heading.split(" › ")[0] if sections and sections[0].heading else ""


# --- Chunking ---------------------------------------------------------------------------
def _pieces(paragraph: str, limit: int) -> list[str]:
    """A paragraph longer than the limit, cut at sentence ends, else at spaces, else anywhere."""
    if len(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    rest = paragraph
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 1 if cut > limit // 3 else window.rfind(" ")
        if cut <= limit // 3:
            cut = limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _tail(text: str, overlap: int) -> str:
    if overlap <= 0 or len(text) <= overlap:
        return "" if overlap <= 0 else text
    tail = text[-overlap:]
    space = tail.find(" ")
    return tail[space + 1 :] if 0 <= space < len(tail) - 1 else tail


def chunk_sections(sections: list[Section], *, size: int, overlap: int) -> list[ChunkText]:
    """Paragraphs packed into chunks of at most `size` characters, each section apart.

    A chunk after the first of a section starts with the last `overlap` characters of the one
    before (cut at a word), so a sentence split across two chunks is whole in one of them.
    """
    size = max(size, 200)
    overlap = max(0, min(overlap, size // 2))
    chunks: list[ChunkText] = []
    for section in sections:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", section.text) if p.strip()]
        pieces = [piece for paragraph in paragraphs for piece in _pieces(paragraph, size - overlap)]
        current = ""
        for piece in pieces:
            if current and len(current) + 2 + len(piece) > size:
                chunks.append(ChunkText(section.heading, current))
                carried = _tail(current, overlap)
                current = f"{carried} {piece}".strip() if carried else piece
            else:
                current = f"{current}\n\n{piece}" if current else piece
        if current:
            chunks.append(ChunkText(section.heading, current))
    return chunks


@dataclass(frozen=True)
class Parsed:
    title: str
    content_type: str
    text: str
    chunks: list[ChunkText]


def parse_document(data: bytes, filename: str, *, declared_type: str = "", size: int, overlap: int) -> Parsed:
    """Read an upload: its type, text, a title found in it, and its chunks."""
    content_type = content_type_for(filename, declared_type)
    text = decode(data)
    title = ""
    if content_type == ContentType.HTML:
        title, text = html_to_markdown(text)
    if content_type == ContentType.TEXT:
        sections = [Section("", text.strip())] if text.strip() else []
    else:
        sections = markdown_sections(text)
    if not sections:
        raise DocumentError("EMPTY_DOCUMENT", f"{filename or 'The file'} has no text to index.")
    title = title or first_heading(sections) or PurePath(filename or "document").stem
    return Parsed(
        title=title[:200],
        content_type=content_type,
        text=text.strip(),
        chunks=chunk_sections(sections, size=size, overlap=overlap),
    )

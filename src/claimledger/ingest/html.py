"""Saved HTML pages: the article's main text and metadata, without the page around it.

trafilatura finds the main text (leaving out scripts, menus, cookie banners, share bars, related
stories and comments) and the metadata; htmldate, through trafilatura, finds the publication
date. A page rendered by script often keeps its article only in JSON-LD ``articleBody`` or in
embedded JSON (``__NEXT_DATA__``): that text is used when the visible text is thin, with the
HTML, Markdown and entities some sites leave in it taken out. A page nested deeper than libxml2
reads is flattened first. The text is given in Unicode NFC.

Example:
    >>> page = "<html><body><article><p>" + "The dam held, officials said. " * 9 + "</p>"
    >>> parse_html(page + "</article></body></html>", source="dam.html").text[:29]
    'The dam held, officials said.'
"""

from __future__ import annotations

import copy
import html as html_entities
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError
from trafilatura.settings import Document

from claimledger.errors import InputError
from claimledger.ingest.text import content_id
from claimledger.model import Article

# The publication date, not the last update: what a statement's "said on" is anchored to.
# No search in the running text, whose dates are those of events, not of the page.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
# Visible text shorter than this, or than this share of an embedded articleBody, is taken to be
# a shell left by a page that renders its article by script.
_THIN_TEXT_CHARS = 200
_THIN_TEXT_SHARE = 0.5
# An article has sentences: lines of at least _PROSE_WORDS words that end like a sentence (or of
# _RUNNING_WORDS, however they end), adding up to at least _MIN_PROSE_WORDS words. Menus, login
# forms and lists of headlines do not; a short post that trafilatura finds is taken all the same.
_PROSE_WORDS = 8
_MIN_PROSE_WORDS = 25
# A line this long is running text whatever its last character (a closing author line, a caption).
_RUNNING_WORDS = 20
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ")", "。", "！", "？", "」", "』", "…")
# Scripts written without spaces between words; about two such characters make a word.
_UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"
)
_CHARS_PER_UNSPACED_WORD = 2
_BODY_KEYS = ("articleBody", "articlebody")
_JSON_SCRIPTS = "//script[contains(@type, 'json')]"
_HTML_TAG = re.compile(r"<(?:p|br|div|span|a|em|strong|i|b)\b", re.IGNORECASE)
_BLOCK_TAGS = ("p", "br", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6")
_NO_ARTICLE = "no article text found in the page (is it an index or login page?)"
# Markdown that some sites leave in articleBody: links, emphasis, headers, quotes.
_MARKDOWN = re.compile(
    r"\[[^\]\n]+\]\([^)\s]+\)|\*\*\S|__\S|(?<![\w*])\*[^*\s][^*\n]*\*(?![\w*])|^#{1,6} \S|^> ",
    re.MULTILINE,
)
_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_CHARSET_BYTES = 4096

# libxml2 stops parsing at 256 levels of nesting and trafilatura then sees a page cut short. A
# page that reaches _MAX_DEPTH is flattened: wrapper tags past _FLAT_DEPTH and every tag past
# _TEXT_DEPTH are taken out (their text stays, in order); the tags that carry paragraphs stay
# longer. What is left, with <html> and <body> around it, is never _MAX_DEPTH deep again.
_MAX_DEPTH = 200
_FLAT_DEPTH = 100
_TEXT_DEPTH = 180
_TOO_DEEP = f"nests its elements over {_MAX_DEPTH} levels deep, which was flattened to read it"
_TEXT_TAGS = frozenset(
    {"article", "main", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure"}
    | {"ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "td", "th"}
    | {"figcaption"}
)
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
_RAW_TEXT_TAGS = ("script", "style")
# One of these ends the one before it: <li>a<li>b is two items, not one inside the other.
_UNNESTED_TAGS = frozenset(("li", "dt", "dd", "tr", "td", "th", "option"))
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>|<!--|<[!?]")


def parse_html(
    html: str,
    *,
    source: str,
    encoding: str | None = None,
    notices: tuple[str, ...] = (),
) -> Article:
    """An article from a saved page: its main text (paragraphs one per line, in Unicode NFC)
    and metadata; ``notices`` are those of its decoding."""
    tree = trafilatura.load_html(html)
    no_article = _NO_ARTICLE
    if tree is not None and nests_too_deep(tree):
        tree = trafilatura.load_html(flatten_deep_nesting(html))
        no_article += "; it " + _TOO_DEEP
        notices = (*notices, "the page " + _TOO_DEEP)
    if tree is None:
        raise InputError(source, no_article)
    embedded = longest_embedded_body(tree)
    document = _extract(tree)
    visible = _nfc((document.text or "").strip()) if document is not None else ""
    text, chosen = _choose_text(visible, embedded)
    if not looks_like_article(text) and (text != visible or not _has_main_text(tree)):
        raise InputError(source, no_article)
    notices = (*notices, *chosen)
    metadata = document if document is not None else _metadata_only(tree)
    return Article(
        id=content_id(text),
        text=text,
        path=source,
        title=metadata.title or None,
        authors=split_authors(metadata.author),
        outlet=metadata.sitename or None,
        url=metadata.url or None,
        published=metadata.date or None,
        published_source="metadata" if metadata.date else "none",
        encoding=encoding,
        notices=notices,
    )


def _extract(tree: lxml_html.HtmlElement) -> Document | None:
    # trafilatura prunes the tree it is given; keep the original for the metadata fallback.
    result = trafilatura.bare_extraction(
        copy.deepcopy(tree),
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params=_DATE_PARAMS,
    )
    return result if isinstance(result, Document) else None


def _has_main_text(tree: lxml_html.HtmlElement) -> bool:
    # trafilatura, favouring precision, finds no main text in menus, login forms and lists of
    # links; what it does find there is an article, however short or oddly ended.
    result = trafilatura.bare_extraction(
        copy.deepcopy(tree), favor_precision=True, with_metadata=False, include_comments=False
    )
    text = result.text if isinstance(result, Document) else None
    return bool(text and any(ch.isalpha() for ch in text))


def _metadata_only(tree: lxml_html.HtmlElement) -> Document:
    return trafilatura.extract_metadata(tree, date_config=_DATE_PARAMS)


def looks_like_article(text: str) -> bool:
    """Whether ``text`` holds enough sentences to be an article rather than page chrome."""
    return sum(_prose_words(line) for line in text.splitlines()) >= _MIN_PROSE_WORDS


def _prose_words(line: str) -> int:
    """The words of ``line`` when it is running text, else 0."""
    words = len(line.split()) + len(_UNSPACED.findall(line)) // _CHARS_PER_UNSPACED_WORD
    sentence = words >= _PROSE_WORDS and line.rstrip().endswith(_SENTENCE_END)
    return words if sentence or words >= _RUNNING_WORDS else 0


def _choose_text(visible: str, body: EmbeddedBody | None) -> tuple[str, tuple[str, ...]]:
    if body is None:
        return visible, ()
    embedded = body.text
    thin = len(visible) < _THIN_TEXT_CHARS or len(visible) < _THIN_TEXT_SHARE * len(embedded)
    # trafilatura reads articleBody itself when the page is empty, but joins its paragraphs
    # into one line and leaves in the Markdown some sites put there; when both say the same,
    # keep the one with its paragraphs, and the one without the Markdown.
    words = visible.split()
    if words == embedded.split():
        return max((visible, embedded), key=lambda text: text.count("\n")), ()
    if words == _nfc(html_entities.unescape(body.raw)).split():
        return embedded, ()
    if embedded and thin:
        return embedded, (
            "text taken from the page's embedded articleBody (JSON-LD or "
            "script data): the visible page holds little text",
        )
    return visible, ()


def _nfc(text: str) -> str:
    # One form for one text: "é" as one code point, whether the page wrote it so or as "e" and
    # a combining accent, so that searches and names match.
    return unicodedata.normalize("NFC", text)


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares at its start (``<meta charset>``, ``http-equiv``, or an XML
    declaration), as written: ``b'<meta charset="utf-8">'`` -> ``'utf-8'``."""
    head = data[:_CHARSET_BYTES]
    match = _CHARSET.search(head) or _XML_ENCODING.match(head)
    return match.group(1).decode("ascii") if match else None


def nests_too_deep(tree: lxml_html.HtmlElement) -> bool:
    """Whether the parsed page reaches _MAX_DEPTH levels (where libxml2 may have cut it short)."""
    return bool(tree.xpath("boolean(" + "/*" * _MAX_DEPTH + ")"))


def flatten_deep_nesting(html: str) -> str:
    """``html`` with the tags past the depth limits taken out and all of its text kept in order:
    wrapper tags past _FLAT_DEPTH levels, the tags that carry paragraphs past _TEXT_DEPTH. One
    pass over the tags, so time and memory grow with the page's size."""
    return _Flattener(html).run()


class _Flattener:
    def __init__(self, html: str) -> None:
        self.html = html
        self.lower: str | None = None  # made once, only if a script or style must be skipped
        self.pieces: list[str] = []
        self.copied = 0  # html[:copied] is in pieces, less the tags taken out
        self.stack: list[tuple[str, bool]] = []  # (tag, kept), innermost last
        self.open_count: dict[str, int] = {}
        self.kept_depth = 0

    def run(self) -> str:
        position = 0
        while (match := _TAG.search(self.html, position)) is not None:
            position = match.end()
            closing, name, self_closing = match.groups()
            if name is None:  # a comment, doctype or processing instruction: kept as it is
                end = "-->" if match.group(0) == "<!--" else ">"
                found = self.html.find(end, position)
                position = len(self.html) if found < 0 else found + len(end)
            elif closing:
                self._close(name.lower(), match)
            elif not self_closing and name.lower() not in _VOID_TAGS:
                position = self._open(name.lower(), match)
        self.pieces.append(self.html[self.copied :])
        return "".join(self.pieces)

    def _open(self, name: str, match: re.Match[str]) -> int:
        top = self.stack[-1][0] if self.stack else None
        if (name == "p" and self.open_count.get("p")) or (name in _UNNESTED_TAGS and top == name):
            self._pop_to(name)  # an open <p> (or <li> …) ends where the next one starts
        kept = self.kept_depth < (_TEXT_DEPTH if name in _TEXT_TAGS else _FLAT_DEPTH)
        self.stack.append((name, kept))
        self.open_count[name] = self.open_count.get(name, 0) + 1
        self.kept_depth += kept
        if not kept:
            self._take_out(match)
        if name not in _RAW_TEXT_TAGS:
            return match.end()
        # The text of a script or style is not markup: go on from its end tag.
        self.lower = self.lower if self.lower is not None else self.html.lower()
        found = self.lower.find(f"</{name}", match.end())
        return len(self.html) if found < 0 else found

    def _close(self, name: str, match: re.Match[str]) -> None:
        # A stray end tag (nothing of its name is open) is left alone: the parser ignores it too.
        if self.open_count.get(name) and not self._pop_to(name):
            self._take_out(match)

    def _pop_to(self, name: str) -> bool:
        """Close the innermost open ``name`` and what is open inside it; whether it was kept."""
        while True:
            tag, kept = self.stack.pop()
            self.open_count[tag] -= 1
            self.kept_depth -= kept
            if tag == name:
                return kept

    def _take_out(self, match: re.Match[str]) -> None:
        self.pieces.append(self.html[self.copied : match.start()])
        self.copied = match.end()


def split_authors(author: str | None) -> tuple[str, ...]:
    """trafilatura joins authors with "; ": ``'A; B'`` -> ``('A', 'B')``."""
    if not author:
        return ()
    return tuple(name.strip() for name in author.split(";") if name.strip())


@dataclass(frozen=True, slots=True)
class EmbeddedBody:
    raw: str  # as the page has it
    text: str  # as text: one paragraph per line, HTML, Markdown and entities taken out


def longest_embedded_body(tree: lxml_html.HtmlElement) -> EmbeddedBody | None:
    """The longest ``articleBody`` in the page's JSON scripts (JSON-LD, ``__NEXT_DATA__``);
    ``None`` when there is none."""
    bodies = [
        EmbeddedBody(raw, body_to_text(raw))
        for script in tree.xpath(_JSON_SCRIPTS)
        for raw in _find_bodies(_load_json(script.text_content()))
    ]
    return max(bodies, key=lambda body: len(body.text), default=None)


def _load_json(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        # A broken script is the page's problem, not the reader's: the visible text still counts.
        return None


def _find_bodies(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _BODY_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _find_bodies(value)
    elif isinstance(node, list):
        for item in node:
            yield from _find_bodies(item)


def body_to_text(body: str) -> str:
    """An ``articleBody`` as text, one paragraph per line, in NFC; some sites put HTML,
    Markdown or HTML entities in it, and those are taken out.

    Example:
        >>> body_to_text("Rates **rose**, said [the bank](https://b.example) &amp; others.")
        'Rates rose, said the bank & others.'
    """
    if _HTML_TAG.search(body):
        body = _html_fragment_text(body)
    if _MARKDOWN.search(body):
        body = markdown_to_text(body)
    body = _nfc(html_entities.unescape(body))
    lines = (" ".join(line.split()) for line in body.splitlines())
    return "\n".join(line for line in lines if line)


def markdown_to_text(markdown: str) -> str:
    """Markdown as plain text, one block (paragraph, header, list item) per line: link text
    without its address, emphasis without its marks, images left out."""
    from markdown_it import MarkdownIt  # only pages that leave Markdown in articleBody need it

    lines: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline":
            lines.append("".join(_inline_text(child) for child in token.children or ()))
        elif token.type in ("fence", "code_block"):
            lines.append(token.content)
        elif token.type == "html_block":
            lines.append(_html_fragment_text(token.content))
    return "\n".join(lines)


def _inline_text(token: Any) -> str:
    if token.type in ("text", "code_inline"):
        return str(token.content)
    if token.type == "html_inline":  # a tag alone ("<sup>"): its text, if any, comes apart
        return ""
    # Sites break a paragraph's lines where they mean new paragraphs: keep the breaks.
    return "\n" if token.type in ("softbreak", "hardbreak") else ""


def _html_fragment_text(fragment: str) -> str:
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except ParserError:
        return fragment
    # Paragraph ends become line breaks, so that paragraphs survive text_content().
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())

"""Saved HTML pages: the article's main text and metadata, without the page around it.

trafilatura finds the main text (leaving out scripts, menus, cookie banners, share bars, related
stories and comments) and the metadata; htmldate, through trafilatura, finds the publication
date. A page rendered by script often keeps its article only in JSON-LD ``articleBody`` or in
embedded JSON (``__NEXT_DATA__``): that text is used when the visible text is thin.

Example:
    >>> page = "<html><body><article><p>" + "The dam held, officials said. " * 9 + "</p>"
    >>> parse_html(page + "</article></body></html>", source="dam.html").text[:29]
    'The dam held, officials said.'
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
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
# An article has sentences: lines of at least _PROSE_WORDS words that end like a sentence, adding
# up to at least _MIN_PROSE_CHARS characters. Menus, login forms and lists of headlines do not.
_PROSE_WORDS = 8
_MIN_PROSE_CHARS = 150
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", ")")
_BODY_KEYS = ("articleBody", "articlebody")
_JSON_SCRIPTS = "//script[contains(@type, 'json')]"
_HTML_TAG = re.compile(r"<(?:p|br|div|span|a|em|strong|i|b)\b", re.IGNORECASE)
_BLOCK_TAGS = ("p", "br", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6")
_NO_ARTICLE = "no article text found in the page (is it an index or login page?)"


def parse_html(html: str, *, source: str, encoding: str | None = None) -> Article:
    """An article from a saved page: its main text (paragraphs one per line) and metadata."""
    tree = trafilatura.load_html(html)
    if tree is None:
        raise InputError(source, _NO_ARTICLE)
    embedded = longest_embedded_body(tree)
    document = _extract(tree)
    visible = (document.text or "").strip() if document is not None else ""
    text, notices = _choose_text(visible, embedded)
    if not looks_like_article(text):
        raise InputError(source, _NO_ARTICLE)
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


def _metadata_only(tree: lxml_html.HtmlElement) -> Document:
    return trafilatura.extract_metadata(tree, date_config=_DATE_PARAMS)


def looks_like_article(text: str) -> bool:
    """Whether ``text`` holds enough sentences to be an article rather than page chrome."""
    prose = [
        line
        for line in text.splitlines()
        if len(line.split()) >= _PROSE_WORDS and line.rstrip().endswith(_SENTENCE_END)
    ]
    return sum(len(line) for line in prose) >= _MIN_PROSE_CHARS


def _choose_text(visible: str, embedded: str) -> tuple[str, tuple[str, ...]]:
    thin = len(visible) < _THIN_TEXT_CHARS or len(visible) < _THIN_TEXT_SHARE * len(embedded)
    # trafilatura reads articleBody itself when the page is empty, but joins its paragraphs
    # into one line; when both say the same, keep the one with its paragraphs.
    if embedded and visible.split() == embedded.split():
        return max((visible, embedded), key=lambda text: text.count("\n")), ()
    if embedded and thin:
        return embedded, (
            "text taken from the page's embedded articleBody (JSON-LD or "
            "script data): the visible page holds little text",
        )
    return visible, ()


def split_authors(author: str | None) -> tuple[str, ...]:
    """trafilatura joins authors with "; ": ``'A; B'`` -> ``('A', 'B')``."""
    if not author:
        return ()
    return tuple(name.strip() for name in author.split(";") if name.strip())


def longest_embedded_body(tree: lxml_html.HtmlElement) -> str:
    """The longest ``articleBody`` in the page's JSON scripts (JSON-LD, ``__NEXT_DATA__``), as
    text with one paragraph per line; ``''`` when there is none."""
    bodies = [
        body_to_text(body)
        for script in tree.xpath(_JSON_SCRIPTS)
        for body in _find_bodies(_load_json(script.text_content()))
    ]
    return max(bodies, key=len, default="")


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
    """An ``articleBody`` as text, one paragraph per line; some sites put HTML in it."""
    if _HTML_TAG.search(body):
        body = _html_fragment_text(body)
    lines = (" ".join(line.split()) for line in body.splitlines())
    return "\n".join(line for line in lines if line)


def _html_fragment_text(fragment: str) -> str:
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except ParserError:
        return fragment
    # Paragraph ends become line breaks, so that paragraphs survive text_content().
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return str(root.text_content())

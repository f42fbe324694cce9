"""Folders: the articles in a directory tree, and a word on every other file in it.

Files are read by extension (``.txt .text .md``, ``.html .htm .xhtml``, ``.jsonl .ndjson``);
every other file is a ``Skipped``, named with what its first bytes say it is (a PDF, a picture,
an archive) and what to do. Hidden files, system files and a saved page's asset folder are left
out without a word.

Example:
    >>> [entry for entry in walk_directory("examples")]
    [('examples/kursk.txt', 'text')]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Literal

from claimledger.ingest.text import binary_kind
from claimledger.model import InputFailure, Skipped

Kind = Literal["text", "html", "jsonl"]
KIND_BY_EXTENSION: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_HEAD_BYTES = 4096  # enough for every magic number, and for the share of control bytes
# What operating systems and archivers leave in folders; never an article, never worth a line.
_SYSTEM_FILES = frozenset({"Thumbs.db", "desktop.ini", "Icon\r", "__MACOSX"})
# A browser's "save page, complete" puts the page's pictures and scripts in NAME_files beside
# NAME.html: the page is the article, the folder is not.
_SAVED_PAGE_ASSETS = "_files"
_NOT_AN_ARTICLE_FILE = (
    "not a .txt, .md, .html or .jsonl file; name it on the command line to read it anyway"
)


def walk_directory(root: str) -> Iterator[tuple[str, Kind] | InputFailure | Skipped]:
    """The readable files under ``root``, sorted by name, and a ``Skipped`` for each other file.

    Left out without a word: hidden files and folders (``.git``, ``.DS_Store``), the files
    operating systems leave (``Thumbs.db``, ``desktop.ini``, ``__MACOSX``), and the ``NAME_files``
    folder of pictures and scripts a browser saves beside ``NAME.html``.
    """
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as error:
        yield InputFailure(root, f"cannot be listed ({error.strerror}); check its permissions")
        return
    names = {entry.name for entry in entries}
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SYSTEM_FILES:
            continue
        if entry.is_dir(follow_symlinks=False):
            if not _is_saved_page_assets(entry.name, names):
                yield from walk_directory(entry.path)
            continue
        kind = KIND_BY_EXTENSION.get(os.path.splitext(entry.name)[1].lower())
        if kind is not None and entry.is_file():
            yield entry.path, kind
        else:
            yield _skipped(entry)


def _is_saved_page_assets(name: str, siblings: set[str]) -> bool:
    page = name.removesuffix(_SAVED_PAGE_ASSETS)
    return page != name and any(page + ext in siblings for ext in (".html", ".htm", ".xhtml"))


def _skipped(entry: os.DirEntry[str]) -> Skipped:
    """Why a file in a folder is not read, from what its first bytes say it is."""
    try:
        if entry.is_dir():
            # Symlinked folders are not followed: a link loop would never end.
            return Skipped(
                entry.path,
                "a link to a folder, not followed (a loop of links would never end); "
                "name the folder itself to read it",
                "folder link",
            )
        if entry.is_symlink() and not os.path.exists(entry.path):
            reason = "a link to a file that is not there; fix or remove the link"
            return Skipped(entry.path, reason, "broken link")
        if not entry.is_file():
            # Read, a pipe would wait for a writer for ever.
            reason = "not a regular file (a pipe, socket or device); save the article to a file"
            return Skipped(entry.path, reason, "special file")
        with open(entry.path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as error:
        reason = f"cannot be read ({error.strerror}); check its permissions"
        return Skipped(entry.path, reason, "unreadable file")
    binary = binary_kind(head)
    if binary is not None:
        return Skipped(entry.path, binary.reason, binary.name)
    extension = os.path.splitext(entry.name)[1].lower()
    kind = f"{extension} file" if extension else "file without an extension"
    return Skipped(entry.path, _NOT_AN_ARTICLE_FILE, kind)

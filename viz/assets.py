"""vis-network's JavaScript and CSS, taken from the installed pyvis package, for pages that must work offline.

The deployment has no internet, and pyvis's own template links CDNs in every
``cdn_resources`` mode. The views therefore either inline these two files
(the default: one self-contained file) or reference them at a local URL the
app serves from :data:`FILES` (``assets_url`` in the views: smaller pages, one
cached download). :func:`asset_tags` gives the HTML for either.

Inlined text is made safe to sit inside ``<script>``/``<style>``: the
source-map comment (a relative request the browser's developer tools would make)
is dropped, and a closing tag inside the text is broken up.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape
from pathlib import Path

import pyvis

VIS_VERSION = "9.1.2"
VIS_DIR = Path(pyvis.__file__).resolve().parent / "lib" / f"vis-{VIS_VERSION}"
JS_NAME = "vis-network.min.js"
CSS_NAME = "vis-network.css"
FILES: dict[str, Path] = {JS_NAME: VIS_DIR / JS_NAME, CSS_NAME: VIS_DIR / CSS_NAME}
"""File name -> path of each asset, for an app that serves them (e.g. a ``StaticFiles`` mount on ``VIS_DIR``)."""

_SOURCE_MAP = re.compile(r"/[/*]# sourceMappingURL=[^\n]*")


def _closed_safely(text: str, tag: str) -> str:
    """``text`` with ``</tag`` broken up so it cannot end the element it is inlined in."""
    return re.sub(rf"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)


@cache
def script_text() -> str:
    """vis-network's JavaScript, ready to sit inside a ``<script>`` element."""
    return _closed_safely(_SOURCE_MAP.sub("", FILES[JS_NAME].read_text(encoding="utf-8")), "script")


@cache
def style_text() -> str:
    """vis-network's CSS (its images are ``data:`` URIs), ready to sit inside a ``<style>`` element."""
    return _closed_safely(_SOURCE_MAP.sub("", FILES[CSS_NAME].read_text(encoding="utf-8")), "style")


def check_local_url(url: str) -> str:
    """``url`` if it is a path on the same server (``/static/vis``, ``../x``); else ``ValueError``.

    Used for asset and drill-down URLs: an absolute or protocol-relative URL
    would leave the machine, and a ``javascript:`` one would run code.
    """
    if re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)", url) or any(c in url for c in "\r\n\t\\"):
        raise ValueError(f"not a local URL: {url!r} (give a path on this server, e.g. '/static/vis')")
    return url


def asset_tags(assets_url: str | None = None) -> str:
    """The ``<style>`` and ``<script>`` HTML that loads vis-network: inlined, or from ``assets_url`` on this server.

    >>> asset_tags("/static/vis")
    '<link rel="stylesheet" href="/static/vis/vis-network.css"><script src="/static/vis/vis-network.min.js"></script>'
    """
    if assets_url is None:
        return f"<style>{style_text()}</style><script>{script_text()}</script>"
    base = escape(check_local_url(assets_url).rstrip("/"))
    return f'<link rel="stylesheet" href="{base}/{CSS_NAME}"><script src="{base}/{JS_NAME}"></script>'

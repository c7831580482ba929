"""The one sanitizer for HTML the platform did not write itself, and Markdown to safe HTML.

Everything a submission controls (notebook outputs, Markdown cells, attachments, feedback text
holding a student's values and error messages) reaches a page through :func:`sanitize_html`:
nh3 (the Python binding of the Rust sanitizer ammonia, which parses HTML as a browser does)
keeps an allowlist of inert tags and attributes, drops every script, style, frame, form and
event-handler attribute, and keeps a URL only where it is inert: a link to ``http(s)``,
``mailto`` or a ``#fragment``, an image only as an embedded ``data:image/...;base64`` URI
(nothing is fetched; an SVG shown as an image cannot run script), and a width or height only as
a plain whole number.

:func:`markdown_html` renders Markdown with nbconvert's math-aware mistune renderer (harmful
link protocols off, pasted-image attachments embedded) and sanitises the result; with
``raw_html=False`` HTML written in the Markdown is shown as text.

Examples
--------
>>> str(sanitize_html('<b onclick="alert(1)">hi</b><script>alert(2)</script>'))
'<b>hi</b>'
>>> str(sanitize_html('<a href="javascript:alert(1)">x</a>'))
'<a rel="noopener noreferrer">x</a>'
>>> str(markdown_html("**bold** <i>raw</i>", raw_html=False))
'<p><strong>bold</strong> &lt;i&gt;raw&lt;/i&gt;</p>\\n'
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Mapping

import nh3
from markupsafe import Markup
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

__all__ = ["IMAGE_TYPES", "image_data_uri", "markdown_html", "sanitize_html"]

#: raster and vector image types a page may embed (as ``<img src="data:...">`` only)
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]*\Z")
_LINK = re.compile(r"(?:https?:|mailto:|#)", re.IGNORECASE)
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*\Z")
_TAGS = (set(nh3.ALLOWED_TAGS) - {"area", "map"}) | {"tfoot", "figure", "figcaption"}
_ATTRIBUTES = {**{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
               "*": {"class", "title", "lang", "dir"}}
_MAX_SIZE = 10_000
_SVG_DATA = ("data:image/svg+xml;",)


def _inert_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep an attribute only in a form that cannot load, navigate or run anything."""
    if attribute == "src":
        return value if tag == "img" and _DATA_IMAGE.match(value) else None
    if attribute in ("href", "cite"):
        return value if _LINK.match(value.strip()) else None
    if attribute in ("width", "height"):
        return value if value.isdigit() and 0 < int(value) <= _MAX_SIZE else None
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_inert_attribute,
                       url_schemes={"http", "https", "mailto", "data"},
                       clean_content_tags={"script", "style"}, strip_comments=True,
                       link_rel="noopener noreferrer")


def sanitize_html(fragment: str) -> Markup:
    """``fragment`` reduced to inert HTML (see the module docstring), marked safe for jinja2.

    Examples
    --------
    >>> str(sanitize_html('<img src="x" onerror="alert(1)" width="1 onload=alert(2)">'))
    '<img>'
    >>> str(sanitize_html('<svg onload="alert(1)"><circle r="1"/></svg><p>kept</p>'))
    '<p>kept</p>'
    """
    return Markup(_cleaner().clean(str(fragment)))


def image_data_uri(mime: str, data: object) -> str | None:
    """A ``data:`` URI for an image output or attachment, or ``None`` when it is not one.

    Raster data must be base64 text (what Jupyter stores); SVG is text and gets encoded.

    Examples
    --------
    >>> image_data_uri("image/png", "iVBORw0KGgo=\\n")
    'data:image/png;base64,iVBORw0KGgo='
    >>> image_data_uri("image/png", '"><script>') is None, image_data_uri("text/html", "x")
    (True, None)
    """
    text = "".join(data) if isinstance(data, list) else data
    if mime not in IMAGE_TYPES or not isinstance(text, str):
        return None
    if mime == "image/svg+xml":
        payload = base64.b64encode(text.encode("utf-8", "replace")).decode("ascii")
    elif _BASE64.match(text):
        payload = "".join(text.split())
    else:
        return None
    return f"data:{mime};base64,{payload}"


class _Attachments(dict):
    """Attachments by name; a missing one becomes an empty image rather than an error."""

    def __contains__(self, name: object) -> bool:
        return True

    def __missing__(self, name: str) -> dict[str, str]:
        return {"image/png": ""}


def _image_attachments(attachments: Mapping | None) -> _Attachments:
    """Each attachment's image types as nbconvert's renderer wants them (base64 by type)."""
    found = _Attachments()
    for name, bundle in (attachments or {}).items():
        if isinstance(bundle, Mapping):
            uris = [image_data_uri(m, d) for m, d in bundle.items()]
            kept = {u[len("data:"):u.index(";")]: u.split(",", 1)[1] for u in uris if u}
            found[str(name)] = kept or {"image/png": ""}
    return found


def markdown_html(source: str, *, raw_html: bool, attachments: Mapping | None = None) -> Markup:
    """Markdown as sanitised HTML; ``raw_html=False`` shows HTML in the text as text.

    ``attachments`` (a cell's ``attachments``) lets ``![alt](attachment:name.png)`` show a
    pasted image; only image types are embedded.

    Examples
    --------
    >>> str(markdown_html("[x](javascript:alert(1)) and $a<b$", raw_html=True))
    '<p><a href="#harmful-link" rel="noopener noreferrer">x</a> and $a&lt;b$</p>\\n'
    """
    if not attachments:  # an exercise's prompts are the same in every student's notebook
        return _markdown_without_attachments(str(source), raw_html)
    return _markdown(str(source), raw_html, attachments)


@functools.lru_cache(maxsize=1024)
def _markdown_without_attachments(source: str, raw_html: bool) -> Markup:
    return _markdown(source, raw_html, None)


def _markdown(source: str, raw_html: bool, attachments: Mapping | None) -> Markup:
    # mistune refuses data: URLs but PNG, GIF, JPEG and WebP; an SVG attachment is as inert
    # in <img> (a browser runs no script in an SVG loaded as an image) and nh3 has the last word
    renderer = IPythonRenderer(escape=not raw_html, allow_harmful_protocols=_SVG_DATA,
                               exclude_anchor_links=True,
                               attachments=_image_attachments(attachments))
    return sanitize_html(MarkdownWithMath(renderer=renderer).render(source))

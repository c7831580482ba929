"""The one page renderer: jinja2 templates with autoescape, every page under one CSP.

Templates live in ``classroom/templates/pages/``. Every page extends ``page.html.j2``, whose
first head element after the charset is a Content-Security-Policy (:data:`CSP`) that allows no
script at all, no fetch of anything (images only as ``data:`` URIs, styles only inline), no
form target and no ``<base>``: even markup that slipped past escaping and sanitising could not
run or load anything. Values are escaped by jinja2's autoescape; only
:class:`~markupsafe.Markup` from :mod:`classroom.pages.sanitize` (or from the platform's own
code, such as Pygments' highlighted source) is inserted as HTML.

Examples
--------
>>> page = render_page("feedback.html.j2", title="<b>x</b>", body="<i>y</i>")
>>> "&lt;b&gt;x&lt;/b&gt;" in page and "&lt;i&gt;y&lt;/i&gt;" in page
True
>>> is_rendered_page(page), is_rendered_page("<html><script>x</script>")
(True, False)
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["CSP", "is_rendered_page", "render_page"]

#: No script, no network: images only embedded, styles only inline, no forms, no <base>.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
       "form-action 'none'")
_PROLOGUE = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
             f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n')


def _num(x: float | None) -> str:
    """A number as the pages print points: ``2``, ``1.5``; nothing for ``None``."""
    return "" if x is None else f"{x:g}"


def _fixed(x: float | None, digits: int = 2) -> str:
    """A statistic with ``digits`` decimals; a dash when there is none."""
    return "–" if x is None else f"{x:.{digits}f}"


@functools.cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("classroom", "templates/pages"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals["csp"] = Markup(CSP)  # the constant above: no quote to escape
    env.filters["num"] = _num
    env.filters["fixed"] = _fixed
    return env


def render_page(template: str, **context: Any) -> str:
    """Render ``template`` (a file in ``classroom/templates/pages/``) with ``context``.

    Examples
    --------
    >>> render_page("feedback.html.j2", title="T", body="").startswith(_PROLOGUE)
    True
    """
    return _environment().get_template(template).render(**context)


def is_rendered_page(text: str) -> bool:
    """Whether ``text`` starts as every page of this renderer does (the CSP in place).

    A stored page without it (written by an older version) is rendered again before it is
    written out.
    """
    return text.startswith(_PROLOGUE)

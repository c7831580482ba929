"""Every HTML page the platform writes: one renderer, one sanitizer, one policy.

- :mod:`~classroom.pages.render`: jinja2 with autoescape over the templates in
  ``classroom/templates/pages/``, each page under a Content-Security-Policy that allows no
  script and no fetch;
- :mod:`~classroom.pages.sanitize`: nh3 for HTML a submission controls, and Markdown to safe
  HTML;
- :mod:`~classroom.pages.notebook`: a notebook's cells and outputs as page content.

The feedback pages (:mod:`classroom.grading.feedback_html`, :mod:`classroom.hub.give_back`), the
instructor's graded notebook and the class report (:mod:`classroom.classreport.page`) are all
rendered here.

Examples
--------
>>> "script-src" in CSP or "'none'" not in CSP
False
"""

from classroom.pages.notebook import CellView, OutputView, cell_views, highlight_css
from classroom.pages.render import CSP, is_rendered_page, render_page
from classroom.pages.sanitize import markdown_html, sanitize_html

__all__ = ["CSP", "CellView", "OutputView", "cell_views", "highlight_css", "is_rendered_page",
           "markdown_html", "render_page", "sanitize_html"]

"""Offline reveal.js slide decks from the lessons, with speaker notes from the instructor guide.

One source: the slides are the lessons' own cells (their ``metadata.slideshow.slide_type``), the
speaker notes are the ``## Speaker notes`` section of ``instructor/NN_slug.md``, and nothing is
copied into the notebooks. A deck

- opens from disk with no network: reveal.js 5.2.1 and KaTeX 0.16.22 come from the npm registry
  at build time (pinned, sha512-verified, cached in ``.cache/npm/``) and are copied next to the
  decks (``reveal.js/``, ``katex/``); the page loads no URL from the internet;
- leaves out every ``skip`` cell (set-up code and the quiz cells with their answers) and the
  widget state; a live widget's output becomes a note to switch to JupyterLab, and the quiz shows
  its questions and options only;
- shows figures as embedded images, math typeset by KaTeX, and carries one
  ``<aside class="notes">`` per slide heading that the guide annotates (press ``s`` for the
  speaker view, or open the deck with ``?showNotes=true``).

Modules: :mod:`~classroom.slides.vendor` (pinned npm assets), :mod:`~classroom.slides.guide`
(the guide parser, shared with the tests), :mod:`~classroom.slides.lessons` (what a deck reads
from a lesson notebook) and :mod:`~classroom.slides.deck` (the builder; its template is
``classroom/templates/course_offline_reveal.html.j2``).

Examples
--------
>>> parse_guide("## Slide budget\\nMaximum slides: 12\\n").max_slides
12
"""

from classroom.slides.deck import (
    SLIDES_MARKER,
    WIDGET_MIME,
    build_decks,
    deck_notebook,
    render_deck,
)
from classroom.slides.guide import DiscussionPrompt, Guide, PlanRow, guide_path, parse_guide
from classroom.slides.lessons import (
    expected_slide_count,
    lesson_objectives,
    lesson_paths,
    quiz_questions,
    slide_headings,
)
from classroom.slides.vendor import (
    KATEX,
    NPM_REGISTRY,
    PINNED_PACKAGES,
    REVEAL,
    NpmPackage,
    default_cache_dir,
    fetch_package,
    verify_integrity,
)

__all__ = [
    "KATEX",
    "NPM_REGISTRY",
    "PINNED_PACKAGES",
    "REVEAL",
    "SLIDES_MARKER",
    "WIDGET_MIME",
    "DiscussionPrompt",
    "Guide",
    "NpmPackage",
    "PlanRow",
    "build_decks",
    "deck_notebook",
    "default_cache_dir",
    "expected_slide_count",
    "fetch_package",
    "guide_path",
    "lesson_objectives",
    "lesson_paths",
    "parse_guide",
    "quiz_questions",
    "render_deck",
    "slide_headings",
    "verify_integrity",
]

"""course_lib: the small library behind the NATO southern-flank course.

What the lessons, the exercise notebooks and a student's kernel import, and nothing else. Data
flows one way: packaged facts -> models -> figures and widgets -> lessons. The teaching platform
(the ``course`` command, grading, gradebook, marking, hub, slides) is the separate package
``classroom`` beside it; it calls into this library and this library never imports it. Import the
module you need; nothing heavy happens at import time (no file reads, no figures).

======================  ======================================================================
``datasets/``           schema (table schemas), reader (file/row/column validation), loaders
                        (one function per packaged table in ``data/``)
``_validate``           the one set of argument rules (numbers, ranges, seeds, choices, flags,
                        exact ISO3 codes and code lists) every public function uses
``geo``                 great-circle distance, loss-of-strength gradients
``threat/``             CINC and balance-of-threat scoring after Walt (1985)
``tiers/``              tier choice (alliance, partnership, ad hoc, none); ``tiers.strategy``
                        the strategy rules
``plots/``              matplotlib figures, each with alt text
``widgets/``            ipywidgets composites for the lessons
``checks/``             the self-check API of exercise cells, value encoding, judging
``quizzes/``            the lessons' quiz banks (``NN.toml``) and their seeded option order
``exercise_format/``    the format of an exercise notebook: cell roles (nbgrader metadata),
                        check calls, reading and writing notebook files
``practice/``           practice keys: salted answer digests and judging against them
``progress``            a learner's progress read from saved self-checks and recorded verdicts
``files``               the one atomic file writer (also used by the platform)
``data/``               packaged CSVs (built by ``tools/build_data.py`` from ``data-raw/``)
======================  ======================================================================

Who may import whom is enforced by import-linter (``[tool.importlinter]`` in the repository's
``pyproject.toml``): models (``datasets``, ``geo``, ``threat``, ``tiers``, ``_validate``) import no
plots, widgets or checks; ``plots`` and ``widgets`` import models; lessons call one public
function per figure or widget; nothing here imports ``classroom``.

Examples
--------
>>> import course_lib
>>> course_lib.__version__
'0.1.0'
"""

__version__ = "0.1.0"

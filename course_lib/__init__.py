"""course_lib: the library behind the NATO southern-flank course.

The map of the house. Data flows one way (facts -> models -> figures and widgets -> lessons);
assessment is a wing of its own; delivery sits on top and only calls inward. Import the module
you need; nothing heavy happens at import time (no file reads, no figures).

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
``practice/``           ``course check``: practice verdicts (the grader, or salted answer keys)
``progress``            a learner's progress read from saved self-checks and recorded verdicts
``notebooks/``          the one notebook model; student versions; release bundle
``grading/``            sandboxed runner, batches, judging, reports
``gradebook/``          the database of grades: roster, marks, deadlines, LMS exports
``marking/``            marking reflections in JupyterLab: queue, anonymous codes, rubric,
                        second marking, the marking widget
``classreport/``        ``course report``: the offline class report (statistics, figures,
                        similar pairs for review)
``hub/``                a class on JupyterHub: REST client, collect and return, ``course hub``
``labextension/``       the course's JupyterLab extension (keys stay with focused widget
                        controls; slider handle names) and the settings ``course lab`` passes
``slides/``             offline reveal.js decks: vendor (pinned npm), guide parser, deck builder
``cli``                 the ``course`` command: parser, dispatch, one-line errors
``commands/``           one module per sub-command (``register(sub)`` + ``run(args)``), a
                        thin layer over functions that tests call
``data/``, ``templates/``  packaged CSVs (built by ``tools/build_data.py`` from ``data-raw/``),
                        Jinja templates
======================  ======================================================================

Who may import whom (``tests/test_import_rules.py`` enforces it):

- models (``datasets``, ``geo``, ``threat``, ``tiers``, ``_validate``) import
  no widgets, plots, notebooks, grading, gradebook or slides; nor does ``checks``;
- ``plots`` and ``widgets`` import models; lessons call one public function per figure or
  widget;
- ``grading``, ``gradebook``, ``marking`` and ``classreport`` never import widgets or plots
  (``marking`` builds its own ipywidgets composite; ``classreport`` draws with matplotlib);
- ``slides``, ``cli``, ``commands``, ``hub`` and ``labextension`` sit on top and may import
  anything below them; a student bundle leaves ``grading`` and ``hub`` out, and ``cli``
  then offers only the commands it can import;
- no import cycles, no module over 400 lines, no function over 80 lines of code, imports at
  the top of the module.

Examples
--------
>>> import course_lib
>>> course_lib.__version__
'0.1.0'
"""

__version__ = "0.1.0"

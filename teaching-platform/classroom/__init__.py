"""classroom: the course's teaching platform, beside the course library ``course_lib``.

Everything an instructor runs around the lessons, and the ``course`` command. It depends on
``course_lib`` and only calls into it; ``course_lib`` never imports this package.

======================  ======================================================================
``course``              :class:`~classroom.course.Course`: the course root (``course.toml``)
                        and its one configuration
``errors``              the exceptions every command turns into one line
``notebooks/``          the authoring contract, nbconvert-style preprocessors, the student
                        version (``course build-exercises``), the release bundle
``grading/``            sandboxed runner, batches, judging, feedback and reports
``practice/``           ``course check``: a learner's verdict (the grader, or practice keys)
``gradebook/``          the database of grades: roster, marks, deadlines, LMS exports
``marking/``            marking reflections in JupyterLab: queue, anonymous codes, rubric,
                        second marking, the marking widget
``classreport/``        ``course report``: the offline class report
``hub/``                a class on JupyterHub: REST client, collect and return, ``course hub``
``labextension/``       the course's JupyterLab extension (keys stay with focused widget
                        controls; slider handle names)
``slides/``             offline reveal.js decks: vendor (pinned npm), guide parser, deck builder
``cli``, ``commands/``  the ``course`` command: one module per sub-command, each a thin layer
                        over functions that tests call
``templates/``          Jinja templates
======================  ======================================================================

Examples
--------
>>> import classroom
>>> classroom.__version__
'0.1.0'
"""

__version__ = "0.1.0"

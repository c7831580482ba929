"""course_lib: the library behind the NATO southern-flank course.

Modules (import the one you need; nothing heavy happens at import time):

- :mod:`course_lib.datasets`  packaged tables, validated on load
- :mod:`course_lib.geo`       great-circle distance and loss-of-strength gradients
- :mod:`course_lib.threat`    CINC and balance-of-threat scoring after Walt (1985)
- :mod:`course_lib.tiers`     tier choice (alliance, partnership, ad hoc, none) and strategy
- :mod:`course_lib.plots`     matplotlib figures, each with alt text
- :mod:`course_lib.widgets`   ipywidgets composites for the lessons
- :mod:`course_lib.grading`   exercise build, batch grading, release bundles
"""

__version__ = "0.1.0"

"""The class report: one self-contained, offline HTML file on how a class did.

- :mod:`course_lib.classreport.stats`       facility, discrimination, failure reasons, progress
- :mod:`course_lib.classreport.similarity`  pairs of suspiciously similar submissions
- :mod:`course_lib.classreport.figures`     matplotlib figures as base64 PNG with alt text
- :mod:`course_lib.classreport.page`        the HTML page
- :mod:`course_lib.classreport.build`       read the gradebook, write ``class_report.html``

Import the submodule you need: ``from course_lib.classreport.build import build_report``.
"""

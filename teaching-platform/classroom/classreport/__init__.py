"""The class report: one self-contained, offline HTML file on how a class did.

- :mod:`classroom.classreport.stats`       facility, discrimination, failure reasons, progress
- :mod:`classroom.classreport.similarity`  pairs of suspiciously similar submissions
- :mod:`classroom.classreport.figures`     matplotlib figures as base64 PNG with alt text
- :mod:`classroom.classreport.page`        the HTML page
- :mod:`classroom.classreport.build`       read the gradebook, write ``class_report.html``

Import the submodule you need: ``from classroom.classreport.build import build_report``.
"""

"""The book's machinery: what turns the lesson into pages.

``runs`` trains the networks the pages quote, ``claims`` checks every statement the pages make
about them (a false one fails the build), ``numbers`` says how a number is written, ``views``
and ``figures`` print tables, equations and SVG for the pages, ``playground`` hands the
lesson's inputs to the playground's JavaScript, and ``cache`` keeps expensive results between
builds. It imports the lesson (``snippets``), never ``snippets.study``.
"""

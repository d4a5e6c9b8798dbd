"""nbconvert's settings for the notebook page, found through JUPYTER_CONFIG_PATH.

hooks/notebook.py puts this folder on that path; mkdocs-jupyter loads the user's nbconvert
configuration before converting.
"""

from nbconvert.exporters import Exporter

c = get_config()  # noqa: F821 (provided by traitlets when it runs this file)

# Figures as inline SVG, so their text stays text and follows the page's colours.
c.HTMLExporter.skip_svg_encoding = True
# After the notebook has run: what a cell printed as one block, however the kernel happened to
# split it into messages (timing, so it differed between builds), then numbered cell ids,
# self-describing figures and no CDN address.
c.Exporter.default_preprocessors = [
    *Exporter().default_preprocessors,
    "nbconvert.preprocessors.CoalesceStreamsPreprocessor",
    "hooks.notebook.TidyNotebook",
]
c.CoalesceStreamsPreprocessor.enabled = True
c.TidyNotebook.enabled = True

"""Each lesson links a technical term to the glossary where it first uses it.

``TERMS`` is the maintained list: every glossary entry (its anchor in ``docs/glossary.md``) and
the words that name it on a page. On each numbered page, the first time the running text uses a
term, those words become a link to its entry; a longer term wins over a shorter one inside it
("gradient descent" over "gradient"). Code, maths, headings, figures, existing links and the
playground's controls are left alone. ``tests/test_glossary.py`` checks the list against the
glossary and the links on the built pages.
"""

from __future__ import annotations

import re

TERMS = {
    "activation-function": r"activation functions?",
    "backpropagation": r"backpropagation",
    "bias": r"bias(?:es)?",
    "bonferroni-correction": r"Bonferroni(?: correction)?",
    "capacity": r"capacity",
    "chain-rule": r"chain rule",
    "cost": r"cost",
    "cost-landscape": r"cost landscape",
    "curvature": r"curvature|Hessian",
    "divergence": r"diverg(?:e|es|ed|ence|ing)",
    "epoch": r"epochs?",
    "first-order": r"first order",
    "forward-pass": r"forward pass(?:es)?",
    "gradient": r"gradients?",
    "gradient-descent": r"gradient descent",
    "hidden-neuron": r"hidden neurons?",
    "initialisation": r"initiali[sz]ations?",
    "isotonic-regression": r"isotonic regression",
    "layer": r"(?:hidden |output )?layers?",
    "learning-rate": r"learning rates?",
    "local-minimum": r"(?:local )?minim(?:um|a)",
    "loss": r"loss(?:es)?",
    "mirror-image": r"mirror images?",
    "momentum-and-adam": r"momentum|Adam",
    "monotone": r"monotone",
    "neuron": r"neurons?",
    "partial-derivative": r"partial derivatives?",
    "plateau": r"plateaus?",
    "relu": r"ReLU",
    "saddle-point": r"saddle(?: points?)?s?",
    "saturation": r"saturat(?:ed|ion|es?)",
    "seed": r"seeds?",
    "sigmoid": r"sigmoids?",
    "weight": r"weights?",
    "wilson-interval": r"Wilson intervals?",
    "xor": r"XOR",
}
PATTERN = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        f"(?P<{a.replace('-', '_')}>{p})"
        for a, p in sorted(TERMS.items(), key=lambda kv: -len(kv[1]))
    )
    + r")(?![\w-])",
    re.I,
)
SKIP = {"a", "code", "pre", "math", "svg", "h1", "h2", "h3", "h4", "h5", "script", "style",
        "summary", "label", "legend", "button", "select", "option", "figure"}  # fmt: skip
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*)>|<!--.*?-->", re.S)
NUMBERED = re.compile(r"\d\d-")


def skipped(tag: str, attrs: str) -> bool:
    """An element whose text is not the page's prose."""
    classes = re.search(r'\bclass="([^"]*)"', attrs)
    names = classes[1].split() if classes else []
    return (
        tag in SKIP
        or "katex" in names
        or "pg" in names  # the playground: controls and its sentences, read by its script
        or re.search(r"\bhidden\b|aria-hidden=\"true\"", attrs) is not None
    )


def link_first_uses(html: str, glossary: str) -> str:
    """``html`` with the first use of each term in its prose linked to ``glossary#term``."""
    out: list[str] = []
    open_tags: list[tuple[str, bool]] = []
    linked: set[str] = set()
    position = 0

    def prose(text: str) -> str:
        def link(m: re.Match) -> str:
            anchor = m.lastgroup.replace("_", "-")
            if anchor in linked:
                return m[0]
            linked.add(anchor)
            return f'<a class="term" href="{glossary}#{anchor}">{m[0]}</a>'

        return PATTERN.sub(link, text)

    quiet = 0  # open elements whose text is not prose
    for m in TAG.finditer(html):
        text = html[position : m.start()]
        out.append(text if quiet or len(linked) == len(TERMS) else prose(text))
        out.append(m[0])
        position = m.end()
        closing, tag = m[1], (m[2] or "").lower()
        if not tag or tag in VOID or m[0].endswith("/>"):
            continue
        if closing:
            for k in range(len(open_tags) - 1, -1, -1):
                if open_tags[k][0] == tag:
                    quiet -= sum(s for _, s in open_tags[k:])
                    del open_tags[k:]
                    break
        else:
            open_tags.append((tag, skipped(tag, m[3])))
            quiet += open_tags[-1][1]
    rest = html[position:]
    out.append(rest if quiet else prose(rest))
    return "".join(out)


def on_page_content(content, page, config, files):
    if not NUMBERED.match(page.file.src_uri):
        return content
    glossary = files.get_file_from_path("glossary.md").url_relative_to(page.file)
    return link_first_uses(content, glossary)

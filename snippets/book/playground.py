"""The playground's inputs, handed from the lesson to the page's JavaScript as JSON, its
"Predict" challenges, and links into it from other pages.

The playground never computes a start or a setting of its own: the data, the starts, the
learning rate and the optimisers' settings all come from here. Random starts are
:func:`snippets.lesson.small_random_start`: the JavaScript multiplies the standard normal draws
written here by the chosen scale, which is that function's own arithmetic, so the weights are
the same to the last bit. And e^x comes with the constants of
:func:`snippets.portable.exp_scalar`, so the browser trains exactly the networks the pages train.
(The cost chart's reference levels follow the data a reader edits, so the JavaScript computes
them, as snippets/linear.py and snippets/floor.py do; the tests compare the two.)

>>> import json
>>> c = json.loads(config_json())
>>> c["x"], c["y"], c["lr"]
([1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 1.0, 0.0], 0.5)
>>> c["starts"]["lesson"]
{'w1': [0.5], 'b1': [-0.1], 'w2': [0.3], 'b2': 0.2}
>>> len(c["normals"]), len(c["normals"][0]), c["widths"]
(20, 25, [1, 2, 3, 4, 8])
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlencode

import numpy as np

from snippets.book import runs
from snippets.book.numbers import NEGLIGIBLE, cost
from snippets.lesson import (
    BUMP_START,
    EPOCHS,
    LR,
    SMALL_RANDOM_SCALE,
    START,
    STUCK_SEED,
    WIDTHS,
    X,
    Y,
)
from snippets.network import Params
from snippets.optimisers import OPTIMISERS
from snippets.portable import exp_constants, normal

SEEDS = 20  # the playground offers the random starts of seeds 0 … SEEDS − 1
SPEEDS = ("1", "10", "100", "1000", "10000", "max")  # epochs per second, as links write them


def as_json(p: Params) -> dict:
    """Weights as plain lists, the shape the playground's nn.js uses."""
    return {"w1": p.w1.tolist(), "b1": p.b1.tolist(), "w2": p.w2.tolist(), "b2": float(p.b2)}


def config() -> dict:
    """Everything the playground starts from."""
    draws = 3 * max(WIDTHS) + 1  # a narrower start uses the first 3·width + 1 of them
    return {
        "x": X.tolist(),
        "y": Y.tolist(),
        "lr": LR,
        "epochs": EPOCHS,
        "starts": {"lesson": as_json(START), "bump": as_json(BUMP_START)},
        "normals": [normal(np.random.default_rng(s), draws).tolist() for s in range(SEEDS)],
        "scale": SMALL_RANDOM_SCALE,
        # 09-starts.md's stuck run, trained by the registry's first entry, plain gradient descent
        "stuck": {"seed": STUCK_SEED, "width": 2, "scale": SMALL_RANDOM_SCALE},
        "widths": list(WIDTHS),
        "speeds": list(SPEEDS),
        "optimisers": {
            o.name: {"label": o.label, "lr": o.lr, "beta1": o.beta1, "beta2": o.beta2, "eps": o.eps}
            for o in OPTIMISERS.values()
        },
        "negligible": NEGLIGIBLE,
        "exp": exp_constants(),  # nn.js computes e^x as snippets/portable.py does: same bits
    }


def config_json() -> str:
    return json.dumps(config()).replace("<", "\\u003c")  # safe inside <script>


def config_script() -> str:
    """The ``<script type="application/json">`` element the playground reads at start-up."""
    return f'<script type="application/json" id="playground-config">{config_json()}</script>'


# ------------------------------------------------------------------------- links into it

LINK_KEYS = (
    *("start", "from", "h", "seed", "scale", "opt", "lr"),
    *("w1", "b1", "w2", "b2", "y", "more", "speed", "stop"),
)


def playground_link(text: str, **state: object) -> str:
    """A Markdown link that opens the playground in ``state`` (hooks/links.py resolves the file,
    keeping the query). Keys are the playground's URL's: ``start`` (lesson, bump, random or
    linked), ``h`` (hidden neurons), ``seed``, ``scale``, ``opt``, ``lr``, weights ``w1 b1 w2
    b2``, targets ``y``, ``more=1`` (the further controls shown), ``speed`` (epochs per second:
    1, 10, 100, 1000, 10000 or max), ``stop`` (the "Stop at epoch" field), ``from`` (a linked
    start's name).

    >>> playground_link("open it", start="random", seed=1, h=2, scale=0.1, more=1, stop=20000)
    '[open it](07-playground.md?start=random&seed=1&h=2&scale=0.1&more=1&stop=20000)'
    >>> playground_link("x", speed="fast")
    Traceback (most recent call last):
    ValueError: speed must be one of 1, 10, 100, 1000, 10000, max, not 'fast'
    """
    unknown = set(state) - set(LINK_KEYS)
    if unknown:
        raise ValueError(f"not in the playground's URL: {', '.join(sorted(unknown))}")
    if "speed" in state and str(state["speed"]) not in SPEEDS:
        raise ValueError(f"speed must be one of {', '.join(SPEEDS)}, not {state['speed']!r}")

    def written(v: object) -> str:
        if isinstance(v, (list, tuple, np.ndarray)):
            return ",".join(written(x) for x in np.ravel(v))
        return repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)

    query = urlencode({k: written(v) for k, v in state.items()}, quote_via=quote, safe=",")
    return f"[{text}](07-playground.md?{query})"


# ------------------------------------------------------------------ Predict, then reveal

SMALLER_LR = LR / 10  # the "smaller learning rate" challenge's η
LARGER_LR = 4 * LR  # the "η = 2" challenge's


@dataclass(frozen=True)
class Challenge:
    """One "Predict" group: ``key`` names its run in docs/assets/playground/challenges.js,
    which computes the answer live and fills ``why``'s {names} from the run."""

    key: str
    title: str
    ask: str  # Markdown
    choices: Sequence[tuple[str, str]]  # (value, label)
    why: dict[str, str]  # by answer ("*": any)
    settings: dict  # what the run needs: epochs, learning rates, the point, a threshold


def challenges() -> list[Challenge]:
    """The page's challenges: only what 01-network.md to 06-training.md taught; numbers from
    the lesson."""
    end = cost(runs.one_neuron().costs[-1])
    x4 = f"{X[-1]:g}"
    names = list(zip(("w1", "b1", "w2", "b2"), ("w₁", "b₁", "w₂", "b₂")))
    grads = ", ".join(f"∂L/∂{n} = {{{k}}}" for k, n in names)
    return [
        Challenge(
            "past",
            f"past epoch {EPOCHS:,}",
            f"From the lesson's start, the cost at epoch {EPOCHS:,} is {end}, as in the training "
            f"log of section [§](06-training.md). Trained on to epoch {2 * EPOCHS:,}, what will "
            "the cost do?",
            [
                ("steep", f"Fall by at least half as much as over the first {EPOCHS:,} epochs"),
                ("slow", "Fall, but by less than half as much"),
                ("rise", "Rise"),
            ],
            {
                "*": f"The cost fell by {{first}} over the first {EPOCHS:,} epochs and by "
                "{second} over the next: each step is η times the gradient, and the gradient "
                "shrinks as the cost levels off."
            },
            {"epochs": EPOCHS, "lr": LR},
        ),
        Challenge(
            "largest",
            f"the largest gradient at x = {x4}",
            f"From the lesson's start, pressing **Step phase** three times reaches stage 3, the "
            f"backward pass. For the point $x = {x4}$, which of the four gradients of its loss "
            "is the largest in size?",
            [(k, f"∂L/∂{n}") for k, n in names],
            {
                "*": f"At x = {x4}: {grads}. Each is ∂L/∂ŷ = ŷ − y times what lies between its "
                "weight and ŷ: a₁ for w₂, 1 for b₂, w₂·σ′(z₁) for b₁, and that times x for w₁."
            },
            {"point": len(X) - 1, "lr": LR},
        ),
        Challenge(
            "smaller",
            "a smaller learning rate",
            f"From the lesson's start with $\\eta = {SMALLER_LR:g}$ instead of ${LR:g}$: at epoch "
            f"{EPOCHS:,}, how will the cost compare with the {end} that $\\eta = {LR:g}$ gives?",
            [
                ("lower", "Lower"),
                ("same", "About the same (within 1 %)"),
                ("higher", "Higher"),
            ],
            {
                "*": f"At epoch {EPOCHS:,} the cost is {{small}} with η = {SMALLER_LR:g} and "
                f"{{big}} with η = {LR:g}: each step is η times the gradient, so a tenth of η "
                "moves the weights a tenth as far each epoch."
            },
            {"epochs": EPOCHS, "lr": LR, "small": SMALLER_LR, "same": 0.01},
        ),
        Challenge(
            "larger",
            f"η = {LARGER_LR:g}",
            f"From the lesson's start with $\\eta = {LARGER_LR:g}$, four times the lesson's: "
            f"over {EPOCHS:,} epochs, will the cost settle low, or grow until the playground "
            "stops training?",
            [("settle", "Settle low"), ("grow", "Grow until training stops")],
            {
                "grow": "{stopped} Steps four times as long overshoot the low point and land "
                "higher up on the other side, again and again.",
                "settle": "At epoch {epoch} the cost is {cost}, down from {start}: the steps are "
                "long, but not long enough to overshoot.",
            },
            {"epochs": EPOCHS, "lr": LARGER_LR},
        ),
    ]


def challenges_html(items: Sequence[Challenge] | None = None) -> str:
    """The challenges as Markdown with HTML: one group per challenge, named "Predict: …", with
    radio buttons, a "Run and compare" button and a status (docs/assets/questions.js). Class
    ``pg`` marks them as the playground's controls (hooks/glossary.py links no term in them)."""
    parts = []
    for c in items if items is not None else challenges():
        name = f"predict-{c.key}"
        choices = "\n".join(
            f'<label><input type="radio" name="{name}" value="{v}"> {escape(label)}</label>'
            for v, label in c.choices
        )
        data = escape(json.dumps(c.settings))
        parts.append(
            f'<fieldset class="pg predict" data-predict="{c.key}" data-settings="{data}" '
            f'data-why="{escape(json.dumps(c.why, ensure_ascii=False))}" markdown="1">\n'
            f"<legend>Predict: {escape(c.title)}</legend>\n\n"
            f'<p markdown="span">{c.ask}</p>\n\n'
            f'<div class="predict-choices">\n{choices}\n</div>\n\n'
            '<p><button type="button" class="md-button">Run and compare</button> '
            '<span role="status" class="predict-status"></span></p>\n</fieldset>\n'
        )
    return "\n".join(parts)

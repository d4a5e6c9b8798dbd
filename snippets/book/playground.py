"""The playground's inputs, handed from the lesson to the page's JavaScript as JSON.

The playground never computes a start or a setting of its own: the data, the starts, the
learning rate, the optimisers' settings and the reference levels all come from here. Random
starts are :func:`snippets.lesson.small_random_start`: the JavaScript multiplies the standard
normal draws written here by the chosen scale, which is that function's own arithmetic, so the
weights are the same to the last bit. And e^x comes with the constants of
:func:`snippets.portable.exp_scalar`, so the browser trains exactly the networks the pages train.

>>> import json
>>> c = json.loads(config_json())
>>> c["x"], c["y"], c["lr"]
([1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 1.0, 0.0], 0.5)
>>> c["starts"]["article"]
{'w1': [0.5], 'b1': [-0.1], 'w2': [0.3], 'b2': 0.2}
>>> len(c["normals"]), len(c["normals"][0]), c["widths"]
(20, 25, [1, 2, 3, 4, 8])
"""

from __future__ import annotations

import json

import numpy as np

from snippets.book import claims
from snippets.book.numbers import NEGLIGIBLE, num
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
from snippets.linear import mean_prediction_loss
from snippets.network import Params
from snippets.optimisers import OPTIMISERS
from snippets.portable import exp_constants, normal

SEEDS = 20  # the playground offers the random starts of seeds 0 … SEEDS − 1


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
        "starts": {"article": as_json(START), "bump": as_json(BUMP_START)},
        "normals": [normal(np.random.default_rng(s), draws).tolist() for s in range(SEEDS)],
        "scale": SMALL_RANDOM_SCALE,
        "stuck": {"seed": STUCK_SEED, "width": 2, "scale": SMALL_RANDOM_SCALE},
        "widths": list(WIDTHS),
        "optimisers": {
            o.name: {"label": o.label, "lr": o.lr, "beta1": o.beta1, "beta2": o.beta2, "eps": o.eps}
            for o in OPTIMISERS.values()
        },
        "floor": float(claims.monotone_best()[1]),
        "plateau": mean_prediction_loss(Y),
        "negligible": NEGLIGIBLE,
        "exp": exp_constants(),  # nn.js computes e^x as snippets/portable.py does: same bits
    }


def config_json() -> str:
    return json.dumps(config()).replace("<", "\\u003c")  # safe inside <script>


def config_script() -> str:
    """The ``<script type="application/json">`` element the playground reads at start-up."""
    return f'<script type="application/json" id="playground-config">{config_json()}</script>'


def levels_html() -> str:
    """The loss chart's two reference lines, named with their computed values, as the hidden
    sentences the playground reads (beside the page's own: ``say`` finds either).

    >>> print(levels_html().replace("<li", "\\n<li"))
    <ul hidden data-out="words">
    <li data-key="plateau">0.125: predicting the mean</li>
    <li data-key="floor">1/12: one neuron's floor</li></ul>
    """
    plateau, floor = num(mean_prediction_loss(Y), 3), claims.monotone_best()[1]
    return (
        '<ul hidden data-out="words">'
        f'<li data-key="plateau">{plateau}: predicting the mean</li>'
        f'<li data-key="floor">{floor}: one neuron\'s floor</li></ul>'
    )

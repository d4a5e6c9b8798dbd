"""The playground's inputs, handed from the lesson to the page's JavaScript as JSON.

>>> import json
>>> c = json.loads(config_json())
>>> c["x"], c["y"], c["lr"]
([1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 1.0, 0.0], 0.5)
>>> c["starts"]["1"]
{'w1': [0.5], 'b1': [-0.1], 'w2': [0.3], 'b2': 0.2}
"""

from __future__ import annotations

import json

from snippets.lesson import BUMP_START, LR, START, X, Y
from snippets.network import Params


def as_json(p: Params) -> dict:
    """Weights as plain lists, the shape the playground's nn.js uses."""
    return {"w1": p.w1.tolist(), "b1": p.b1.tolist(), "w2": p.w2.tolist(), "b2": float(p.b2)}


def config_json() -> str:
    """Data, starts (1 neuron: the article's; 2 neurons: the bump) and learning rate."""
    config = {
        "x": X.tolist(),
        "y": Y.tolist(),
        "lr": LR,
        "starts": {"1": as_json(START), "2": as_json(BUMP_START)},
    }
    return json.dumps(config).replace("<", "\\u003c")  # safe inside <script>


def config_script() -> str:
    """The ``<script type="application/json">`` element the playground reads at start-up."""
    return f'<script type="application/json" id="playground-config">{config_json()}</script>'

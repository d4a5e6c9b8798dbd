"""Any start of the study on 10-measured.md, drawn again: initialisation, width, run index."""

import math

import numpy as np

from snippets.portable import normal  # normal draws made the same way on every computer

SEED = 20250601  # the study's root seed
CODES = {"small": 1, "xavier": 2, "he": 3}  # each initialisation's part of the seed


def start(init: str, width: int, run: int) -> dict:  # every optimiser trains the same start
    rng = np.random.default_rng([SEED, CODES[init], width, run])
    if init == "small":  # every weight and bias from N(0, 0.1²), drawn w1, b1, w2, then b2
        v = 0.1 * normal(rng, 3 * width + 1)
        w1, b1, w2, b2 = v[:width], v[width : 2 * width], v[2 * width : 3 * width], v[-1]
    else:  # Xavier or He: biases 0, weights of layer 1 drawn first, then those of layer 2
        sd1 = math.sqrt(2 / (1 + width)) if init == "xavier" else math.sqrt(2)
        sd2 = math.sqrt(2 / (1 + width)) if init == "xavier" else math.sqrt(2 / width)
        w1, b1, w2, b2 = sd1 * normal(rng, width), np.zeros(width), sd2 * normal(rng, width), 0.0
    return {"w1": w1.tolist(), "b1": b1.tolist(), "w2": w2.tolist(), "b2": float(b2)}


print(start("he", 2, 17))  # for example: He start, 2 hidden neurons, run 17

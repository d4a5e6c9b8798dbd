"""The lesson's whole training loop in one place: forward, cost, backward, update, repeat."""

import numpy as np

from snippets.lesson import EPOCHS, LOG_EVERY, LR, START, X, Y
from snippets.network import sigmoid

w1, b1, w2, b2 = START.w1[0], START.b1[0], START.w2[0], START.b2  # one hidden neuron
for epoch in range(EPOCHS + 1):
    z1 = w1 * X + b1  # forward: the weighted sum, for all four points at once,
    a1 = sigmoid(z1)  # the bend,
    y_hat = w2 * a1 + b2  # and the output
    cost = np.mean(0.5 * (y_hat - Y) ** 2)  # C: the average of the four losses
    if epoch % LOG_EVERY == 0:
        print(f"epoch {epoch:4d}   cost {cost:.6f}")
    if epoch == EPOCHS:
        break
    dL_dyhat = y_hat - Y  # backward: the chain rule, for each point
    dL_dz1 = (dL_dyhat * w2) * (a1 * (1 - a1))
    w1 = w1 - LR * np.mean(dL_dz1 * X)  # update: each weight against its average gradient
    b1 = b1 - LR * np.mean(dL_dz1)
    w2 = w2 - LR * np.mean(dL_dyhat * a1)
    b2 = b2 - LR * np.mean(dL_dyhat)

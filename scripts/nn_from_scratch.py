# %% [markdown]
# # A neural network from scratch
#
# This page is one Python file, `nn_from_scratch.py`, run while the site was built.
# Download it with the button at the top right of this page and run it with
# `python nn_from_scratch.py`: it needs only NumPy and Matplotlib, trains the two networks of
# the tutorial, prints their logs and saves the comparison figure as `nn_from_scratch.png`.
#
# It is written differently from the site's own code on purpose: one data point at a time, in
# plain loops, the way you would work it out by hand. The site's tests check that both give the
# same numbers, so each keeps the other honest.

# %%
import math
import os

import matplotlib.pyplot as plt  # only saves figures: any backend, a notebook's included, works
import numpy as np

# %% tags=["hide-input"]
# How a notebook shows the figure (the site hides this code): as SVG, its text kept as text,
# the same bytes on every run, at a size that reads on a phone. (In a script, the next line is
# only a comment.)
# %config InlineBackend.figure_formats = ["svg"]
plt.rcParams["svg.fonttype"] = "none"
plt.rcParams["svg.hashsalt"] = "nn_from_scratch"
plt.rcParams["font.size"] = 12

# %% [markdown]
# ## The data and the starting weights
#
# Four points that go up and come back down. Each hidden neuron `j` has a weight `w1[j]` and a
# bias `b1[j]` on its way in and a weight `w2[j]` on its way out; `b2` is the output's bias.

# %%
X = [1.0, 2.0, 3.0, 4.0]
Y = [0.0, 1.0, 1.0, 0.0]
LR = 0.5
EPOCHS = 2000
LOG_EVERY = 500

ONE_NEURON = {"w1": [0.5], "b1": [-0.1], "w2": [0.3], "b2": 0.2}
TWO_NEURONS = {"w1": [3.0, 3.0], "b1": [-4.5, -10.5], "w2": [2.0, -2.0], "b2": 0.0}


# %% [markdown]
# ## One point at a time
#
# For each point: the forward pass, the loss ½(ŷ − y)², and the chain rule run backwards to get
# the gradient of that loss with respect to every weight.


# %%
def sigmoid(z):
    """1 / (1 + e^(−z)), without overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + exp(-z))
    e = exp(z)
    return e / (1.0 + e)


def predict(net, x):
    """Forward pass for one input: returns the hidden activations and the prediction."""
    a1 = [sigmoid(w * x + b) for w, b in zip(net["w1"], net["b1"])]
    y_hat = sum(w * a for w, a in zip(net["w2"], a1)) + net["b2"]
    return a1, y_hat


def point_gradients(net, x, y):
    """Loss and gradients for one (x, y), by the chain rule."""
    a1, y_hat = predict(net, x)
    d_yhat = y_hat - y  # ∂L/∂ŷ
    grads = {"w1": [], "b1": [], "w2": [], "b2": d_yhat}
    for j, a in enumerate(a1):
        d_z = d_yhat * net["w2"][j] * a * (1 - a)  # ∂L/∂ŷ · ∂ŷ/∂a · ∂a/∂z
        grads["w1"].append(d_z * x)
        grads["b1"].append(d_z)
        grads["w2"].append(d_yhat * a)
    return 0.5 * d_yhat * d_yhat, grads


# %% [markdown]
# ## e to the power z, the same on every computer
#
# The sigmoid above needs e^z. `math.exp` and `np.exp` can differ in the last of their sixteen
# digits from one computer to the next, and thousands of steps of training can magnify such a
# difference. So this script works out e^z itself, with nothing but + − × ÷, which every
# computer rounds the same way.


# %%
LN2 = 0.6931471805599453  # ln 2, as close as a 64-bit float gets


def exp(z):
    """e**z = 2**k · e**r, where z = k·ln 2 + r, and e**r comes from its Taylor series."""
    k = round(z / LN2)
    r = z - k * LN2  # |r| ≤ ½ ln 2 ≈ 0.35
    term = total = 1.0
    for n in range(1, 18):  # 1 + r + r²/2! + … + r¹⁷/17!; the next term is below rounding
        term = term * r / n
        total = total + term
    return math.ldexp(total, k)  # total · 2**k, exactly


# %% [markdown]
# ## Training: average the gradients, step downhill, repeat


# %%
def cost(net):
    errors = [predict(net, x)[1] - y for x, y in zip(X, Y)]
    return sum(0.5 * e * e for e in errors) / len(X)


def shown(c):
    """A cost as the site prints it: 6 decimals, small ones as powers of ten, and below 1e-25
    what it is: rounding noise."""
    if c < 1e-25:
        return "below 10⁻²⁵"
    if c >= 1e-4:
        return f"{c:.6f}"
    mantissa, exponent = f"{c:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def train(net, epochs=EPOCHS, lr=LR, label=""):
    """Full-batch gradient descent; returns the final weights and the cost C before each step."""
    net = {k: (list(v) if isinstance(v, list) else v) for k, v in net.items()}
    history = []
    for epoch in range(epochs):
        total = {
            "w1": [0.0] * len(net["w1"]),
            "b1": [0.0] * len(net["b1"]),
            "w2": [0.0] * len(net["w2"]),
            "b2": 0.0,
        }
        epoch_cost = 0.0
        for x, y in zip(X, Y):
            point_loss, g = point_gradients(net, x, y)
            epoch_cost += point_loss
            for k in ("w1", "b1", "w2"):
                total[k] = [t + v for t, v in zip(total[k], g[k])]
            total["b2"] += g["b2"]
        history.append(epoch_cost / len(X))
        if epoch % LOG_EVERY == 0:
            print(f"{label} epoch {epoch:5d}   cost {shown(history[-1])}")
        for k in ("w1", "b1", "w2"):
            net[k] = [w - lr * t / len(X) for w, t in zip(net[k], total[k])]
        net["b2"] -= lr * total["b2"] / len(X)
    history.append(cost(net))
    print(f"{label} epoch {epochs:5d}   cost {shown(history[-1])}   (final)")
    return net, history


# %% [markdown]
# ## Both runs

# %%
one, one_history = train(ONE_NEURON, label="1 neuron ")
two, two_history = train(TWO_NEURONS, label="2 neurons")

for x, y in zip(X, Y):
    # rounded, then + 0.0, which turns a minus zero into a zero
    one_y, two_y = (round(predict(net, x)[1], 4) + 0.0 for net in (one, two))
    print(f"x = {x:.0f}   y = {y:.0f}   1 neuron: {one_y:7.4f}   2 neurons: {two_y:7.4f}")

# %% [markdown]
# ## The comparison figure
#
# Top, the cost of both networks on a log scale: one neuron levels off, two neurons fall until
# the cost is rounding noise (drawn down to 1e-25). Bottom, the functions they learned: one
# neuron can only rise, two can rise and fall.

# %%
fig, (left, right) = plt.subplots(2, 1, figsize=(4.5, 6.5), layout="constrained")
grid = np.linspace(0.5, 4.5, 200)
for net, history, colour, label in (
    (one, one_history, "#e4572e", "1 hidden neuron"),
    (two, two_history, "#1f9e89", "2 hidden neurons"),
):
    noise = next((k for k, v in enumerate(history) if v < 1e-25), len(history))
    left.semilogy(history[:noise], color=colour, label=label)  # stop where noise begins
    right.plot(grid, [predict(net, x)[1] for x in grid], color=colour, label=label)
right.plot(X, Y, "ko", label="data")
left.set(xlabel="epoch", ylabel="cost (log scale)")
right.set(xlabel="x", ylabel="prediction")
left.legend()
right.legend()

figure_path = os.environ.get("NN_FROM_SCRATCH_FIGURE", "nn_from_scratch.png")
fig.savefig(figure_path, dpi=100, metadata={"Software": None})
print(f"figure written to {figure_path}")

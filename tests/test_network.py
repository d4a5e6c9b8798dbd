"""The network's maths against references that share none of its code."""

from __future__ import annotations

import math

import numpy as np
import pytest

from snippets.gradcheck import finite_differences
from snippets.lesson import BUMP_START, LR, START, X, Y, small_random_start
from snippets.network import (
    Params,
    backward,
    cost,
    forward,
    forward_one,
    gradients,
    sigmoid,
    train,
    update,
)


def random_params(rng: np.random.Generator, width: int) -> Params:
    return Params.of(*rng.normal(0, 1.5, size=(3, width)), rng.normal())


def scalar_loss(p: Params, x: float, y: float) -> float:
    """½(ŷ − y)² with math.exp, one neuron at a time: an independent forward pass."""
    y_hat = p.b2 + sum(
        float(w2) / (1 + math.exp(-(float(w1) * x + float(b1))))
        for w1, b1, w2 in zip(p.w1, p.b1, p.w2)
    )
    return 0.5 * (y_hat - y) ** 2


def test_forward_matches_scalar_reference():
    rng = np.random.default_rng(1)
    for width in (1, 2, 3):
        p = random_params(rng, width)
        expected = np.mean([scalar_loss(p, x, y) for x, y in zip(X, Y)])
        assert cost(p, X, Y) == pytest.approx(expected, rel=1e-13)


def test_sigmoid_is_exact_and_never_overflows():
    z = np.array([-800.0, -30.0, -1.0, 0.0, 2.5, 30.0, 800.0])
    expected = [1 / (1 + math.exp(-v)) if v > -700 else 0.0 for v in z]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_allclose(sigmoid(z), expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("width", [1, 2, 3])
@pytest.mark.parametrize("seed", range(5))
def test_gradients_match_central_differences(width, seed):
    p = random_params(np.random.default_rng(100 * width + seed), width)
    exact, estimate = gradients(p, X, Y), finite_differences(p, X, Y)
    for e, n in zip(exact, estimate):
        np.testing.assert_allclose(e, n, rtol=1e-6, atol=1e-9)


def test_per_point_gradients_average_to_the_mean_loss_gradient():
    p = random_params(np.random.default_rng(7), 2)
    per_point = backward(p, X, Y, *forward(p, X)).grads
    for k, (x, y) in enumerate(zip(X, Y)):
        single = gradients(p, np.array([x]), np.array([y]))
        for all_points, one in zip(per_point, single):
            np.testing.assert_allclose(np.asarray(all_points)[k], one, rtol=1e-14)


def test_one_point_by_hand_is_the_vectorised_forward_pass():
    z1, a1, y_hat = forward(START, X)
    for k, x in enumerate(X):
        assert forward_one(START, x) == (z1[k, 0], a1[k, 0], y_hat[k])  # to the last bit


def test_lesson_start_values_by_hand():
    """The values 02-forward.md walks through, recomputed with math.exp."""
    z1 = 0.5 * 1.0 - 0.1
    a1 = 1 / (1 + math.exp(-z1))
    z, a, y_hat = forward(START, np.array([1.0]))
    assert float(z[0, 0]) == pytest.approx(z1, abs=1e-15)
    assert float(a[0, 0]) == pytest.approx(a1, abs=1e-15)
    assert float(y_hat[0]) == pytest.approx(0.3 * a1 + 0.2, abs=1e-15)


def test_update_moves_against_the_gradient():
    g = gradients(START, X, Y)
    new = update(START, g, LR)
    for old, grad, moved in zip(START, g, new):
        np.testing.assert_allclose(moved, np.asarray(old) - LR * np.asarray(grad), rtol=0, atol=0)


def test_train_is_repeated_update():
    p = BUMP_START
    for _ in range(3):
        p = update(p, gradients(p, X, Y), LR)
    run = train(BUMP_START, X, Y, LR, 3)
    for a, b in zip(p, run.final):
        np.testing.assert_array_equal(a, b)
    assert run.costs[0] == cost(BUMP_START, X, Y)
    assert run.costs[-1] == cost(run.final, X, Y)


def test_small_random_start_is_seeded():
    a, b, c = small_random_start(3), small_random_start(3), small_random_start(4)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a.w1, c.w1)
    assert a.width == 2

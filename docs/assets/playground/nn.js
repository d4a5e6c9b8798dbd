// The playground's maths: the same network as snippets/network.py, in the same order of
// operations, so both give the same numbers (tests/test_playground.py checks it to 1e-12).
// No DOM here. Weights are {w1: [..], b1: [..], w2: [..], b2: number}, one entry per hidden neuron.

/** σ(z) = 1 / (1 + e^(−z)), arranged so e^(…) never overflows. */
export function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** Forward pass for every x: z1 and a1 are [point][neuron], yHat is [point]. */
export function forward(p, xs) {
  const z1 = xs.map((x) => p.w1.map((w, j) => x * w + p.b1[j]));
  const a1 = z1.map((row) => row.map(sigmoid));
  const yHat = a1.map((row) => row.reduce((s, a, j) => s + a * p.w2[j], 0) + p.b2);
  return { z1, a1, yHat };
}

/** ½(ŷ − y)² for each point. */
export const losses = (yHat, ys) => yHat.map((v, k) => 0.5 * (v - ys[k]) ** 2);

const mean = (values) => values.reduce((s, v) => s + v, 0) / values.length;

export const meanLoss = (p, xs, ys) => mean(losses(forward(p, xs).yHat, ys));

/** The chain rule for each point, right to left; every link is kept for display. */
export function backward(p, xs, ys, { a1, yHat }) {
  const dL_dyhat = yHat.map((v, k) => v - ys[k]);
  const da1_dz1 = a1.map((row) => row.map((a) => a * (1 - a)));
  const dL_dz1 = a1.map((row, k) => row.map((_, j) => dL_dyhat[k] * p.w2[j] * da1_dz1[k][j]));
  return {
    dL_dyhat,
    da1_dz1,
    dL_dz1,
    grads: {
      w1: dL_dz1.map((row, k) => row.map((d) => d * xs[k])),
      b1: dL_dz1,
      w2: a1.map((row, k) => row.map((a) => dL_dyhat[k] * a)),
      b2: dL_dyhat,
    },
  };
}

/** Per-point gradients → their average over the points. */
export function average(g) {
  const column = (rows, j) => mean(rows.map((row) => row[j]));
  return {
    w1: g.w1[0].map((_, j) => column(g.w1, j)),
    b1: g.b1[0].map((_, j) => column(g.b1, j)),
    w2: g.w2[0].map((_, j) => column(g.w2, j)),
    b2: mean(g.b2),
  };
}

/** One gradient-descent step: every weight moves against its gradient. */
export function update(p, g, lr) {
  const move = (ws, gs) => ws.map((w, j) => w - lr * gs[j]);
  return { w1: move(p.w1, g.w1), b1: move(p.b1, g.b1), w2: move(p.w2, g.w2), b2: p.b2 - lr * g.b2 };
}

/** One epoch: returns the loss before the step and the weights after it. */
export function epoch(p, xs, ys, lr) {
  const fwd = forward(p, xs);
  const loss = mean(losses(fwd.yHat, ys));
  return { loss, params: update(p, average(backward(p, xs, ys, fwd).grads), lr) };
}

/** Many epochs; losses[k] is the mean loss after k steps, like snippets.network.train. */
export function train(p, xs, ys, lr, epochs) {
  const history = [];
  for (let k = 0; k < epochs; k++) {
    const next = epoch(p, xs, ys, lr);
    history.push(next.loss);
    p = next.params;
  }
  history.push(meanLoss(p, xs, ys));
  return { params: p, losses: history };
}

// The cost chart's reference levels for the data as they are now, as snippets/linear.py and
// snippets/floor.py compute them for the lesson's (the tests compare them on random data).

const mean = (vs) => vs.reduce((s, v) => s + v, 0) / vs.length;

/** The cost of predicting the mean ȳ everywhere: ½·mean((y − ȳ)²) (mean_prediction_loss). */
export function meanPrediction(ys) {
  const m = mean(ys);
  return mean(ys.map((y) => 0.5 * ((y - m) * (y - m))));
}

/** The non-decreasing sequence closest to ys: pool adjacent violators (isotonic_increasing). */
function rising(ys) {
  const blocks = []; // [sum, count] of each pooled run
  for (const y of ys) {
    blocks.push([y, 1]);
    while (
      blocks.length > 1 &&
      blocks.at(-2)[0] * blocks.at(-1)[1] > blocks.at(-1)[0] * blocks.at(-2)[1]
    ) {
      const [total, n] = blocks.pop();
      blocks.at(-1)[0] += total;
      blocks.at(-1)[1] += n;
    }
  }
  return blocks.flatMap(([total, n]) => Array(n).fill(total / n));
}

/** The lowest cost of any monotone prediction, so of any one-neuron network (monotone_floor). */
export function monotoneFloor(ys) {
  const costOf = (fit) =>
    fit.reduce((s, f, k) => s + (f - ys[k]) * (f - ys[k]), 0) / (2 * ys.length);
  const up = costOf(rising(ys));
  const down = costOf(rising(ys.map((y) => -y)).map((v) => -v));
  return down < up ? down : up;
}

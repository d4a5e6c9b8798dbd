// The cost chart's reference levels for the data now, as snippets/linear.py and floor.py
// compute them (the tests compare the two on random data).
import { mean } from "./nn.js";

/** Predicting the mean ȳ: ½·mean((y − ȳ)²) (mean_prediction_loss). */
export function meanPrediction(ys) {
	const m = mean(ys);
	return mean(ys.map((y) => 0.5 * ((y - m) * (y - m))));
}

/** The closest rising fit: pool adjacent violators (isotonic_increasing). */
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

/** The lowest cost of any monotone fit, so of one neuron (monotone_floor). */
export function monotoneFloor(ys) {
	const costOf = (fit) =>
		fit.reduce((s, f, k) => s + (f - ys[k]) * (f - ys[k]), 0) / (2 * ys.length);
	const up = costOf(rising(ys));
	const down = costOf(rising(ys.map((y) => -y)).map((v) => -v));
	return down < up ? down : up;
}

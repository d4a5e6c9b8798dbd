// snippets/network.py and optimisers.py, operation for operation, with portable.py's e^x: the
// pages' networks to the last bit. Weights are {w1: [..], b1: [..], w2: [..], b2}.

let E = null; // e^x's constants, from the page's JSON (useArithmetic)
const SHIFT = 1.5 * 2 ** 52; // y + SHIFT − SHIFT rounds y to an integer, half to even
const POW2 = new Float64Array(2046); // 2^k for k = −1022 … 1023, each exact
POW2[0] = 2.2250738585072014e-308;
for (let i = 1; i < POW2.length; i++) POW2[i] = POW2[i - 1] * 2;

export function useArithmetic(constants) {
	const [c2, c3, c4, c5] = constants.taylor;
	const [high, low] = [constants.high, constants.low].map((a) => Float64Array.from(a));
	E = { ...constants, c2, c3, c4, c5, high, low };
}

/** m · 2^k (1 ≤ m < 2, k ≤ 1023) with one rounding, as C's ldexp. */
function ldexp(m, k) {
	if (k >= -1022) return m * POW2[k + 1022];
	if (k < -1076) return 0; // below half the smallest double
	return m * POW2[22] * POW2[k + 2022]; // m·2^−1000 is exact; the second product rounds once
}

/** e^x: 2^k · 2^(j/256) · e^r, exactly exp_scalar's arithmetic. */
function exp(x) {
	const r0 = Math.min(Math.max(x, -E.limit), E.limit);
	const n = r0 * E.inverseStep + SHIFT - SHIFT;
	const r = r0 - n * E.stepHigh - n * E.stepLow;
	const t = (((r * E.c5 + E.c4) * r + E.c3) * r + E.c2) * r * r + r;
	const j = n & 255;
	return ldexp(E.high[j] + (E.high[j] * t + E.low[j]), n >> 8);
}

/** σ(z) = 1 / (1 + e^(−z)), arranged so e^(…) never overflows. */
export function sigmoid(z) {
	const e = exp(-Math.abs(z));
	return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** Forward pass: z1 and a1 are [point][neuron], yHat is [point]. */
export function forward(p, xs) {
	const z1 = xs.map((x) => p.w1.map((w, j) => x * w + p.b1[j]));
	const a1 = z1.map((row) => row.map(sigmoid));
	const yHat = a1.map((row) => row.reduce((s, a, j) => s + a * p.w2[j], 0) + p.b2);
	return { z1, a1, yHat };
}

export const losses = (yHat, ys) => yHat.map((v, k) => 0.5 * ((v - ys[k]) * (v - ys[k])));
export const mean = (values) => values.reduce((s, v) => s + v, 0) / values.length;

/** The cost C: the points' mean loss. */
export const cost = (p, xs, ys) => mean(losses(forward(p, xs).yHat, ys));

/** The chain rule for each point, every link kept for display. */
export function backward(p, xs, ys, { a1, yHat }) {
	const dL_dyhat = yHat.map((v, k) => v - ys[k]);
	const dL_da1 = dL_dyhat.map((d) => p.w2.map((w) => d * w));
	const da1_dz1 = a1.map((row) => row.map((a) => a * (1 - a)));
	const dL_dz1 = dL_da1.map((row, k) => row.map((d, j) => d * da1_dz1[k][j]));
	const w1 = dL_dz1.map((row, k) => row.map((d) => d * xs[k]));
	const w2 = a1.map((row, k) => row.map((a) => dL_dyhat[k] * a));
	return { dL_dyhat, dL_da1, da1_dz1, dL_dz1, grads: { w1, b1: dL_dz1, w2, b2: dL_dyhat } };
}

/** Per-point gradients → their average: the cost's gradient. */
export function average(g) {
	const columns = (rows) => rows[0].map((_, j) => mean(rows.map((row) => row[j])));
	return { w1: columns(g.w1), b1: columns(g.b1), w2: columns(g.w2), b2: mean(g.b2) };
}

/** The weights as one list, as network.py's split: w1, b1, w2, b2. */
export const flat = (p) => [...p.w1, ...p.b1, ...p.w2, p.b2];

/** [["w1", 0], …, ["b2", 0]], in flat()'s order. */
export const keys = (h) => [
	..."w1 b1 w2".split(" ").flatMap((k) => Array.from({ length: h }, (_, j) => [k, j])),
	["b2", 0],
];

export function unflat(v) {
	const h = (v.length - 1) / 3;
	return { w1: v.slice(0, h), b1: v.slice(h, 2 * h), w2: v.slice(2 * h, 3 * h), b2: v[3 * h] };
}

const zeros = (n) => Array.from({ length: n }, () => 0);

/** optimisers.py's registry (settings from the page's JSON): each entry's memory at the start,
 * `begin` (once a step), `move` (weight i's step, subtracted), `explain` (its update, written). */
export const OPTIMISERS = {
	gd: {
		memory: () => ({}),
		move: (o, mem, i, g) => o.lr * g, // w ← w − η·g
		explain: ({ w, g, old, now, lr }, f) => [
			`${w} ← ${w} − η·∂C/∂${w} = ${f.fmt(old)} − ${f.given(lr)}·${f.put(g)} = ${f.fmt(now)}`,
		],
	},
	momentum: {
		memory: (n) => ({ velocity: zeros(n) }),
		move(o, mem, i, g) {
			mem.velocity[i] = o.beta1 * mem.velocity[i] + g; // v ← β·v + g
			return o.lr * mem.velocity[i]; // w ← w − η·v
		},
		explain: ({ w, g, old, now, lr, o, before, after }, f) => [
			`v ← β·v + ∂C/∂${w} = ${f.given(o.beta1)}·${f.put(before.velocity)} + ${f.put(g)} = ` +
				f.fmt(after.velocity),
			`${w} ← ${w} − η·v = ${f.fmt(old)} − ${f.given(lr)}·${f.put(after.velocity)} = ${f.fmt(now)}`,
		],
	},
	adam: {
		memory: (n) => ({ m: zeros(n), v: zeros(n), beta1t: 1, beta2t: 1 }),
		begin(o, mem) {
			mem.beta1t *= o.beta1; // β₁ᵗ, β₂ᵗ as running products: exact everywhere
			mem.beta2t *= o.beta2;
		},
		move(o, mem, i, g) {
			mem.m[i] = o.beta1 * mem.m[i] + (1 - o.beta1) * g;
			mem.v[i] = o.beta2 * mem.v[i] + (1 - o.beta2) * (g * g);
			return (
				o.lr * (mem.m[i] / (1 - mem.beta1t) / (Math.sqrt(mem.v[i] / (1 - mem.beta2t)) + o.eps))
			); // η·m̂/(√v̂ + ε)
		},
		explain: ({ w, old, now, lr }, f) => [
			`${w} ← ${w} − η·m̂/(√v̂ + ε) = ${f.fmt(old)} − ${f.given(lr)}·` +
				`${f.put((old - now) / lr)} = ${f.fmt(now)}`,
		],
	},
};

/** An unknown optimiser is an error, never a silent default. */
export function optimiser(name) {
	if (!Object.hasOwn(OPTIMISERS, name))
		throw new Error(`unknown optimiser "${name}": known are ${Object.keys(OPTIMISERS).join(", ")}`);
	return OPTIMISERS[name];
}

export const memory = (opt, size) => optimiser(opt.name).memory(size);

/** One step of `opt` with the averaged gradient g: new weights and memory. */
export function step(p, g, opt, mem) {
	const [w, grad, entry] = [flat(p), flat(g), optimiser(opt.name)];
	mem = Object.fromEntries(Object.entries(mem).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
	entry.begin?.(opt, mem);
	w.forEach((_, i) => {
		w[i] -= entry.move(opt, mem, i, grad[i]);
	});
	return { params: unflat(w), memory: mem };
}

/** What an epoch computes before its step. */
export function evaluate(p, xs, ys) {
	const fwd = forward(p, xs);
	const back = backward(p, xs, ys, fwd);
	const l = losses(fwd.yHat, ys);
	return { params: p, fwd, losses: l, cost: mean(l), back, avg: average(back.grads) };
}

/** One epoch: its cost, new weights and memory. */
export function epoch(p, xs, ys, opt, mem) {
	const e = evaluate(p, xs, ys);
	return { cost: e.cost, ...step(p, e.avg, opt, mem) };
}

/** The cost of flat weights w (width h), without allocating: for the landscape. */
export function costOf(w, h, xs, ys) {
	let sum = 0;
	for (let k = 0; k < xs.length; k++) {
		let yHat = 0;
		for (let j = 0; j < h; j++) yHat += sigmoid(xs[k] * w[j] + w[h + j]) * w[2 * h + j];
		const r = yHat + w[3 * h] - ys[k];
		sum += 0.5 * (r * r);
	}
	return sum / xs.length;
}

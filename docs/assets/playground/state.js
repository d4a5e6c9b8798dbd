// The playground's state, declared once, its limits and URL form; every input comes from the
// page's JSON (snippets/book/playground.py).
import { readNumber } from "../questions.js";
import { flat, memory, unflat } from "./nn.js";

export const LIMITS = {
	weight: [-1000, 1000],
	y: [-5, 5],
	lr: [1e-4, 100],
	scale: [0.001, 10],
	epoch: [1, 1e7],
};
export const SLIDER = { weight: [-12, 12], lr: [0.01, 5] };
const STARTS = ["lesson", "bump", "random", "linked"];
export const SPEEDS = [1, 10, 100, 1000, 10000, Infinity]; // epochs/s
const SPEED = 3; // 1,000 epochs/s (links write config.speeds' names)

/** A typed value, {value} or {error}: 0,05 is 0.05; a whole number may group thousands. */
export function parseNumber(text, [lo, hi], integer = false) {
	const t = String(text).trim();
	const grouped = integer && /^\d{1,3}([, ]\d{3})+$/.test(t);
	const value = grouped ? Number(t.replace(/[, ]/g, "")) : readNumber(t);
	if (Number.isNaN(value))
		return { error: t ? `“${t.slice(0, 40)}” is not a number.` : "Enter a number." };
	if (!Number.isFinite(value)) return { error: "That number is too large." };
	if (integer && !Number.isInteger(value)) return { error: "Enter a whole number." };
	if (value < lo || value > hi) return { error: `Enter a value from ${lo} to ${hi}.` };
	return { value };
}

/** A start's weights; "random" is lesson.small_random_start's arithmetic. */
export function startWeights(config, start, width, seed, scale) {
	if (start !== "random") return structuredClone(config.starts[start]);
	return unflat(config.normals[seed].slice(0, 3 * width + 1).map((z) => scale * z));
}

/** A fresh state, every field; `choice` picks the start, and may set ys and lr. */
export function initial(config, choice = {}) {
	const { start = "lesson", seed = 0, scale = config.scale, params: linked } = choice;
	const optimiser = choice.optimiser ?? Object.keys(config.optimisers)[0];
	const width = config.starts[start]?.w1.length ?? linked?.w1.length ?? choice.width ?? 2;
	const params = linked ?? startWeights(config, start, width, seed, scale);
	const own = config.optimisers[optimiser].lr;
	const lr = choice.lr ?? own;
	return {
		...{ start, width, seed, scale, optimiser, params, lr }, // start: one of STARTS
		label: (choice.label ?? "").slice(0, 120), // a linked start's name
		origin: { params: structuredClone(params), lr: linked ? lr : own }, // what Reset gives
		memory: memory({ name: optimiser }, flat(params).length),
		ys: [...(choice.ys ?? config.y)],
		epoch: 0, // since weights, data, width or optimiser changed
		...{ history: [], path: [], stride: 1 }, // cost and weights every stride-th epoch
		...{ base: Infinity, last: Infinity, rising: 0 }, // to judge a divergence (run.js)
		...{ phase: 0, walk: null }, // Step phase's stage (0: none), the walked epoch
		...{ running: false, toEpoch: false, message: "" }, // a run (to stopAt?), an alert
		...{ speed: SPEED, stopAt: config.epochs, more: false }, // more: further controls shown
		...{ point: 0, parts: true, log: false, readout: null }, // what the views show
		axes: ["w1:0", width > 1 ? "w1:1" : "w2:0"], // the landscape's two weights
	};
}

/** The state as a query string (a linked start's weights are those it shows). */
export function toQuery(s, config) {
	const { params: p, start } = s;
	const q = { start, ...(start === "linked" && { from: s.label }), h: s.width };
	if (start === "random") Object.assign(q, { seed: s.seed, scale: s.scale });
	Object.assign(q, { opt: s.optimiser, w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2, y: s.ys, lr: s.lr });
	if (s.more) q.more = 1;
	if (s.speed !== SPEED) q.speed = config.speeds[s.speed];
	if (s.stopAt !== config.epochs) q.stop = s.stopAt;
	return `?${new URLSearchParams(q)}`;
}

/** Read a query string: {s, notes}; a value that cannot be used is noted {key, value, why}. */
export function fromQuery(search, config) {
	const q = new URLSearchParams(search);
	const notes = [];
	const ignore = (key, why) => void notes.push({ key, value: q.get(key).slice(0, 60), why });
	const list = (key, n, limits, integer) => {
		if (!q.has(key)) return undefined;
		const parts = q.get(key).split(",");
		const bad = parts.map((t) => parseNumber(t, limits, integer)).find((r) => "error" in r);
		if (parts.length !== n) return ignore(key, `it needs ${n} number${n > 1 ? "s" : ""}.`);
		return bad ? ignore(key, bad.error) : parts.map((t) => parseNumber(t, limits, integer).value);
	};
	const one = (key, limits, integer) => {
		const r = q.has(key) ? parseNumber(q.get(key), limits, integer) : {}; // 0,5 is 0.5 here
		return "error" in r ? ignore(key, r.error) : r.value;
	};
	const known = (key, values, what) => {
		const v = q.get(key) === "article" ? "lesson" : q.get(key); // older links: start=article
		if (v !== null && !values.includes(v)) ignore(key, `the ${what} are ${values.join(", ")}.`);
		else return v ?? undefined;
	};
	const width = Number(known("h", config.widths.map(String), "widths")) || undefined;
	// older links without a start: ?h=2 meant the bump
	const start =
		known("start", STARTS, "starts") ?? (width > 2 ? "random" : width === 2 ? "bump" : "lesson");
	const optimiser = known("opt", Object.keys(config.optimisers), "optimisers");
	const choice = { start, width, optimiser, ys: list("y", config.x.length, LIMITS.y) };
	if (start === "random") {
		choice.seed = one("seed", [0, config.normals.length - 1], true);
		choice.scale = one("scale", LIMITS.scale);
	} else for (const k of ["seed", "scale"]) if (q.has(k)) ignore(k, "only a random start has one.");
	const n = config.starts[start]?.w1.length ?? width ?? q.get("w1")?.split(",").length;
	const weights = [
		...["w1", "b1", "w2"].map((k) => list(k, n, LIMITS.weight)),
		one("b2", LIMITS.weight),
	];
	if (start === "linked" && weights.includes(undefined)) {
		notes.push({ key: "start", value: start, why: "its weights are missing or cannot be used." });
		Object.assign(choice, { start: "lesson", width: 1 });
	} else if (start === "linked")
		Object.assign(choice, { params: unflat(weights.flat()), label: q.get("from") });
	choice.lr = one("lr", LIMITS.lr);
	const s = initial(config, choice);
	if (s.start !== "linked" && s.width === n) {
		weights.forEach((v, k) => v !== undefined && (s.params[["w1", "b1", "w2", "b2"][k]] = v));
	}
	const speed = known("speed", config.speeds, "speeds");
	s.speed = speed ? config.speeds.indexOf(speed) : s.speed;
	s.stopAt = one("stop", LIMITS.epoch, true) ?? s.stopAt;
	s.more = q.get("more") === "1";
	return { s, notes };
}

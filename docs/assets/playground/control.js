// The controller: the state (state.js), what each control does to it, a sentence (in a polite
// live region) for each change that replaces or keeps something, and the URL kept current.
import { say, setText } from "./fields.js";
import { capital, count, fmt, given } from "./format.js";
import * as nn from "./nn.js";
import { trainer } from "./run.js";
import { LIMITS, fromQuery, initial, toQuery } from "./state.js";

const ADDRESS_MS = 500;
const listed = (ys) => ys.map(given).join(", ");
const pick = (o, names) => Object.fromEntries(names.split(" ").map((k) => [k, o[k]]));

/** `pg`: the state `pg.s` and all that changes it. */
export function controller(root, config) {
	const $ = (sel) => root.querySelector(sel);
	const { s, notes } = fromQuery(location.search, config);
	let [frame, address] = [0, 0];
	const pg = {
		...{ root, config, xs: config.x, s, $ },
		out: (name) => $(`[data-out="${name}"]`),
		input: (name) => $(`[data-input="${name}"]`),
		opt: () => ({ name: pg.s.optimiser, ...config.optimisers[pg.s.optimiser], lr: pg.s.lr }),
		compute: (p) => ({ ...pg.s, ...nn.evaluate(p, pg.xs, pg.s.ys), xs: pg.xs }), // an epoch's values
		draw: () => {}, // ui.js hands each view its frame, …
		rebuild: () => {}, // … and rebuilds the fields when the width changes
		requestDraw: () => (frame ||= requestAnimationFrame(() => ((frame = 0), pg.draw()))),
		note: (...sentences) => setText(pg.out("note"), sentences.filter(Boolean).join(" ")),
		share() {
			pg.out("share").setAttribute("href", toQuery(pg.s, config) + location.hash);
			address ||= setTimeout(pg.address, ADDRESS_MS);
		},
		/** The address follows, at most twice a second: browsers throw at more */
		address() {
			clearTimeout(address);
			address = 0;
			try {
				history.replaceState(history.state, "", pg.out("share").getAttribute("href"));
			} catch {
				// over a limit: the link has it
			}
		},
		changed() {
			Object.assign(pg.s, { phase: 0, walk: null });
			pg.requestDraw();
			if (!pg.s.running) pg.share();
		},
	};
	Object.assign(pg, trainer(pg), starts(pg), settings(pg));
	const now = new URLSearchParams(toQuery(s, config)); // what is kept instead
	const kept = (k) => (now.has(k) ? `${k}=${now.get(k)}` : "the default");
	const linked = s.start === "linked" && say("linked", { from: s.label, lr: String(s.lr) });
	pg.note(...notes.map((n) => say("ignored", { ...n, kept: kept(n.key) })), linked);
	return pg;
}

/** New runs and starts. */
function starts(pg) {
	const { config } = pg;
	const edited = () => pg.s.ys.some((y, k) => y !== config.y[k]);
	const keptData = () => edited() && say("kept-data", { ys: listed(pg.s.ys) });
	const named = (key, vars) => {
		const { start, seed, scale, width, label } = pg.s;
		const option = pg.input("start").querySelector(`[value="${start}"]`).textContent.toLowerCase();
		const detail = {
			random: ` (seed ${seed}, scale ${scale}, ${width} hidden)`,
			linked: ` (${label})`,
		};
		return say(key, { start: option + (detail[start] ?? ""), lr: String(pg.s.lr), ...vars });
	};
	/** A new run from the weights as they are (said unless `quiet`: the caller says more). */
	function newRun(quiet = false) {
		const s = pg.s;
		pg.stop();
		if (s.epoch > 0 && quiet !== true) pg.note(say("over"));
		Object.assign(s, { epoch: 0, history: [], path: [], stride: 1, readout: null, message: "" });
		s.memory = nn.memory(pg.opt(), nn.flat(s.params).length);
		pg.changed();
	}
	/** A new start; `choice` may change any of its settings. */
	function restart(choice = {}) {
		pg.stop();
		const old = pg.s;
		const c = { ...pick(old, "start width seed scale optimiser ys label"), ...choice };
		const { params, lr } = old.origin;
		if (c.start === "linked")
			Object.assign(c, { params: structuredClone(params), lr: choice.lr ?? lr });
		pg.s = Object.assign(initial(config, c), pick(old, "speed stopAt parts log point more"));
		if (pg.s.width === old.width) pg.s.axes = old.axes;
		else pg.rebuild();
		pg.changed();
	}
	return {
		newRun,
		restart,
		/** Reset: the start's weights and η, epoch 0, a fresh memory; the data are kept. */
		reset() {
			restart();
			const memory = Object.keys(pg.s.memory).length ? say("memory") : "";
			pg.note(named("reset", { memory }), keptData());
		},
		begin(choice, key = "start") {
			restart(choice);
			const { width: h, seed, scale } = pg.s;
			pg.note(key === "width" ? say("width", { h, seed, scale }) : capital(named(key)), keptData());
		},
		/** 09-starts.md's stuck start: it restores the lesson's data, as its name promises. */
		stuck() {
			const back = edited() && say("data-back", { ys: listed(pg.s.ys) });
			const optimiser = Object.keys(config.optimisers)[0]; // the lesson's gradient descent
			restart({ start: "random", ...config.stuck, optimiser, ys: config.y });
			pg.note(capital(named("start")), back);
		},
	};
}

function settings(pg) {
	let clamped = null; // where a drag was held, within the limits
	return {
		/** Another optimiser: the weights stay, η stays, the run starts over with a fresh memory. */
		setOptimiser(name) {
			pg.s.optimiser = name;
			pg.newRun(true);
			const { label, lr: own } = pg.config.optimisers[name];
			const vars = { name: label, lr: String(pg.s.lr), own: String(own) };
			pg.note(say(own === pg.s.lr ? "own-lr" : "optimiser", vars));
		},
		ownLr() {
			pg.s.lr = pg.config.optimisers[pg.s.optimiser].lr;
			pg.changed();
			pg.$("#pg-lr-n").focus();
		},
		drag(k, y, done) {
			const [lo, hi] = LIMITS.y;
			if (y !== null) {
				const held = Math.round(Math.max(lo, Math.min(hi, y)) * 100) / 100;
				if (held !== Math.round(y * 100) / 100) clamped = { k, held };
				pg.s.ys[k] = held;
				pg.newRun();
			}
			if (done && clamped) {
				const [name, value] = [`y at x = ${given(pg.xs[clamped.k])}`, given(clamped.held)];
				pg.note(say("clamped", { name, lo: fmt(lo, 0), hi: fmt(hi, 0), value }));
				clamped = null;
			}
			if (done) pg.share();
		},
		/** "Stop at epoch" edited: a run already past it stops now, and says so. */
		stopAtChanged() {
			const s = pg.s;
			if (s.running && s.toEpoch && s.epoch >= s.stopAt) {
				pg.stop();
				pg.note(say("passed", { stop: count(s.stopAt), epoch: count(s.epoch) }));
			}
			pg.share();
		},
	};
}

// Training at the chosen speed, drawn at most once per display frame; Step, Step phase; a
// diverged run stops and says what to do. Every epoch counted is one applied.
import { count, cost as costText } from "./format.js";
import { say } from "./fields.js";
import * as nn from "./nn.js";
import { SPEEDS } from "./state.js";

const DIVERGED = 1e6; // a cost this large, and …
const FACTOR = 1e3; // … this many times the cost where the run began, has diverged; so has …
const GROWTH = 500; // … one that rose this many epochs in a row (healthy runs: < 130)
const HISTORY = 2000; // costs kept for the chart
const FRAME_MS = 12; // flat out: a frame's training and drawing
const CHUNK_MS = 500; // reduced motion: at most one jump this often

/** Epochs, each recorded for the charts: train(n, until), commit(a walked epoch). */
function epochs(pg, stop) {
	function record(cost, params) {
		const s = pg.s;
		if (s.epoch % s.stride) return;
		s.history.push(cost);
		s.path.push(nn.flat(params));
		if (s.history.length > HISTORY) {
			s.history = s.history.filter((_, k) => k % 2 === 0);
			s.path = s.path.filter((_, k) => k % 2 === 0);
			s.stride *= 2;
			s.readout &&= s.readout >> 1; // its epoch
		}
	}
	/** Why this cost, reached by this run's steps, means the run diverged (or null). */
	function judge(cost) {
		const s = pg.s;
		s.rising = cost > s.last ? s.rising + 1 : 0;
		s.last = cost;
		if (!Number.isFinite(cost)) return "nan";
		if (cost >= DIVERGED && cost >= FACTOR * s.base) return "reached";
		return s.rising >= GROWTH ? "risen" : null;
	}
	function diverged(why, cost) {
		const s = pg.s;
		const [from, lr, start] = [costText(s.base), String(s.lr), String(s.origin.lr)];
		const vars = { epoch: count(s.epoch), from, cost: costText(cost), n: count(GROWTH), lr, start };
		stop(`${say(why, vars)} ${say(s.origin.lr < s.lr ? "advice" : "advice-same", vars)}`);
		return false;
	}
	const finite = (p) => nn.flat(p).every(Number.isFinite);
	return {
		/** Up to n epochs, or until `until`; false once the run stopped. */
		train(n, until = Infinity) {
			const s = pg.s;
			const o = pg.opt();
			for (let k = 0; k < n; k++) {
				if (s.toEpoch && s.epoch >= s.stopAt) return (stop(), false);
				if ((k & 63) === 0 && performance.now() > until) break;
				const e = nn.epoch(s.params, pg.xs, s.ys, o, s.memory);
				const why = s.epoch > s.began ? judge(e.cost) : null; // once this run has stepped
				if (why || !finite(e.params)) return diverged(why ?? "nan", e.cost);
				record(e.cost, s.params);
				Object.assign(s, { params: e.params, memory: e.memory, epoch: s.epoch + 1 });
			}
			if (s.toEpoch && s.epoch >= s.stopAt) return (stop(), false);
			return true;
		},
		/** Apply a walked epoch's step, unless it overflows. */
		commit(v) {
			const s = pg.s;
			const next = v.next.params;
			if (!finite(next) || !Number.isFinite(nn.cost(next, pg.xs, s.ys)))
				return diverged("nan", v.cost);
			record(v.cost, v.params);
			Object.assign(s, { params: v.next.params, memory: v.next.memory, epoch: s.epoch + 1 });
			return true;
		},
	};
}

/** A run's clock: per display frame, the epochs the speed allows; with reduced motion, a jump
 * every half second (1 epoch/s: one a second). */
function clock(pg, train) {
	const reduced = matchMedia("(prefers-reduced-motion: reduce)");
	let timer = 0;
	function go() {
		let [last, due, drawing] = [performance.now(), 0, 4]; // drawing: ms a draw takes, averaged
		const tick = (now) => {
			const rate = SPEEDS[pg.s.speed];
			const every = reduced.matches && Math.max(CHUNK_MS, 1000 / rate);
			if (every && now - last < every) return (timer = requestAnimationFrame(tick));
			if (rate === Infinity)
				train(Infinity, performance.now() + (every ? 50 : Math.max(2, FRAME_MS - drawing)));
			else {
				due += every ? (rate * every) / 1000 : (rate * Math.min(now - last, 100)) / 1000;
				train(Math.floor(due));
				due -= Math.floor(due);
			}
			last = now;
			const t = performance.now();
			pg.draw();
			drawing = 0.8 * drawing + 0.2 * (performance.now() - t);
			if (pg.s.running) timer = requestAnimationFrame(tick);
		};
		timer = requestAnimationFrame(tick);
	}
	return { go, halt: () => cancelAnimationFrame(timer) };
}

export function trainer(pg) {
	let finished = null; // runTo's promise, resolved when the run stops
	const { train, commit } = epochs(pg, stop);
	const { go, halt } = clock(pg, train);
	function start(toEpoch) {
		const s = pg.s;
		stop();
		if (toEpoch && s.epoch >= s.stopAt) return stop(say("already", { epoch: count(s.epoch) }));
		const base = nn.cost(s.params, pg.xs, s.ys);
		Object.assign(s, { running: true, toEpoch, phase: 0, walk: null, message: "" });
		Object.assign(s, { base, last: base, rising: 0, began: s.epoch });
		pg.out("status").ariaLive = "off"; // no announcement per frame
		go();
	}
	function stop(message = "") {
		const s = pg.s;
		if (s.running) {
			s.running = false;
			halt();
			pg.out("status").ariaLive = "polite";
			pg.share();
		}
		s.message = message;
		pg.requestDraw();
		finished?.();
		finished = null;
	}
	function walk() {
		const v = pg.compute(pg.s.params);
		v.next = nn.step(pg.s.params, v.avg, pg.opt(), pg.s.memory);
		return v;
	}
	function phase() {
		const s = pg.s;
		stop();
		if (s.phase % 5 === 0) s.walk = walk();
		s.phase = (s.phase % 5) + 1;
		if (s.phase === 5 && !commit(s.walk)) return pg.changed();
		pg.requestDraw();
		if (s.phase === 5) pg.share();
	}
	/** Run to epoch n, flat out; resolves when the run stops. */
	function runTo(n) {
		Object.assign(pg.s, { stopAt: n, speed: SPEEDS.length - 1 });
		return new Promise((resolve) => {
			start(true);
			if (pg.s.running) finished = resolve;
			else resolve();
		});
	}
	const step = () => (stop(), commit(walk()), pg.changed());
	return { start, stop, step, phase, runTo };
}

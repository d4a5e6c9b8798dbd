// "Predict, then run" (snippets/book/playground.py writes the groups): each run sets the
// playground up, runs it and computes its answer; questions.js's predict() compares.
import { predict } from "../questions.js";
import { count, cost as costText, fmt } from "./format.js";
import { fill, say } from "./fields.js";
import * as nn from "./nn.js";

const costNow = (pg) => nn.cost(pg.s.params, pg.xs, pg.s.ys);

function setUp(pg, lr) {
	const optimiser = Object.keys(pg.config.optimisers)[0];
	pg.restart({ start: "lesson", ys: pg.config.y, lr, optimiser });
	pg.note(say("predict", { lr: String(lr) }));
	return costNow(pg);
}

/** Each run's {answer, vars} (vars fill its why). */
const RUNS = {
	async past(pg, o) {
		const start = setUp(pg, o.lr);
		await pg.runTo(o.epochs);
		const middle = costNow(pg);
		await pg.runTo(2 * o.epochs);
		const [first, second] = [start - middle, middle - costNow(pg)];
		const answer = second < 0 ? "rise" : second < first / 2 ? "slow" : "steep";
		return { answer, vars: { first: costText(first), second: costText(second) } };
	},
	async largest(pg, o) {
		setUp(pg, o.lr);
		pg.s.point = o.point;
		for (let k = 0; k < 3; k++) pg.phase();
		const g = pg.s.walk.back.grads;
		const i = o.point;
		const values = { w1: g.w1[i][0], b1: g.b1[i][0], w2: g.w2[i][0], b2: g.b2[i] };
		const size = (k) => Math.abs(values[k]);
		const answer = Object.keys(values).reduce((a, b) => (size(b) > size(a) ? b : a));
		const vars = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fmt(v)]));
		return { answer, vars };
	},
	async smaller(pg, o) {
		setUp(pg, o.lr);
		await pg.runTo(o.epochs);
		const big = costNow(pg);
		setUp(pg, o.small);
		await pg.runTo(o.epochs);
		const small = costNow(pg);
		const answer =
			Math.abs(small - big) <= o.same * big ? "same" : small < big ? "lower" : "higher";
		return { answer, vars: { small: costText(small), big: costText(big) } };
	},
	async larger(pg, o) {
		const start = setUp(pg, o.lr);
		await pg.runTo(o.epochs);
		const { message, epoch } = pg.s;
		const stopped = message.slice(0, message.indexOf(". ") + 1);
		const [end, begin] = [costText(costNow(pg)), costText(start)];
		const vars = { stopped, epoch: count(epoch), cost: end, start: begin };
		return { answer: epoch < o.epochs ? "grow" : "settle", vars };
	},
};

export function challenges(pg) {
	let queue = Promise.resolve(); // one run at a time: each sets the playground up afresh
	for (const group of document.querySelectorAll("fieldset.predict[data-predict]")) {
		const settings = JSON.parse(group.dataset.settings);
		const why = JSON.parse(group.dataset.why);
		predict(group, () => {
			const run = async () => {
				const { answer, vars } = await RUNS[group.dataset.predict](pg, settings);
				return { answer, why: fill(why[answer] ?? why["*"], vars) };
			};
			queue = queue.then(run, run);
			return queue;
		});
	}
}

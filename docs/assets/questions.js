// Questions on the pages, one component for two kinds (snippets/book/questions.py writes them):
// - "Check yourself": a value the reader works out by hand and types. The page carries the
//   accepted answers and the values common slips give, computed at build time; this says
//   "Right" or "Not quite" and which slip it looks like. No server, no network.
// - "Predict": a choice made before the playground runs; predict() compares it with what the
//   run then shows (the playground supplies the run).
// Feedback is words and a sign (✓, ✗), never colour alone, in a polite live region.

/** A typed number, with a decimal point or a decimal comma, and any minus sign: 0,05 → 0.05. */
export function readNumber(text) {
  const t = String(text)
    .trim()
    .replace(/\s/g, "")
    .replace(/[\u2212\u2013]/g, "-")
    .replace(",", ".");
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : NaN;
}

const within = (v, [lo, hi]) => lo <= v && v <= hi;

/** What to say about answer `v` to a question whose data is `q` ({accept, slips}). */
export function verdict(v, q) {
  if (Number.isNaN(v)) return { right: false, says: "✗ Not quite: type a number, such as 0.25." };
  if (q.accept.some((w) => within(v, w))) return { right: true, says: "✓ Right." };
  const slip = q.slips.find(([lo, hi]) => within(v, [lo, hi]));
  const hint = slip ? slip[2] : "Open the worked solution to see where it differs.";
  return { right: false, says: `✗ Not quite. ${hint}` };
}

function typed(el) {
  const q = JSON.parse(el.dataset.question);
  const [input, button, status] = ["input", "button", "[role=status]"].map((s) =>
    el.querySelector(s),
  );
  const check = () => {
    const { right, says } = verdict(readNumber(input.value), q);
    status.textContent = says;
    el.dataset.state = right ? "right" : "wrong";
    input.setAttribute("aria-invalid", String(!right));
  };
  button.addEventListener("click", check);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      check();
    }
  });
}

/**
 * A "Predict" group: radio choices, a "Run and compare" button and a status. `run()` does what
 * the question is about and resolves to {answer, why}: the value of the right choice, and one
 * sentence of why.
 */
export function predict(group, run) {
  const [button, status] = [group.querySelector("button"), group.querySelector("[role=status]")];
  let busy = false; // a run under way: further presses wait (the button keeps its focus)
  button.addEventListener("click", async () => {
    const chosen = group.querySelector("input[type=radio]:checked");
    if (busy) return;
    if (!chosen) {
      status.textContent = "Choose an answer first, then run.";
      return;
    }
    busy = true;
    button.setAttribute("aria-disabled", "true");
    status.textContent = "Running…";
    try {
      const { answer, why } = await run();
      const right = chosen.value === answer;
      const label =
        group.querySelector(`input[value="${answer}"]`)?.labels?.[0]?.textContent ?? answer;
      status.textContent = right
        ? `✓ Right: ${why}`
        : `✗ Not quite: it is “${label.trim()}”. ${why}`;
      group.dataset.state = right ? "right" : "wrong";
    } catch (error) {
      status.textContent = `The run could not finish (${error.message}); try again.`;
    } finally {
      busy = false;
      button.removeAttribute("aria-disabled");
    }
  });
}

function init() {
  for (const el of document.querySelectorAll(".question[data-question]:not([data-ready])")) {
    el.dataset.ready = "1";
    typed(el);
  }
}
if (window.document$) window.document$.subscribe(init);
else if (document.readyState === "loading") addEventListener("DOMContentLoaded", init);
else init();

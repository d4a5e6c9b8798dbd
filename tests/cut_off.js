// What a phone cuts off (tests/test_pages.py): every element of the article that reaches past
// the screen's edge must be inside a box that scrolls sideways, can be reached by keyboard
// (tabindex 0) and shows a cue that it does (site.js's scroll-cue classes). Anything else past
// the edge is cut off. MathML for screen readers is hidden on purpose and left out.
() => {
  const W = document.documentElement.clientWidth;
  const name = (e) => {
    const classes = typeof e.className === "string" ? e.className.trim().split(/\s+/) : [];
    return e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "") + classes.slice(0, 2).map((c) => `.${c}`).join("");
  };
  const scrolls = (box, s) => ["auto", "scroll"].includes(s.overflowX) && box.scrollWidth > box.clientWidth + 1;
  const cued = (box) => box.classList.contains("scroll-cue-right") || box.classList.contains("scroll-cue-left");
  const bad = new Set();
  for (const el of (document.querySelector("article") || document.body).querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || el.closest(".katex-mathml")) continue;
    if (r.right <= W + 1 && r.left >= -1) continue;
    let box = el.parentElement;
    let settled = false;
    while (box && box !== document.documentElement) {
      const s = getComputedStyle(box);
      const b = box.getBoundingClientRect();
      if (!(r.left >= b.left - 1 && r.right <= b.right + 1) && s.overflowX !== "visible") {
        if (!scrolls(box, s)) bad.add(`${name(el)}: cut off by ${name(box)}`);
        else if (box.getAttribute("tabindex") !== "0" || !cued(box)) bad.add(`${name(box)}: no cue`);
        settled = true;
        break;
      }
      box = box.parentElement;
    }
    if (!settled) bad.add(`${name(el)}: off the screen`);
  }
  return [...bad];
}

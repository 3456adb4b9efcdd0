// The timeline: events per day or week from /api/stats/timeline, stacked by
// quad class or factuality, in SVG. Dragging across the bars (or, with the
// chart focused, the arrow keys; Shift extends) selects a period: the event
// list below then shows the events in it (since/until), and a link opens the
// same selection in the event list page.

import { FACTUALITIES, QUADS, api, el, factualityName, filterParams, quadName, replaceChildren, showError, slug, svg, t } from "./common.js";
import { renderEventList } from "./eventlist.js";

const DAY = 86400000;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 12, bottom: 36, left: 40 };

const chartBox = document.getElementById("timeline");
const legendBox = document.getElementById("timeline-legend");
const selectionText = document.getElementById("timeline-selection");
const clearButton = document.getElementById("timeline-clear");
const openLink = document.getElementById("timeline-open");
const listBox = document.getElementById("event-list");
const undatedNote = document.getElementById("timeline-undated");

const state = { by: "quad", interval: "day", buckets: [], selection: null, anchor: null };
let redrawBrush = () => {}; // set by draw(): shows state.selection on the current chart

function toDay(text) {
  const [y, m, d] = text.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Every day or week from the first bucket to the last, with zero counts where there were no events. */
function filled(buckets) {
  if (!buckets.length) return [];
  const step = state.interval === "week" ? 7 * DAY : DAY;
  const byDate = new Map(buckets.map((b) => [b.date, b.counts || {}]));
  const first = toDay(buckets[0].date);
  const last = toDay(buckets[buckets.length - 1].date);
  const out = [];
  for (let day = first; day <= last && out.length < 3000; day += step) {
    const date = isoDay(day);
    out.push({ date, counts: byDate.get(date) || {} });
  }
  return out;
}

function categories() {
  return state.by === "quad" ? QUADS : FACTUALITIES;
}

function categoryClass(name) {
  return state.by === "quad" ? slug("quad", name) : slug("fact", name);
}

function categoryName(name) {
  return state.by === "quad" ? quadName(name) : factualityName(name);
}

function bucketEnd(date) {
  return state.interval === "week" ? isoDay(toDay(date) + 6 * DAY) : date;
}

function total(counts) {
  return Object.values(counts).reduce((s, n) => s + n, 0);
}

function draw() {
  const buckets = state.buckets;
  if (!buckets.length) {
    replaceChildren(chartBox, el("p", { class: "empty" }, t("timeline_empty")));
    return;
  }
  const width = Math.max(320, Math.round(chartBox.getBoundingClientRect().width) || 800);
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(1, ...buckets.map((b) => total(b.counts)));
  const slot = innerW / buckets.length;
  const barW = Math.max(1, slot * 0.8);
  const chart = svg("svg", {
    class: "timeline-svg",
    viewBox: `0 0 ${width} ${HEIGHT}`,
    width: String(width),
    height: String(HEIGHT),
    tabindex: "0",
    role: "img",
    "aria-label": t("timeline_title"),
    "aria-describedby": "timeline-help",
  });
  const plot = svg("g", { transform: `translate(${MARGIN.left} ${MARGIN.top})` });
  chart.append(plot);
  // Axes: the largest count, and about eight date labels.
  plot.append(
    svg("line", { class: "axis", x1: "0", y1: String(innerH), x2: String(innerW), y2: String(innerH) }),
    svg("text", { class: "tick", x: "-6", y: "4", "text-anchor": "end" }, String(max)),
    svg("text", { class: "tick", x: "-6", y: String(innerH), "text-anchor": "end" }, "0"),
  );
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((bucket, i) => {
    const x = i * slot + (slot - barW) / 2;
    let y = innerH;
    const sum = total(bucket.counts);
    const bar = svg("g", { class: "bar", dataset: { date: bucket.date, count: String(sum) } });
    for (const name of categories()) {
      const n = bucket.counts[name] || 0;
      if (!n) continue;
      const h = (n / max) * innerH;
      y -= h;
      bar.append(svg("rect", { class: categoryClass(name), x: x.toFixed(2), y: y.toFixed(2), width: barW.toFixed(2), height: h.toFixed(2) }));
    }
    const others = sum - categories().reduce((s, name) => s + (bucket.counts[name] || 0), 0);
    if (others > 0) {
      const h = (others / max) * innerH;
      y -= h;
      bar.append(svg("rect", { class: "other", x: x.toFixed(2), y: y.toFixed(2), width: barW.toFixed(2), height: h.toFixed(2) }));
    }
    bar.append(svg("title", {}, t("timeline_bar", { date: bucket.date, count: sum })));
    plot.append(bar);
    if (i % every === 0) {
      plot.append(svg("text", { class: "tick", x: (i * slot + slot / 2).toFixed(1), y: String(innerH + 16), "text-anchor": "middle" }, bucket.date.slice(5)));
    }
  });
  plot.append(svg("text", { class: "tick", x: "0", y: String(innerH + 32) }, buckets[0].date.slice(0, 4)));
  const brush = svg("rect", { class: "brush", x: "0", y: "0", width: "0", height: String(innerH), visibility: "hidden" });
  plot.append(brush);
  // An invisible rectangle over the plot catches the drag.
  const catcher = svg("rect", { class: "catcher", x: "0", y: "0", width: String(innerW), height: String(innerH) });
  plot.append(catcher);

  const indexAt = (clientX) => {
    const box = catcher.getBoundingClientRect();
    const ratio = (clientX - box.left) / box.width;
    return Math.min(buckets.length - 1, Math.max(0, Math.floor(ratio * buckets.length)));
  };
  const showBrush = () => {
    if (!state.selection) {
      brush.setAttribute("visibility", "hidden");
      return;
    }
    const [a, b] = state.selection;
    brush.setAttribute("x", (a * slot).toFixed(2));
    brush.setAttribute("width", ((b - a + 1) * slot).toFixed(2));
    brush.setAttribute("visibility", "visible");
  };
  let dragging = null;
  catcher.addEventListener("pointerdown", (e) => {
    dragging = indexAt(e.clientX);
    state.selection = [dragging, dragging];
    state.anchor = dragging;
    catcher.setPointerCapture(e.pointerId);
    showBrush();
  });
  catcher.addEventListener("pointermove", (e) => {
    if (dragging === null) return;
    const i = indexAt(e.clientX);
    state.selection = [Math.min(dragging, i), Math.max(dragging, i)];
    showBrush();
  });
  catcher.addEventListener("pointerup", () => {
    if (dragging === null) return;
    dragging = null;
    applySelection();
  });
  chart.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      clearSelection();
      return;
    }
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    e.preventDefault();
    const step = e.key === "ArrowLeft" ? -1 : 1;
    const last = buckets.length - 1;
    if (!state.selection) {
      // The first key picks the first bar (→) or the last (←).
      const start = step > 0 ? 0 : last;
      state.selection = [start, start];
      state.anchor = start;
    } else if (e.shiftKey) {
      // Widen or narrow: the end away from the anchor moves.
      const [a, b] = state.selection;
      const moving = state.anchor === a ? b : a;
      const next = Math.min(last, Math.max(0, moving + step));
      state.selection = [Math.min(state.anchor, next), Math.max(state.anchor, next)];
    } else {
      const next = Math.min(last, Math.max(0, state.selection[0] + step));
      state.selection = [next, next];
      state.anchor = next;
    }
    showBrush();
    applySelection();
  });
  replaceChildren(chartBox, chart);
  redrawBrush = showBrush;
  showBrush();
}

function drawLegend() {
  const present = new Set(state.buckets.flatMap((b) => Object.keys(b.counts)));
  replaceChildren(
    legendBox,
    el(
      "ul",
      { class: "legend" },
      categories()
        .filter((name) => present.has(name))
        .map((name) => el("li", {}, el("span", { class: `swatch ${categoryClass(name)}`, "aria-hidden": "true" }), categoryName(name))),
    ),
  );
}

function listParams() {
  const params = filterParams();
  if (state.selection) {
    const [a, b] = state.selection;
    params.set("since", state.buckets[a].date);
    params.set("until", bucketEnd(state.buckets[b].date));
  }
  return params;
}

function showList(offset = 0) {
  renderEventList(listBox, listParams(), { offset, onPage: showList });
}

function applySelection() {
  if (!state.selection) return clearSelection();
  const params = listParams();
  selectionText.textContent = t("timeline_selected", { since: params.get("since"), until: params.get("until") });
  selectionText.dataset.since = params.get("since");
  selectionText.dataset.until = params.get("until");
  clearButton.hidden = false;
  openLink.hidden = false;
  openLink.setAttribute("href", `/?${params}`);
  showList();
}

function clearSelection() {
  state.selection = null;
  state.anchor = null;
  selectionText.textContent = "";
  delete selectionText.dataset.since;
  delete selectionText.dataset.until;
  clearButton.hidden = true;
  openLink.hidden = true;
  redrawBrush(); // not the whole chart, which may have the keyboard focus
  showList();
}

async function load() {
  const params = filterParams();
  params.set("interval", state.interval);
  params.set("by", state.by);
  chartBox.setAttribute("aria-busy", "true");
  try {
    const data = await api(`/api/stats/timeline?${params}`);
    state.buckets = filled(data.buckets || []);
    undatedNote.hidden = !data.undated;
    undatedNote.textContent = data.undated ? t("timeline_undated", { count: data.undated }) : "";
  } catch (error) {
    showError(chartBox, error);
    chartBox.removeAttribute("aria-busy");
    return;
  }
  chartBox.removeAttribute("aria-busy");
  state.selection = null;
  state.anchor = null;
  draw();
  drawLegend();
  clearSelection(); // lists every event
}

// ?by=factuality&interval=week choose the chart (for links); the radios change it.
const asked = new URLSearchParams(window.location.search);
for (const input of document.querySelectorAll('input[name="by"], input[name="interval"]')) {
  if (asked.get(input.name) === input.value) {
    input.checked = true;
    state[input.name] = input.value;
  }
  input.addEventListener("change", () => {
    state[input.name] = input.value;
    load();
  });
}
clearButton.addEventListener("click", clearSelection);
window.addEventListener("resize", draw);
load();

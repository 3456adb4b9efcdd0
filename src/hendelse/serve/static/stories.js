// The story list: /api/stories as a table, most recently seen first.

import { api, el, factualityPath, names, quadChip, replaceChildren, showError, t } from "./common.js";

const box = document.getElementById("story-list");
const PAGE_SIZE = 50;

function row(story) {
  const who = names(story.actors).join(", ");
  const whom = names(story.recipients).join(", ");
  return el(
    "tr",
    { class: "story-row" },
    el("td", {}, el("a", { href: `/stories/${encodeURIComponent(story.id)}` }, `${story.type}: ${who}${whom ? ` → ${whom}` : ""}`), el("br"), quadChip(story.quad)),
    el("td", {}, [story.place, story.place_country].filter(Boolean).join(", ") || t("none")),
    el("td", { class: "nowrap" }, story.first_seen || t("none")),
    el("td", { class: "nowrap" }, story.last_seen || t("none")),
    el("td", { class: "num" }, String(story.n_articles ?? "")),
    el("td", {}, names(story.sources).join(", ")),
    el("td", { class: "path" }, factualityPath(story.factuality_path)),
  );
}

async function show(offset) {
  const params = new URLSearchParams();
  const source = new URLSearchParams(window.location.search);
  for (const key of ["type", "actor", "min_articles"]) if (source.get(key)) params.set(key, source.get(key));
  params.set("limit", String(PAGE_SIZE));
  params.set("offset", String(offset));
  let data;
  try {
    data = await api(`/api/stories?${params}`);
  } catch (error) {
    showError(box, error);
    return;
  }
  if (!data.total) {
    replaceChildren(box, el("p", { class: "empty" }, t("stories_none")));
    return;
  }
  const headers = ["col_type", "col_place", "col_first_seen", "col_last_seen", "col_articles", "col_sources", "col_factuality_path"];
  const parts = [
    el("p", { class: "count", id: "stories-total", dataset: { total: String(data.total) } }, t("events_showing", { from: offset + 1, to: offset + data.items.length, total: data.total })),
    el("table", { class: "events" }, el("thead", {}, el("tr", {}, headers.map((k) => el("th", { scope: "col" }, t(k))))), el("tbody", {}, data.items.map(row))),
  ];
  if (data.total > PAGE_SIZE) {
    const prev = el("button", { type: "button", class: "secondary", disabled: offset <= 0 }, t("prev_page"));
    const next = el("button", { type: "button", class: "secondary", disabled: offset + PAGE_SIZE >= data.total }, t("next_page"));
    prev.addEventListener("click", () => show(Math.max(0, offset - PAGE_SIZE)));
    next.addEventListener("click", () => show(offset + PAGE_SIZE));
    parts.push(el("nav", { class: "pager" }, prev, next));
  }
  replaceChildren(box, ...parts);
}

show(0);

// The event table: one page of /api/events for a set of filters, with paging.
// Used by the event list page and under the timeline.

import {
  api,
  el,
  eventDate,
  factualityChip,
  formatNumber,
  quadChip,
  replaceChildren,
  sentenceWithMark,
  showError,
  t,
  typeName,
  whoToWhom,
} from "./common.js";

const PAGE_SIZE = 25;

function row(item) {
  const link = item.links && item.links.page;
  const place = item.place ? [item.place.name, item.place.country].filter(Boolean).join(", ") : t("none");
  const sentence = el(
    "a",
    { href: link, class: "evidence", title: t("open_event") },
    ...sentenceWithMark(item.sentence, item.trigger),
  );
  const article = item.article || {};
  return el(
    "tr",
    { class: "event-row", dataset: { articleId: item.article_id, eventId: item.id, quad: item.quad || "" } },
    el("td", { class: "nowrap" }, eventDate(item)),
    el(
      "td",
      {},
      el("strong", { class: "type", title: typeName(item.type) }, item.type),
      el("br"),
      quadChip(item.quad),
    ),
    el("td", { class: "who" }, whoToWhom(item.actors, item.recipients)),
    el("td", {}, place),
    el(
      "td",
      {},
      factualityChip(item.factuality),
      el("br"),
      el("small", { class: "confidence", title: t("col_confidence") }, `${t("col_confidence")} ${formatNumber(item.confidence)}`),
    ),
    el(
      "td",
      { class: "sentence" },
      sentence,
      el(
        "div",
        { class: "article" },
        el("span", { class: "title" }, article.title || item.article_id),
        el("small", {}, [article.source, article.published].filter(Boolean).join(" · ")),
      ),
    ),
  );
}

function table(items) {
  const headers = ["col_date", "col_type", "col_who", "col_place", "col_factuality", "col_evidence"];
  return el(
    "table",
    { class: "events" },
    el("thead", {}, el("tr", {}, headers.map((key) => el("th", { scope: "col" }, t(key))))),
    el("tbody", {}, items.map(row)),
  );
}

/**
 * Show the events matching params (URLSearchParams of filters) in container.
 * offset: the first item shown; onPage(offset) is called by the paging buttons.
 */
export async function renderEventList(container, params, { offset = 0, onPage } = {}) {
  container.setAttribute("aria-busy", "true");
  const query = new URLSearchParams(params);
  query.set("limit", String(PAGE_SIZE));
  query.set("offset", String(offset));
  let data;
  try {
    data = await api(`/api/events?${query}`);
  } catch (error) {
    showError(container, error);
    container.removeAttribute("aria-busy");
    return null;
  }
  const { total, items } = data;
  const parts = [];
  if (!total) {
    parts.push(el("p", { class: "empty", id: "events-total", dataset: { total: "0" } }, t("events_none")));
  } else {
    parts.push(
      el(
        "p",
        { class: "count", id: "events-total", dataset: { total: String(total) } },
        t("events_showing", { from: offset + 1, to: offset + items.length, total }),
      ),
      table(items),
    );
    if (total > PAGE_SIZE && onPage) {
      const prev = el("button", { type: "button", class: "secondary", disabled: offset <= 0 }, t("prev_page"));
      const next = el("button", { type: "button", class: "secondary", disabled: offset + PAGE_SIZE >= total }, t("next_page"));
      prev.addEventListener("click", () => onPage(Math.max(0, offset - PAGE_SIZE)));
      next.addEventListener("click", () => onPage(offset + PAGE_SIZE));
      parts.push(el("nav", { class: "pager", "aria-label": t("events_title") }, prev, next));
    }
  }
  replaceChildren(container, ...parts);
  container.removeAttribute("aria-busy");
  return data;
}

// The article view: the text with its triggers, entities, places, times and
// attributions highlighted from the record's character offsets, the list of
// its events, and a panel with the selected event's fields, attribution
// chain and the rules that produced it (explain).
//
// Used for stored articles (article-page.js) and pasted ones (paste.js).
// The text is split into segments at every span boundary; each segment is a
// text node inside an element whose classes say what covers it. Nothing is
// ever parsed as HTML.

import {
  el,
  factualityChip,
  formatNumber,
  quadChip,
  replaceChildren,
  safeHref,
  t,
  typeName,
  whoToWhom,
} from "./common.js";

function validSpan(span, length) {
  return (
    span &&
    Number.isInteger(span.start) &&
    Number.isInteger(span.end) &&
    span.start >= 0 &&
    span.end <= length &&
    span.start < span.end
  );
}

/** The spans to highlight: always entities, places, times and triggers; more for the selected event. */
function highlightSpans(record, selected, length) {
  const spans = [];
  const add = (span, classes, extra = {}) => {
    if (validSpan(span, length)) spans.push({ start: span.start, end: span.end, classes, ...extra });
  };
  for (const entity of record.entities || []) {
    for (const mention of entity.mentions || []) {
      add(mention, ["ent", `ent-${String(entity.type || "x").toLowerCase()}`], { title: entity.name });
    }
  }
  for (const place of record.places || []) {
    for (const mention of place.mentions || []) add(mention, ["place"], { title: place.name });
  }
  for (const event of record.events || []) {
    if (event.time) add(event.time.span, ["time"], { title: event.time.value });
    add(event.trigger, ["trigger"], { event: event.id, title: `${event.id} ${event.type}` });
  }
  if (selected) {
    add(selected.sentence, ["in-sentence"]);
    add(selected.trigger, ["sel"]);
    for (const role of selected.actor || []) add(role.span, ["actor"]);
    for (const role of selected.recipient || []) add(role.span, ["recipient"]);
    if (selected.location) add(selected.location.span, ["place", "sel"]);
    if (selected.time) add(selected.time.span, ["time", "sel"]);
    for (const source of selected.attribution || []) {
      add(source.span, ["attribution"]);
      add(source.cue, ["attribution", "cue"]);
    }
  }
  return spans;
}

/** The article text as nodes: plain text, and marks (or links, for triggers) where spans cover it. */
function textNodes(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    const piece = text.slice(start, end);
    const covering = spans.filter((s) => s.start <= start && s.end >= end);
    if (!covering.length) {
      nodes.push(piece);
      continue;
    }
    const classes = new Set();
    const titles = [];
    let eventId = null;
    for (const span of covering) {
      span.classes.forEach((c) => classes.add(c));
      if (span.title && !titles.includes(span.title)) titles.push(span.title);
      if (span.event) eventId = span.event;
    }
    const attrs = { class: [...classes].join(" "), title: titles.join(" · ") || null };
    if (eventId) {
      nodes.push(el("a", { ...attrs, href: `#event-${eventId}`, dataset: { event: eventId } }, piece));
    } else {
      nodes.push(el("mark", attrs, piece));
    }
  }
  return nodes;
}

function legend() {
  const items = [
    ["trigger", "legend_trigger"],
    ["actor", "legend_actor"],
    ["recipient", "legend_recipient"],
    ["place", "legend_place"],
    ["time", "legend_time"],
    ["attribution", "legend_attribution"],
    ["ent", "legend_entity"],
  ];
  return el(
    "ul",
    { class: "legend", "aria-label": t("legend") },
    items.map(([cls, key]) => el("li", {}, el("mark", { class: cls }, t(key)))),
  );
}

function entityLabel(entity, fallback) {
  if (!entity) return fallback || t("entity_unknown");
  const extra = [entity.country, entity.sector, entity.role].filter(Boolean).join(", ");
  return extra ? `${entity.name} (${extra})` : entity.name;
}

function roleList(roles, entities) {
  if (!roles || !roles.length) return t("none");
  return el(
    "ul",
    { class: "plain" },
    roles.map((role) => el("li", {}, entityLabel(entities.get(role.entity), role.span && role.span.text))),
  );
}

function placeLabel(event, places) {
  if (!event.location) return t("none");
  const place = places.get(event.location.place);
  if (!place) return (event.location.span && event.location.span.text) || t("none");
  const where = [place.name, place.admin1, place.country].filter(Boolean).join(", ");
  const coords = typeof place.lat === "number" ? ` · ${place.lat.toFixed(3)}, ${place.lon.toFixed(3)}` : "";
  return `${where} (${place.feature || "?"})${coords}`;
}

function timeLabel(time) {
  if (!time) return t("none");
  const parts = [time.value, time.granularity && `(${time.granularity})`];
  if (time.span && time.span.text) parts.push(`«${time.span.text}»`);
  return parts.filter(Boolean).join(" ");
}

/** The attribution chain: the article, then each source outermost first, then the event. */
function attributionChain(event, entities, article) {
  const steps = [el("li", {}, `${t("attribution_article")}${article.source ? `: ${article.source}` : ""}`)];
  if (!event.attribution || !event.attribution.length) {
    return el(
      "div",
      { class: "chain" },
      el("ol", { class: "chain-steps" }, steps),
      el("p", { class: "muted" }, t("attribution_none")),
    );
  }
  for (const source of event.attribution) {
    const who = entityLabel(entities.get(source.entity), source.span && source.span.text);
    const cue = source.cue && source.cue.text ? ` — «${source.cue.text}»` : "";
    steps.push(el("li", { class: "source" }, `${t("attribution_via")} ${who}${cue}`));
  }
  steps.push(el("li", { class: "target" }, `${event.type}: «${(event.trigger && event.trigger.text) || ""}»`));
  return el("div", { class: "chain" }, el("ol", { class: "chain-steps" }, steps));
}

/** The explain object as a definition list; values may be text, lists or objects. */
function explainNode(value) {
  if (value === null || value === undefined) return t("none");
  if (Array.isArray(value)) return el("ul", { class: "plain" }, value.map((v) => el("li", {}, explainNode(v))));
  if (typeof value === "object") {
    return el(
      "dl",
      { class: "explain" },
      Object.entries(value).map(([key, v]) => [el("dt", {}, key), el("dd", {}, explainNode(v))]),
    );
  }
  return String(value);
}

function field(key, value) {
  return [el("dt", {}, t(key)), el("dd", {}, value === null || value === undefined || value === "" ? t("none") : value)];
}

function eventPanel(event, record, entities, places) {
  const article = record.article || {};
  const heading = el("h2", { id: "event-panel-heading", tabindex: "-1" }, `${t("event_details")} ${event.id}: ${event.type}`);
  const mentions = (event.mentions || []).map((m) => m.text).filter(Boolean);
  return [
    heading,
    el(
      "dl",
      { class: "fields" },
      field("field_type", `${event.type}${typeName(event.type) ? ` – ${typeName(event.type)}` : ""}`),
      field("field_mode", event.mode),
      field("field_context", (event.context || []).join(", ")),
      field("field_quad", quadChip(event.quad)),
      field("field_cameo", event.cameo),
      field("field_factuality", factualityChip(event.factuality)),
      field("field_confidence", formatNumber(event.confidence)),
      field("field_actor", roleList(event.actor, entities)),
      field("field_recipient", roleList(event.recipient, entities)),
      field("field_place", placeLabel(event, places)),
      field("field_time", timeLabel(event.time)),
      field("field_trigger", event.trigger && event.trigger.text),
      field("field_sentence", event.sentence && event.sentence.text),
      mentions.length ? field("field_mentions", el("ul", { class: "plain" }, mentions.map((m) => el("li", {}, m)))) : null,
    ),
    el("h3", {}, t("attribution_chain")),
    attributionChain(event, entities, article),
    el("h3", {}, t("explain_title")),
    el("div", { class: "explain-box" }, explainNode(event.explain)),
  ];
}

/**
 * Render an article into container. article: {title, published, source, url,
 * text}; record: its hendelse/1 record. The event selected is the one in the
 * location hash (#event-V2); selecting another updates the hash.
 */
export function renderArticle(container, article, record) {
  const text = article.text || "";
  const events = record.events || [];
  const entities = new Map((record.entities || []).map((e) => [e.id, e]));
  const places = new Map((record.places || []).map((p) => [p.id, p]));
  const byId = new Map(events.map((e) => [e.id, e]));

  const textBox = el("div", { class: "article-text", id: "article-text" });
  const panel = el("section", { class: "event-panel", id: "event-panel", "aria-live": "polite", "aria-labelledby": "event-panel-heading" });
  const buttons = events.map((event) =>
    el(
      "li",
      {},
      el(
        "button",
        {
          type: "button",
          class: "event-button",
          id: `event-${event.id}`,
          "aria-pressed": "false",
          dataset: { event: event.id },
        },
        el("strong", {}, `${event.id} ${event.type}`),
        " ",
        quadChip(event.quad),
        " ",
        factualityChip(event.factuality),
        el("br"),
        el("span", { class: "who" }, eventWho(event, entities)),
      ),
    ),
  );

  function select(eventId, { scroll = false } = {}) {
    const event = byId.get(eventId) || null;
    replaceChildren(textBox, ...textNodes(text, highlightSpans(record, event, text.length)));
    for (const item of buttons) {
      const button = item.firstChild;
      button.setAttribute("aria-pressed", String(button.dataset.event === eventId));
    }
    if (event) {
      replaceChildren(panel, ...eventPanel(event, record, entities, places));
      if (scroll) {
        const mark = textBox.querySelector(`[data-event="${CSS.escape(eventId)}"]`);
        if (mark) mark.scrollIntoView({ block: "center" });
      }
    } else {
      replaceChildren(panel, el("p", { class: "muted" }, events.length ? t("select_event") : t("article_no_events")));
    }
  }

  function choose(eventId) {
    if (window.location.hash !== `#event-${eventId}`) {
      window.history.replaceState(null, "", `#event-${eventId}`);
    }
    select(eventId);
  }

  container.addEventListener("click", (e) => {
    const target = e.target.closest("[data-event]");
    if (!target || !container.contains(target)) return;
    e.preventDefault();
    choose(target.dataset.event);
  });
  currentSelect = select;

  const original = safeHref(article.url);
  const meta = [
    article.published ? `${t("published")}: ${article.published}` : null,
    article.source ? `${t("source")}: ${article.source}` : null,
  ].filter(Boolean);
  const warnings = record.warnings || [];
  replaceChildren(
    container,
    el(
      "header",
      { class: "article-header" },
      el("h1", { id: "article-title" }, article.title || t("article_title")),
      el(
        "p",
        { class: "meta" },
        meta.join(" · "),
        original ? [" · ", el("a", { href: original, rel: "noopener noreferrer" }, t("original"))] : null,
      ),
    ),
    el(
      "div",
      { class: "article-columns" },
      el("section", { class: "text-column", "aria-labelledby": "article-title" }, legend(), textBox),
      el(
        "aside",
        { class: "panel-column" },
        el("h2", {}, t("article_events")),
        events.length ? el("ol", { class: "event-buttons" }, buttons) : el("p", { class: "muted" }, t("article_no_events")),
        panel,
        warnings.length
          ? el("details", { class: "warnings" }, el("summary", {}, t("warnings")), el("ul", {}, warnings.map((w) => el("li", {}, typeof w === "string" ? w : JSON.stringify(w)))))
          : null,
      ),
    ),
  );
  select(hashEvent(), { scroll: true });
}

function eventWho(event, entities) {
  const names = (roles) => (roles || []).map((r) => ({ name: (entities.get(r.entity) || {}).name || (r.span && r.span.text) }));
  return whoToWhom(names(event.actor), names(event.recipient));
}

// The hash selects an event in the article shown last (the paste page may show several in turn).
let currentSelect = null;
window.addEventListener("hashchange", () => {
  if (currentSelect) currentSelect(hashEvent(), { scroll: true });
});

function hashEvent() {
  const match = /^#event-(.+)$/.exec(window.location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

// Shared helpers of the pages: interface text, DOM building, API access.
//
// Everything that comes from the data (article text, names, titles) is put
// into the page with textContent or as attribute values set through the DOM,
// never parsed as HTML, so an article containing markup shows it as text.

const TEXTS = JSON.parse(document.getElementById("ui-texts").textContent);

export const LANG = document.body.dataset.lang || "nb";

export const QUADS = [
  "verbal cooperation",
  "material cooperation",
  "verbal conflict",
  "material conflict",
];
export const FACTUALITIES = [
  "asserted",
  "planned",
  "expected",
  "possible",
  "reported",
  "denied",
  "negated",
  "historical",
];
// Filters the API's event endpoints take; other query parameters are not passed on.
const FILTER_KEYS = [
  "type",
  "quad",
  "factuality",
  "actor",
  "recipient",
  "country",
  "place",
  "near",
  "since",
  "until",
  "source",
  "q",
  "min_confidence",
  "article",
  "story",
];

/** The interface text for key, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  let text = TEXTS[key];
  if (typeof text !== "string") text = key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

export function quadName(quad) {
  return (quad && TEXTS.quad_names[quad]) || quad || t("none");
}

export function factualityName(value) {
  return (value && TEXTS.factuality_names[value]) || value || t("none");
}

export function typeName(code) {
  return (code && TEXTS.type_names[code]) || "";
}

/** A CSS class name for a value: "material conflict" -> "quad-material-conflict". */
export function slug(prefix, value) {
  return `${prefix}-${String(value || "none").toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

/** Only same-site paths and http(s) URLs become links; anything else (javascript:, data:) does not. */
export function safeHref(url) {
  if (typeof url !== "string" || !url) return null;
  if (url.startsWith("/") && !url.startsWith("//")) return url;
  try {
    const parsed = new URL(url, window.location.origin);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * An HTML element. attrs: "class", "text" (textContent), "dataset" (object),
 * "on" (object of event listeners), "href" (checked with safeHref), anything
 * else as an attribute (null/false skipped). Children: nodes or strings (text).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element, with attributes as for el(). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

function applyAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.setAttribute("class", value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "on") for (const [name, fn] of Object.entries(value)) node.addEventListener(name, fn);
    else if (key === "href") {
      const href = safeHref(value);
      if (href) node.setAttribute("href", href);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Remove a node's children and add new ones. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** GET (or POST with a JSON body) an API URL; errors carry the API's message. */
export async function api(url, { body, signal } = {}) {
  const options = { headers: { Accept: "application/json" }, signal };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(url, options);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = (data && (data.message || data.detail)) || response.statusText;
    const error = new Error(typeof message === "string" ? message : JSON.stringify(message));
    error.status = response.status;
    throw error;
  }
  return data;
}

/** The event filters of a query string (the page's, by default), for the API. */
export function filterParams(search = window.location.search) {
  const source = new URLSearchParams(search);
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    for (const value of source.getAll(key)) if (value.trim()) params.append(key, value.trim());
  }
  return params;
}

/** A message in place of content that could not be loaded. */
export function showError(container, error) {
  const text = error && error.status === 404 ? t("not_found") : t("error_loading");
  replaceChildren(container, el("p", { class: "error", role: "alert" }, `${text} ${error.message || error}`));
}

/** A coloured label for a quad class. */
export function quadChip(quad) {
  return el("span", { class: `chip ${slug("quad", quad)}` }, quadName(quad));
}

/** A label for a factuality value. */
export function factualityChip(value) {
  return el("span", { class: `chip ${slug("fact", value)}` }, factualityName(value));
}

/** "Støre, Zelenskyj → Ukraina" from API actor and recipient lists. */
export function whoToWhom(actors, recipients) {
  const names = (list) => (list || []).map((p) => p.name || (p.span && p.span.text) || "?").join(", ");
  const who = names(actors);
  const whom = names(recipients);
  if (who && whom) return `${who} → ${whom}`;
  return who || (whom ? `→ ${whom}` : t("none"));
}

/** The date an event is shown with: its day, else the range of days it can lie in. */
export function eventDate(item) {
  if (item.date) return item.date;
  const range = item.date_range || {};
  if (range.first && range.last) return range.first === range.last ? range.first : `${range.first} – ${range.last}`;
  return (item.article && item.article.published) || t("none");
}

/** A sentence as nodes with the span [start, end) (absolute offsets) emphasised. */
export function sentenceWithMark(sentence, mark) {
  if (!sentence || !sentence.text) return [];
  const text = sentence.text;
  if (!mark || mark.start == null || mark.start < sentence.start || mark.end > sentence.end) return [text];
  const a = mark.start - sentence.start;
  const b = mark.end - sentence.start;
  return [text.slice(0, a), el("mark", { class: "trigger" }, text.slice(a, b)), text.slice(b)];
}

export function formatNumber(value, digits = 2) {
  return typeof value === "number" ? value.toFixed(digits) : t("none");
}

/** Names from a list of strings or of objects with a name. */
export function names(list) {
  return (list || []).map((x) => (typeof x === "string" ? x : x && (x.name || x.label || x.id))).filter(Boolean);
}

/** "planlagt → fastslått" from a list of factuality values. */
export function factualityPath(path) {
  return (path || []).map(factualityName).join(" → ");
}

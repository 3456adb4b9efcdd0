// The actor network from /api/network: who acts on whom. Each connected
// group of actors is laid out on its own by a small force layout of our own
// (repulsion between all nodes, springs along edges, a weak pull to the
// middle, cooling), started from a circle with a fixed seed so the same data
// always gives the same picture; the groups are packed in rows, biggest first. Edge width grows with the
// number of events, colour is the edge's dominant quad class. Every node is
// a link to the event list filtered by that actor (or recipient).

import { QUADS, api, el, filterParams, quadChip, quadName, replaceChildren, showError, slug, svg, t } from "./common.js";

const WIDTH = 960;
const LABEL_ROOM = 150; // space right of each component for the labels
const MAX_NODES = 120;
const EDGE_LIMIT = 300; // the heaviest actor → recipient pairs asked of the API
const ITERATIONS = 300;

const box = document.getElementById("network");
const tableBox = document.getElementById("network-table");
const legendBox = document.getElementById("network-legend");

/** A small seeded pseudo-random generator (mulberry32), for a deterministic start. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Force layout of one connected component in a square of side `size`, centred on (size/2, size/2). */
function layoutComponent(nodes, links, size, rand) {
  const n = nodes.length;
  if (n === 1) {
    nodes[0].x = size / 2;
    nodes[0].y = size / 2;
    return;
  }
  const k = size / Math.sqrt(n); // the ideal edge length
  nodes.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / n;
    node.x = size / 2 + (size / 3) * Math.cos(angle) + rand() * 2;
    node.y = size / 2 + (size / 3) * Math.sin(angle) + rand() * 2;
  });
  let temperature = size / 6;
  for (let step = 0; step < ITERATIONS; step += 1) {
    const dx = new Float64Array(n);
    const dy = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        let x = nodes[i].x - nodes[j].x;
        let y = nodes[i].y - nodes[j].y;
        let d = Math.hypot(x, y);
        if (d < 0.01) {
          x = rand() - 0.5;
          y = rand() - 0.5;
          d = 0.01;
        }
        const force = (k * k) / d;
        dx[i] += (x / d) * force;
        dy[i] += (y / d) * force;
        dx[j] -= (x / d) * force;
        dy[j] -= (y / d) * force;
      }
    }
    for (const [a, b, weight] of links) {
      const x = nodes[a].x - nodes[b].x;
      const y = nodes[a].y - nodes[b].y;
      const d = Math.max(0.01, Math.hypot(x, y));
      const force = ((d * d) / k) * Math.min(2, 0.6 + 0.2 * Math.log1p(weight));
      dx[a] -= (x / d) * force;
      dy[a] -= (y / d) * force;
      dx[b] += (x / d) * force;
      dy[b] += (y / d) * force;
    }
    for (let i = 0; i < n; i += 1) {
      dx[i] += (size / 2 - nodes[i].x) * 0.05; // a weak pull to the middle
      dy[i] += (size / 2 - nodes[i].y) * 0.05;
      const d = Math.max(0.01, Math.hypot(dx[i], dy[i]));
      nodes[i].x += (dx[i] / d) * Math.min(d, temperature);
      nodes[i].y += (dy[i] / d) * Math.min(d, temperature);
    }
    temperature *= 0.985;
  }
  // Labels run to the right of their nodes, so a wide result is turned on its side.
  let xs = nodes.map((node) => node.x);
  let ys = nodes.map((node) => node.y);
  if (Math.max(...xs) - Math.min(...xs) > Math.max(...ys) - Math.min(...ys)) {
    for (const node of nodes) [node.x, node.y] = [node.y, node.x];
    [xs, ys] = [ys, xs];
  }
  // Fit the result into the square, leaving room for the node circles.
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const scale = Math.min((size - 40) / Math.max(1, maxX - minX), (size - 40) / Math.max(1, maxY - minY), 2);
  for (const node of nodes) {
    node.x = size / 2 + (node.x - (minX + maxX) / 2) * scale;
    node.y = size / 2 + (node.y - (minY + maxY) / 2) * scale;
  }
}

/**
 * Lay out every connected component on its own, biggest first, and pack them in
 * rows (a component of n actors gets a square of about 90·√n pixels, plus room
 * for labels on the right). Sets node.x/node.y; returns the drawing's height.
 */
function layout(nodes, edges) {
  const rand = random(20240307);
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const parent = nodes.map((_, i) => i);
  const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const links = edges.map((e) => [index.get(e.source), index.get(e.target), e.weight]).filter(([a, b]) => a !== undefined && b !== undefined && a !== b);
  for (const [a, b] of links) parent[find(a)] = find(b);
  const groups = new Map();
  nodes.forEach((_, i) => {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root).push(i);
  });
  const components = [...groups.values()].sort((a, b) => b.length - a.length || String(nodes[a[0]].id).localeCompare(String(nodes[b[0]].id)));
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const members of components) {
    const size = Math.min(WIDTH - LABEL_ROOM, Math.max(110, 90 * Math.sqrt(members.length)));
    const local = new Map(members.map((i, j) => [i, j]));
    const part = members.map((i) => nodes[i]);
    const partLinks = links.filter(([a]) => local.has(a)).map(([a, b, w]) => [local.get(a), local.get(b), w]);
    layoutComponent(part, partLinks, size, rand);
    if (x > 0 && x + size + LABEL_ROOM > WIDTH) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    for (const node of part) {
      node.x += x;
      node.y += y;
    }
    x += size + LABEL_ROOM;
    rowHeight = Math.max(rowHeight, size);
  }
  return Math.max(200, y + rowHeight);
}

// Sizes grow with the square root of the count, relative to the largest shown,
// so a store of 100 events and one of 100,000 give drawings of the same scale.
let maxEvents = 1;
let maxWeight = 1;

function radius(node) {
  return 6 + 14 * Math.sqrt((node.events || 1) / maxEvents);
}

function strokeWidth(weight) {
  return 1.5 + 8 * Math.sqrt(weight / maxWeight);
}

/** The event list of a node: its events as actor, or as recipient when it never acts. */
function nodeLink(node, acting) {
  const role = acting.has(node.id) ? "actor" : "recipient";
  return `/?${new URLSearchParams({ [role]: `name:${node.label}` })}`;
}

function draw(nodes, edges, height) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const defs = svg(
    "defs",
    {},
    QUADS.map((quad) =>
      svg(
        "marker",
        { id: `arrow-${slug("quad", quad)}`, viewBox: "0 0 10 10", refX: "9", refY: "5", markerUnits: "userSpaceOnUse", markerWidth: "11", markerHeight: "11", orient: "auto-start-reverse", class: slug("quad", quad) },
        svg("path", { d: "M0 0L10 5L0 10z" }),
      ),
    ),
  );
  const edgeGroup = svg("g", { class: "edges" });
  for (const edge of edges) {
    const a = byId.get(edge.source);
    const b = byId.get(edge.target);
    if (!a || !b || a === b) continue;
    const d = Math.max(0.01, Math.hypot(b.x - a.x, b.y - a.y));
    const ux = (b.x - a.x) / d;
    const uy = (b.y - a.y) / d;
    const label = t("network_edge", { source: a.label, target: b.label, count: edge.weight });
    edgeGroup.append(
      svg(
        "line",
        {
          class: `edge ${slug("quad", edge.quad)}`,
          x1: (a.x + ux * radius(a)).toFixed(1),
          y1: (a.y + uy * radius(a)).toFixed(1),
          x2: (b.x - ux * (radius(b) + 2)).toFixed(1),
          y2: (b.y - uy * (radius(b) + 2)).toFixed(1),
          "stroke-width": strokeWidth(edge.weight).toFixed(1),
          "marker-end": `url(#arrow-${slug("quad", edge.quad)})`,
          dataset: { source: edge.source, target: edge.target, weight: String(edge.weight) },
        },
        svg("title", {}, label),
      ),
    );
  }
  const acting = new Set(edges.map((edge) => edge.source));
  const nodeGroup = svg("g", { class: "nodes" });
  for (const node of nodes) {
    const label = t("network_node", { label: node.label, count: node.events });
    const right = node.x < WIDTH - LABEL_ROOM;
    nodeGroup.append(
      svg(
        "a",
        { href: nodeLink(node, acting), class: "node", "aria-label": label, dataset: { id: node.id } },
        svg("circle", { cx: node.x.toFixed(1), cy: node.y.toFixed(1), r: radius(node).toFixed(1) }),
        svg(
          "text",
          { x: (node.x + (right ? 1 : -1) * (radius(node) + 4)).toFixed(1), y: (node.y + 4).toFixed(1), "text-anchor": right ? "start" : "end" },
          node.label,
        ),
        svg("title", {}, label),
      ),
    );
  }
  return svg(
    "svg",
    { class: "network-svg", viewBox: `0 0 ${WIDTH} ${height}`, role: "group", "aria-label": t("network_title") },
    defs,
    edgeGroup,
    nodeGroup,
  );
}

function edgeTable(nodes, edges) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const rows = [...edges].sort((a, b) => b.weight - a.weight);
  return el(
    "table",
    { class: "events compact" },
    el("thead", {}, el("tr", {}, ["col_from", "col_to", "col_events", "field_quad"].map((k) => el("th", { scope: "col" }, t(k))))),
    el(
      "tbody",
      {},
      rows.map((edge) => {
        const from = (byId.get(edge.source) || {}).label || edge.source;
        const to = (byId.get(edge.target) || {}).label || edge.target;
        const href = `/?${new URLSearchParams({ actor: `name:${from}`, recipient: `name:${to}` })}`;
        return el(
          "tr",
          {},
          el("td", {}, el("a", { href }, from)),
          el("td", {}, to),
          el("td", { class: "num" }, String(edge.weight)),
          el("td", {}, quadChip(edge.quad)),
        );
      }),
    ),
  );
}

async function start() {
  replaceChildren(legendBox, el("ul", { class: "legend" }, QUADS.map((quad) => el("li", {}, el("span", { class: `swatch ${slug("quad", quad)}`, "aria-hidden": "true" }), quadName(quad)))));
  let data;
  try {
    const params = filterParams();
    params.set("limit", String(EDGE_LIMIT));
    data = await api(`/api/network?${params}`);
  } catch (error) {
    showError(box, error);
    return;
  }
  const edges = (data.edges || []).filter((e) => e.source !== e.target);
  const used = new Set(edges.flatMap((e) => [e.source, e.target]));
  const nodes = (data.nodes || [])
    .filter((node) => used.has(node.id))
    .sort((a, b) => (b.events || 0) - (a.events || 0) || String(a.id).localeCompare(String(b.id)))
    .slice(0, MAX_NODES)
    .map((node) => ({ ...node, label: node.label || String(node.id) }));
  const kept = new Set(nodes.map((node) => node.id));
  const shown = edges.filter((e) => kept.has(e.source) && kept.has(e.target));
  if (!nodes.length) {
    replaceChildren(box, el("p", { class: "empty" }, t("network_empty")));
    replaceChildren(tableBox);
    return;
  }
  nodes.sort((a, b) => String(a.id).localeCompare(String(b.id)));
  maxEvents = Math.max(1, ...nodes.map((node) => node.events || 1));
  maxWeight = Math.max(1, ...shown.map((edge) => edge.weight));
  const height = layout(nodes, shown);
  replaceChildren(box, draw(nodes, shown, height));
  box.dataset.nodes = String(nodes.length);
  box.dataset.edges = String(shown.length);
  replaceChildren(tableBox, edgeTable(nodes, shown));
}

start();

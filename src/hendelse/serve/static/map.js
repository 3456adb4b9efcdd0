// The map: country outlines (Natural Earth, served by this server) and the
// located events of /api/map, drawn in SVG with an equirectangular
// projection. Pan by dragging or with the arrow keys, zoom with the wheel,
// the buttons or +/-. Points closer than CELL pixels on screen are grouped
// into one cluster per grid cell; a cluster zooms in when chosen, or, when
// its events share one spot, opens a popup listing them.

import { LANG, api, el, filterParams, quadName, factualityName, replaceChildren, showError, slug, svg, t } from "./common.js";

const CELL = 44; // cluster grid, in screen pixels
const MIN_SCALE = 1; // pixels per degree
const MAX_SCALE = 400;
const PAN_STEP = 60; // pixels per arrow key
const POPUP_ITEMS = 20; // events listed in a popup; the rest are a link away
// Equirectangular with standard parallel 45°: a degree of longitude is cos(45°) of
// a degree of latitude, so northern Europe is less stretched than in plate carrée.
const KX = Math.cos(Math.PI / 4);

const mapBox = document.getElementById("map");
const popup = document.getElementById("map-popup");
const status = document.getElementById("map-status");
const list = document.getElementById("map-list");

const root = svg("svg", { class: "map-svg", role: "img", "aria-label": t("map_title") });
const world = svg("g", { class: "countries" });
const markers = svg("g", { class: "markers" });
root.append(world, markers);
mapBox.append(root);

const view = { scale: 3, x: 0, y: 0 }; // screen = (lon + 180) * KX * scale + x, (90 - lat) * scale + y
let points = [];
let width = 800;
let height = 480;

function project(lon, lat) {
  return [(lon + 180) * KX * view.scale + view.x, (90 - lat) * view.scale + view.y];
}

function ringPath(ring) {
  return ring.map(([lon, lat], i) => `${i ? "L" : "M"}${((lon + 180) * KX).toFixed(2)} ${(90 - lat).toFixed(2)}`).join("") + "Z";
}

function drawCountries(geojson) {
  const name = LANG === "en" ? "name_en" : "name_nb";
  for (const feature of geojson.features || []) {
    const geometry = feature.geometry || {};
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    const d = polygons.map((polygon) => polygon.map(ringPath).join("")).join("");
    if (!d) continue;
    const props = feature.properties || {};
    world.append(
      svg("path", { d, class: "country", "vector-effect": "non-scaling-stroke", dataset: { iso3: props.iso3 || "" } }, svg("title", { text: props[name] || props.iso3 || "" })),
    );
  }
}

function applyView() {
  world.setAttribute("transform", `translate(${view.x} ${view.y}) scale(${view.scale})`);
  drawMarkers();
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/** Zoom by factor around the screen point (cx, cy). */
function zoom(factor, cx = width / 2, cy = height / 2) {
  const scale = clamp(view.scale * factor, MIN_SCALE, MAX_SCALE);
  const k = scale / view.scale;
  view.x = cx - (cx - view.x) * k;
  view.y = cy - (cy - view.y) * k;
  view.scale = scale;
  closePopup();
  applyView();
}

function pan(dx, dy) {
  view.x += dx;
  view.y += dy;
  applyView();
}

/** Show the box [west, south, east, north] (degrees) in the map. */
function fit(west, south, east, north) {
  const spanX = Math.max(east - west, 2) * KX;
  const spanY = Math.max(north - south, 2);
  view.scale = clamp(Math.min(width / spanX, height / spanY) * 0.85, MIN_SCALE, MAX_SCALE);
  const [cx, cy] = [((west + east) / 2 + 180) * KX, 90 - (south + north) / 2];
  view.x = width / 2 - cx * view.scale;
  view.y = height / 2 - cy * view.scale;
}

function fitWorld() {
  fit(-180, -58, 180, 84);
}

function fitPoints() {
  if (!points.length) return fitWorld();
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  fit(Math.min(...lons) - 4, Math.min(...lats) - 3, Math.max(...lons) + 4, Math.max(...lats) + 3);
}

function clusters() {
  const cells = new Map();
  for (const point of points) {
    const [sx, sy] = project(point.lon, point.lat);
    if (sx < -CELL || sy < -CELL || sx > width + CELL || sy > height + CELL) continue;
    const key = `${Math.floor(sx / CELL)}:${Math.floor(sy / CELL)}`;
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push({ point, sx, sy });
  }
  return [...cells.values()].map((members) => ({
    members: members.map((m) => m.point),
    sx: members.reduce((s, m) => s + m.sx, 0) / members.length,
    sy: members.reduce((s, m) => s + m.sy, 0) / members.length,
  }));
}

function dominantQuad(members) {
  const counts = new Map();
  for (const m of members) counts.set(m.quad, (counts.get(m.quad) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

function drawMarkers() {
  const nodes = [];
  for (const cluster of clusters()) {
    const { members, sx, sy } = cluster;
    const single = members.length === 1;
    const label = single ? members[0].label : t("map_cluster", { count: members.length });
    const radius = single ? 7 : Math.min(24, 10 + 3 * Math.log2(members.length));
    const group = svg(
      "g",
      {
        class: `marker ${single ? "single" : "cluster"} ${slug("quad", dominantQuad(members))}`,
        transform: `translate(${sx.toFixed(1)} ${sy.toFixed(1)})`,
        tabindex: "0",
        role: "button",
        "aria-label": label,
        dataset: { count: String(members.length) },
      },
      svg("circle", { r: radius.toFixed(1) }),
      single ? null : svg("text", { class: "count", "text-anchor": "middle", dy: "0.35em" }, String(members.length)),
      svg("title", {}, label),
    );
    const open = () => chooseCluster(cluster);
    group.addEventListener("click", (e) => {
      e.stopPropagation();
      open();
    });
    group.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        e.stopPropagation();
        open();
      }
    });
    nodes.push(group);
  }
  markers.replaceChildren(...nodes);
}

function sameSpot(members) {
  return members.every((m) => Math.abs(m.lat - members[0].lat) < 1e-4 && Math.abs(m.lon - members[0].lon) < 1e-4);
}

function chooseCluster(cluster) {
  if (cluster.members.length > 1 && !sameSpot(cluster.members) && view.scale < MAX_SCALE) {
    zoom(3, cluster.sx, cluster.sy);
    return;
  }
  openPopup(cluster.members, cluster.sx, cluster.sy);
}

function popupItem(point) {
  return el(
    "li",
    {},
    el("strong", {}, point.label || point.type),
    el("br"),
    el("span", { class: "muted" }, [point.place, quadName(point.quad), factualityName(point.factuality)].filter(Boolean).join(" · ")),
    el("br"),
    el("a", { href: point.url, class: "popup-link" }, t("map_open")),
  );
}

let returnFocus = null;

function openPopup(members, sx, sy) {
  returnFocus = document.activeElement;
  const close = el("button", { type: "button", class: "close", "aria-label": t("map_close") }, "×");
  close.addEventListener("click", closePopup);
  const shown = members.slice(0, POPUP_ITEMS);
  let more = null;
  if (members.length > shown.length) {
    // The rest are in the event list: events within a kilometre of this spot.
    const params = filterParams();
    params.set("near", `${members[0].lat},${members[0].lon},1`);
    more = el("p", {}, el("a", { href: `/?${params}`, class: "popup-more" }, t("map_more")));
  }
  replaceChildren(popup, close, el("ul", { class: "plain popup-list" }, shown.map(popupItem)), more);
  popup.hidden = false;
  const left = clamp(sx + 12, 0, Math.max(0, width - popup.offsetWidth));
  const top = clamp(sy - 10, 0, Math.max(0, height - popup.offsetHeight));
  popup.style.left = `${left}px`;
  popup.style.top = `${top}px`;
  const link = popup.querySelector("a");
  (link || close).focus();
}

function closePopup() {
  if (popup.hidden) return;
  popup.hidden = true;
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  returnFocus = null;
}

function resize() {
  const box = mapBox.getBoundingClientRect();
  width = Math.max(200, Math.round(box.width));
  height = Math.max(200, Math.round(box.height));
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  root.setAttribute("width", String(width));
  root.setAttribute("height", String(height));
}

function listTable() {
  if (!points.length) return el("p", { class: "empty" }, t("events_none"));
  return el(
    "table",
    { class: "events compact" },
    el("thead", {}, el("tr", {}, ["col_who", "col_type", "col_place", "col_factuality"].map((k) => el("th", { scope: "col" }, t(k))))),
    el(
      "tbody",
      {},
      points.map((p) =>
        el(
          "tr",
          {},
          el("td", {}, el("a", { href: p.url }, p.label || p.type)),
          el("td", {}, p.type),
          el("td", {}, p.place || ""),
          el("td", {}, factualityName(p.factuality)),
        ),
      ),
    ),
  );
}

// Interaction: drag to pan, wheel to zoom, keys when the map has focus.
let drag = null;
mapBox.addEventListener("pointerdown", (e) => {
  if (e.target.closest(".marker")) return;
  drag = { x: e.clientX, y: e.clientY, moved: false };
  mapBox.setPointerCapture(e.pointerId);
});
mapBox.addEventListener("pointermove", (e) => {
  if (!drag) return;
  const dx = e.clientX - drag.x;
  const dy = e.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
  drag.x = e.clientX;
  drag.y = e.clientY;
  pan(dx, dy);
});
mapBox.addEventListener("pointerup", () => {
  if (drag && !drag.moved) closePopup();
  drag = null;
});
mapBox.addEventListener(
  "wheel",
  (e) => {
    e.preventDefault();
    const box = mapBox.getBoundingClientRect();
    zoom(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - box.left, e.clientY - box.top);
  },
  { passive: false },
);
mapBox.addEventListener("keydown", (e) => {
  const moves = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
  if (e.target !== mapBox) return;
  if (moves[e.key]) {
    e.preventDefault();
    pan(...moves[e.key]);
  } else if (e.key === "+" || e.key === "=") zoom(1.5);
  else if (e.key === "-") zoom(1 / 1.5);
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") closePopup();
});
document.getElementById("map-zoom-in").addEventListener("click", () => zoom(1.5));
document.getElementById("map-zoom-out").addEventListener("click", () => zoom(1 / 1.5));
document.getElementById("map-reset").addEventListener("click", () => {
  closePopup();
  fitWorld();
  applyView();
});
window.addEventListener("resize", () => {
  resize();
  applyView();
});

async function start() {
  resize();
  fitWorld();
  applyView();
  const [shapes, events] = await Promise.allSettled([api("/map/countries.geojson"), api(`/api/map?${filterParams()}`)]);
  if (shapes.status === "fulfilled") drawCountries(shapes.value);
  if (events.status === "rejected") {
    showError(list, events.reason);
    return;
  }
  points = (events.value.features || [])
    .filter((f) => f.geometry && Array.isArray(f.geometry.coordinates))
    .map((f) => ({ ...f.properties, lon: Number(f.geometry.coordinates[0]), lat: Number(f.geometry.coordinates[1]) }))
    .filter((p) => Number.isFinite(p.lon) && Number.isFinite(p.lat));
  const total = Number(events.value.total ?? points.length);
  status.textContent = total > points.length ? t("map_located_some", { count: points.length, total }) : t("map_located", { count: points.length });
  status.dataset.count = String(points.length);
  replaceChildren(list, listTable());
  fitPoints();
  applyView();
}

start();

// dateline page: map, timeline, table and article view over the JSON API.
// Article text, titles and every other value from the store are untrusted: they are only
// ever set through textContent or attribute setters, never parsed as HTML.
"use strict";

const TYPE_COLOURS = {
  ASSAULT: "#d62728", COERCE: "#ff7f0e", MOBILIZE: "#8c564b", THREATEN: "#e377c2",
  PROTEST: "#bcbd22", SANCTION: "#525252", REQUEST: "#1f77b4", REJECT: "#9467bd",
  ACCUSE: "#b07c6f", CONSULT: "#17becf", AGREE: "#2ca02c", SUPPORT: "#74c476",
  CONCEDE: "#6baed6", COOPERATE: "#3fa8a0", AID: "#31a354", RETREAT: "#969696",
};
const FIELDS = ["trigger", "actor1", "actor2", "location", "date", "fatalities", "injuries",
  "source", "impact", "quote", "place", "dateline", "check"];
const PAGE_SIZE = 25;
const DAY = 86400000;

const state = {
  filters: {}, offset: 0, total: 0, config: null, map: null, markers: new Map(),
  groups: [], doc: null, selected: null, fitted: false,
};

// ---- small DOM helpers -------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  return node;
}

const $ = (id) => document.getElementById(id);

// Scroll the side panel (not the whole page) so that a node is in its middle.
function reveal(node) {
  const panel = $("side-panel");
  const offset = node.getBoundingClientRect().top - panel.getBoundingClientRect().top;
  panel.scrollTo({ top: panel.scrollTop + offset - panel.clientHeight / 2 });
}
const colour = (type) => TYPE_COLOURS[type] || "#444";

function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

function setStatus(message, isError) {
  const line = $("status-line");
  line.textContent = message || "";
  line.className = isError ? "error" : "";
}

// ---- API -----------------------------------------------------------------------------------

function params(extra) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...state.filters, ...(extra || {}) })) {
    if (value !== "" && value !== null && value !== undefined) query.set(name, value);
  }
  return query;
}

async function api(path, query, init) {
  const url = query && [...query].length ? `${path}?${query}` : path;
  const response = await fetch(url, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = Array.isArray(body.detail)
      ? body.detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ")
      : body.detail || response.statusText;
    const error = new Error(detail);
    error.status = response.status;
    throw error;
  }
  return body;
}

// ---- filters -------------------------------------------------------------------------------

const FILTER_INPUTS = { since: "f-since", until: "f-until", event_type: "f-type",
  country: "f-country", status: "f-status", actor: "f-actor", q: "f-q" };

function readFilters() {
  const filters = {};
  for (const [name, id] of Object.entries(FILTER_INPUTS)) filters[name] = $(id).value.trim();
  return filters;
}

function writeFilters() {
  for (const [name, id] of Object.entries(FILTER_INPUTS)) $(id).value = state.filters[name] || "";
}

function fillSelect(select, values, current) {
  const keep = select.value || current || "";
  select.replaceChildren(el("option", { value: "" }, "all"));
  for (const { value, count } of values) {
    select.append(el("option", { value }, `${value} (${count})`));
  }
  select.value = keep;
}

async function loadFacets() {
  const facets = await api("/facets", new URLSearchParams());
  fillSelect($("f-type"), facets.event_type);
  fillSelect($("f-country"), facets.country);
  fillSelect($("f-status"), facets.status);
  const legend = $("legend");
  legend.replaceChildren(...facets.event_type.map(({ value }) =>
    el("span", { class: "legend-item" },
      el("span", { class: "swatch", style: `background:${colour(value)}` }), value)));
}

function applyFilters(filters) {
  state.filters = filters;
  state.offset = 0;
  writeFilters();
  return refresh();
}

// ---- map -----------------------------------------------------------------------------------

function initMap() {
  const map = L.map("map", { worldCopyJump: true, minZoom: 2, zoomSnap: 0.5 });
  map.setView([20, 10], 2);
  map.attributionControl.setPrefix(false);
  map.createPane("basemap").style.zIndex = 250;  // above tiles, below the event markers
  map.getPane("basemap").style.pointerEvents = "none";
  if (state.config.tiles_url) {
    L.tileLayer(state.config.tiles_url, { maxZoom: 18,
      attribution: "tiles: see the provider's terms" }).addTo(map);
  } else {
    map.attributionControl.addAttribution("Natural Earth country outlines");
    fetch("/static/vendor/countries-10m.json")
      .then((r) => r.json())
      .then((world) => {
        const land = topojson.feature(world, world.objects.countries);
        // Canvas: thousands of outline vertices draw faster there than as SVG paths.
        L.geoJSON(land, { interactive: false, pane: "basemap",
          renderer: L.canvas({ pane: "basemap", padding: 0.2 }),
          style: { color: "#8a8f98", weight: 0.8, fillColor: "#eceae4", fillOpacity: 1 } })
          .addTo(map);
        $("map").setAttribute("data-basemap", "1");
      })
      .catch(() => setStatus("The offline basemap is missing: run make web.", true));
  }
  map.on("zoomend", placeMarkers);
  state.map = map;
}

function radius(props) {
  const n = props.fatalities_best ?? props.fatalities_low ?? props.fatalities_high ?? 0;
  return Math.min(30, 6 + 2.5 * Math.sqrt(n));
}

function tooltip(props) {
  return el("div", { class: "tip" },
    el("strong", { text: `${props.event_type}${props.mode ? " / " + props.mode : ""}` }),
    el("div", { text: `${props.date_start}${props.date_end !== props.date_start ? " – " + props.date_end : ""}` }),
    el("div", { text: props.location_name || props.location_text || "" }),
    props.fatalities_low != null ? el("div", { text: `fatalities: ${props.fatalities_text}` }) : null,
    el("div", { class: "tip-title", text: props.document_title || props.doc_id }));
}

function drawMap(collection) {
  for (const marker of state.markers.values()) marker.remove();
  state.markers.clear();
  state.groups = [];
  const byPoint = new Map();
  for (const feature of collection.features) {
    const key = feature.geometry.coordinates.join(",");
    if (!byPoint.has(key)) byPoint.set(key, []);
    byPoint.get(key).push(feature);
  }
  for (const features of byPoint.values()) {
    const [lon, lat] = features[0].geometry.coordinates;
    const group = { latlng: L.latLng(lat, lon), markers: [], leg: null };
    features.forEach((feature) => {
      const props = feature.properties;
      const marker = L.circleMarker(group.latlng, {
        radius: radius(props), color: "#222", weight: 1, fillColor: colour(props.event_type),
        fillOpacity: 0.8, className: `event-marker type-${props.event_type}`,
      });
      marker.bindTooltip(tooltip(props), { direction: "top" });
      marker.on("click", () => openDocument(props.doc_id, props.id));
      marker.addTo(state.map);
      const path = marker.getElement();
      if (path) {
        path.setAttribute("data-event-id", props.id);
        path.setAttribute("data-doc-id", props.doc_id);
      }
      state.markers.set(props.id, marker);
      group.markers.push(marker);
    });
    state.groups.push(group);
  }
  placeMarkers();
  const located = collection.features.length;
  $("map").setAttribute("data-markers", String(located));
  if (located && !state.fitted) {
    const bounds = L.latLngBounds(collection.features.map((f) =>
      [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    state.map.fitBounds(bounds.pad(0.5), { maxZoom: 11, animate: false });
    state.fitted = true;
  }
}

// Events at the same point are fanned out on a small ring (in screen pixels, recomputed on
// zoom) with a leg to the true point, so each can be seen and clicked.
function placeMarkers() {
  if (!state.map) return;
  for (const group of state.groups) {
    if (group.leg) group.leg.remove();
    group.leg = null;
    const n = group.markers.length;
    if (n === 1) { group.markers[0].setLatLng(group.latlng); continue; }
    const centre = state.map.latLngToLayerPoint(group.latlng);
    const ring = 14 + 3 * n;
    const legs = [];
    group.markers.forEach((marker, i) => {
      const angle = (2 * Math.PI * i) / n - Math.PI / 2;
      const point = L.point(centre.x + ring * Math.cos(angle), centre.y + ring * Math.sin(angle));
      const latlng = state.map.layerPointToLatLng(point);
      marker.setLatLng(latlng);
      legs.push([group.latlng, latlng]);
    });
    group.leg = L.layerGroup([
      L.polyline(legs, { color: "#333", weight: 1, opacity: 0.6, interactive: false }),
      L.circleMarker(group.latlng, { radius: 2, color: "#333", interactive: false }),
    ]).addTo(state.map);
    group.markers.forEach((m) => m.bringToFront());
  }
}

function highlightMarker(eventId) {
  for (const [id, marker] of state.markers) {
    const selected = id === eventId;
    marker.setStyle({ weight: selected ? 4 : 1, color: selected ? "#000" : "#222" });
    if (selected) marker.bringToFront();
  }
}

// ---- timeline ------------------------------------------------------------------------------

function isoDay(time) { return new Date(time).toISOString().slice(0, 10); }

// The shortest run of days holding most events (so a few historical dates do not squash the
// news into one bar); events before or after it go into "earlier" and "later" bins.
function window85(rows) {
  const days = new Map();
  for (const row of rows) days.set(Date.parse(row.date), (days.get(Date.parse(row.date)) || 0) + row.count);
  const sorted = [...days.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  const need = Math.ceil(total * 0.85);
  let best = [sorted[0][0], sorted[sorted.length - 1][0]];
  let sum = 0, j = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i][1];
    while (sum - sorted[j][1] >= need) { sum -= sorted[j][1]; j++; }
    if (sum >= need && sorted[i][0] - sorted[j][0] < best[1] - best[0]) best = [sorted[j][0], sorted[i][0]];
  }
  return best;
}

function buckets(rows) {
  if (!rows.length) return { unit: "day", bins: [] };
  const times = rows.map((r) => Date.parse(r.date));
  const [first, last] = window85(rows);
  const days = (last - first) / DAY;
  const unit = days <= 120 ? "day" : days <= 3 * 365 ? "month" : "year";
  const startOf = (t) => {
    const d = new Date(t);
    if (unit === "day") return t;
    if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    return Date.UTC(d.getUTCFullYear(), 0, 1);
  };
  const next = (t) => {
    const d = new Date(t);
    if (unit === "day") return t + DAY;
    if (unit === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  };
  const bins = [];
  const pad = unit === "day" ? Math.max(1, Math.floor((14 - days) / 2)) * DAY : 0;
  for (let t = startOf(first - pad); t <= last + pad; t = next(t)) {
    bins.push({ start: t, end: next(t) - DAY, counts: {}, total: 0 });
  }
  const lowest = Math.min(...times), highest = Math.max(...times);
  if (lowest < bins[0].start) {
    bins.unshift({ start: lowest, end: bins[0].start - DAY, counts: {}, total: 0, label: "earlier" });
  }
  if (highest > bins[bins.length - 1].end) {
    bins.push({ start: bins[bins.length - 1].end + DAY, end: highest, counts: {}, total: 0, label: "later" });
  }
  for (const row of rows) {
    const t = Date.parse(row.date);
    const bin = bins.find((b) => b.start <= t && t <= b.end);
    if (!bin) continue;
    bin.counts[row.event_type] = (bin.counts[row.event_type] || 0) + row.count;
    bin.total += row.count;
  }
  return { unit, bins };
}

function drawTimeline(rows) {
  const chart = $("histogram");
  const width = chart.clientWidth || 800;
  const height = 110;
  const { unit, bins } = buckets(rows);
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.replaceChildren();
  if (!bins.length) {
    const empty = svg("text", { x: 10, y: 60, class: "axis" });
    empty.textContent = "no dated events for these filters";
    chart.append(empty);
    return;
  }
  const max = Math.max(1, ...bins.map((b) => b.total));
  const left = 30, bottom = 20, top = 6;
  const step = (width - left - 6) / bins.length;
  const scale = (n) => ((height - bottom - top) * n) / max;
  const since = state.filters.since ? Date.parse(state.filters.since) : null;
  const until = state.filters.until ? Date.parse(state.filters.until) : null;
  const axis = svg("text", { x: 2, y: top + 10, class: "axis" });
  axis.textContent = String(max);
  chart.append(axis);
  let dragFrom = null;
  bins.forEach((bin, i) => {
    const inside = (since === null || bin.end >= since) && (until === null || bin.start <= until);
    const group = svg("g", { class: `bin${inside ? "" : " outside"}${bin.label ? " overflow" : ""}`,
      "data-start": isoDay(bin.start), "data-end": isoDay(bin.end), "data-count": bin.total });
    const x = left + i * step;
    group.append(svg("rect", { x, y: top, width: Math.max(step, 1), height: height - bottom - top,
      class: "hit" }));
    let y = height - bottom;
    for (const [type, count] of Object.entries(bin.counts).sort()) {
      const h = scale(count);
      y -= h;
      group.append(svg("rect", { x: x + 0.5, y, width: Math.max(step - 1, 1), height: h,
        fill: colour(type) }));
    }
    const title = svg("title");
    const label = unit === "day" && !bin.label ? isoDay(bin.start) : `${bin.label ? bin.label + ": " : ""}${isoDay(bin.start)} – ${isoDay(bin.end)}`;
    title.textContent = `${label}: ${bin.total} events`;
    group.append(title);
    group.addEventListener("mousedown", (event) => { event.preventDefault(); dragFrom = bin; });
    group.addEventListener("mouseup", () => {
      const from = dragFrom || bin;
      dragFrom = null;
      const start = Math.min(from.start, bin.start);
      const end = Math.max(from.end, bin.end);
      applyFilters({ ...state.filters, since: isoDay(start), until: isoDay(end) });
    });
    chart.append(group);
    const every = Math.max(1, Math.ceil(bins.length / 8));
    if (bin.label || i % every === 0) {
      const tick = svg("text", { x, y: height - 5, class: "axis" });
      tick.textContent = bin.label || (unit === "year" ? isoDay(bin.start).slice(0, 4)
        : unit === "month" ? isoDay(bin.start).slice(0, 7) : isoDay(bin.start).slice(5));
      chart.append(tick);
    }
  });
  const f = state.filters;
  $("timeline-label").textContent = f.since || f.until
    ? `showing ${f.since || "…"} to ${f.until || "…"}` : "all dates";
}

// ---- table ---------------------------------------------------------------------------------

function fatalities(event) {
  const f = event.fatalities;
  if (!f) return "";
  const range = f.low === f.high || f.high == null ? `${f.low ?? f.best ?? ""}` : `${f.low}–${f.high}`;
  return `${range}${f.low != null && f.high == null && f.text.match(/over|more than|at least/i) ? "+" : ""}`;
}

function drawTable(page) {
  const body = $("events-table").querySelector("tbody");
  body.replaceChildren(...page.items.map((event) => el("tr", {
    "data-event-id": event.id, class: event.id === state.selected ? "selected" : null,
    onclick: () => openDocument(event.doc_id, event.id),
  },
  el("td", { text: event.date.start === event.date.end ? event.date.start
    : `${event.date.start} – ${event.date.end}` }),
  el("td", {}, el("span", { class: "swatch", style: `background:${colour(event.event_type)}` }),
    `${event.event_type}${event.mode ? " / " + event.mode : ""}`),
  el("td", { text: event.actor1 ? event.actor1.name : "" }),
  el("td", { text: event.actor2 ? event.actor2.name : "" }),
  el("td", { text: event.location ? event.location.name || event.location.text : "" }),
  el("td", { text: fatalities(event) }),
  el("td", { text: event.status }),
  el("td", { text: event.source.name }),
  el("td", { class: "title", text: event.document.title || event.document.id }))));
  state.total = page.total;
  const last = Math.min(page.offset + page.items.length, page.total);
  $("page-label").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "none";
  $("prev").disabled = page.offset === 0;
  $("next").disabled = last >= page.total;
}

// ---- refresh -------------------------------------------------------------------------------

async function refresh() {
  const query = params();
  $("dl-geojson").href = `/events.geojson?${query}`;
  $("dl-csv").href = `/events.csv?${query}`;
  try {
    const [page, collection, timeline] = await Promise.all([
      api("/events", params({ limit: PAGE_SIZE, offset: state.offset })),
      api("/events.geojson", query),
      api("/timeline", query),
    ]);
    $("count").textContent = String(page.total);
    $("count").setAttribute("data-count", String(page.total));
    drawTable(page);
    drawMap(collection);
    drawTimeline(timeline.buckets);
    const unlocated = collection.unlocated || 0;
    setStatus(unlocated ? `${unlocated} of these events have no coordinates and are not on the map.` : "");
  } catch (error) {
    setStatus(`Could not load events: ${error.message}`, true);
  }
}

// ---- article view --------------------------------------------------------------------------

function eventSpans(event, index) {
  const spans = [];
  const add = (field, value) => {
    if (value && value.span && value.span.end > value.span.start) {
      spans.push({ field, start: value.span.start, end: value.span.end, event: event.id, index });
    }
  };
  for (const mention of event.provenance.mentions.length ? event.provenance.mentions
    : [event.provenance.trigger]) add("trigger", mention);
  for (const name of ["actor1", "actor2", "location", "date", "fatalities", "injuries"]) add(name, event[name]);
  if (event.source && event.source.span) add("source", event.source);
  for (const impact of event.impacts) add("impact", impact);
  for (const quote of event.quotes) add("quote", quote);
  return spans;
}

function allSpans(record) {
  const spans = record.events.flatMap((event, i) => eventSpans(event, i + 1));
  for (const place of record.places) {
    spans.push({ field: "place", start: place.span.start, end: place.span.end });
  }
  for (const found of record.document.dates_found) {
    if (found.span.end > found.span.start) {
      spans.push({ field: "dateline", start: found.span.start, end: found.span.end });
    }
  }
  record.checks.forEach((check, c) => {
    for (const s of check.spans) {
      spans.push({ field: "check", start: s.span.start, end: s.span.end, check: c });
    }
  });
  return spans;
}

// The text split at every span boundary; each piece is a text node, or a <mark> naming the
// fields and events that cover it (the innermost field gives the colour).
function renderText(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i], end = points[i + 1];
    const piece = text.slice(start, end);
    const covering = spans.filter((s) => s.start <= start && end <= s.end);
    if (!covering.length) { nodes.push(document.createTextNode(piece)); continue; }
    covering.sort((a, b) => (a.end - a.start) - (b.end - b.start));
    const events = [...new Set(covering.filter((s) => s.event).map((s) => s.event))];
    const checks = [...new Set(covering.filter((s) => s.check !== undefined).map((s) => s.check))];
    const fields = [...new Set(covering.map((s) => s.field))];
    const labels = covering.map((s) => (s.index ? `${s.field} (event ${s.index})` : s.field));
    const mark = el("mark", {
      class: `f-${covering[0].field}`, "data-fields": fields.join(" "),
      "data-events": events.join(" ") || null, "data-checks": checks.join(" ") || null,
      title: [...new Set(labels)].join(", "),
    }, piece);
    if (events.length) mark.addEventListener("click", () => selectEvent(events[0], true));
    nodes.push(mark);
  }
  return nodes;
}

function eventCard(event, index) {
  const parts = [];
  if (event.actor1) parts.push(["actor 1", event.actor1.name]);
  if (event.actor2) parts.push(["actor 2", event.actor2.name]);
  if (event.location) parts.push(["location", `${event.location.name || event.location.text}${
    event.location.geo_precision ? " (" + event.location.geo_precision + ")" : ""}`]);
  parts.push(["date", `${event.date.start}${event.date.end !== event.date.start ? " – " + event.date.end : ""} (${event.date.precision})`]);
  if (event.fatalities) parts.push(["fatalities", `${event.fatalities.text} → low ${event.fatalities.low ?? "?"}`]);
  if (event.injuries) parts.push(["injuries", event.injuries.text]);
  if (event.impacts.length) parts.push(["impacts", event.impacts.map((i) => i.text).join("; ")]);
  parts.push(["source", event.source.name]);
  if (event.acled_event_type) parts.push(["ACLED", `${event.acled_event_type} / ${event.acled_sub_event_type || ""}`]);
  return el("li", { "data-event-id": event.id, onclick: () => selectEvent(event.id, true) },
    el("div", { class: "card-head" },
      el("span", { class: "swatch", style: `background:${colour(event.event_type)}` }),
      el("strong", { text: `${index}. ${event.event_type}${event.mode ? " / " + event.mode : ""}` }),
      el("span", { class: `status status-${event.status}`, text: event.status }),
      el("span", { class: "confidence", text: `confidence ${event.confidence}` })),
    el("dl", {}, ...parts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])));
}

async function openDocument(docId, eventId) {
  let record;
  try {
    record = await api(`/documents/${encodeURIComponent(docId)}`);
  } catch (error) {
    setStatus(`Could not open the article: ${error.message}`, true);
    return;
  }
  state.doc = record;
  const doc = record.document;
  $("article-empty").hidden = true;
  $("article").hidden = false;
  $("a-title").textContent = doc.title || "(untitled)";
  const meta = $("a-meta");
  meta.replaceChildren(`reference date ${doc.reference_date} (${doc.reference_date_reason})`);
  if (doc.source) meta.append(` · ${doc.source}`);
  const url = safeUrl(doc.url);
  if (url) meta.append(" · ", el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, "original"));
  meta.append(` · ${record.events.length} events · id ${doc.id}`);
  $("a-text").replaceChildren(...renderText(doc.text, allSpans(record)));
  $("a-checks").replaceChildren(...(record.checks.length ? record.checks.map((check, c) =>
    el("li", { class: "check", "data-check": c, onclick: () => showCheck(c) },
      el("strong", { text: check.kind }), " ", check.message))
    : [el("li", { class: "none", text: "none" })]));
  $("a-events").replaceChildren(...record.events.map((event, i) => eventCard(event, i + 1)));
  $("a-legend").replaceChildren(...FIELDS.map((f) => el("mark", { class: `f-${f}`, text: f })));
  history.replaceState(null, "", `#doc=${encodeURIComponent(doc.id)}${eventId ? "&event=" + encodeURIComponent(eventId) : ""}`);
  if (eventId) selectEvent(eventId, true);
  else $("side-panel").scrollTo({ top: 0 });
}

function selectEvent(eventId, scroll) {
  state.selected = eventId;
  let first = null;
  for (const mark of $("a-text").querySelectorAll("mark")) {
    const events = (mark.getAttribute("data-events") || "").split(" ");
    const on = events.includes(eventId);
    mark.classList.toggle("selected", on);
    mark.classList.toggle("dim", !on && events[0] !== "");
    if (on && !first) first = mark;
  }
  for (const item of $("a-events").children) {
    item.classList.toggle("selected", item.getAttribute("data-event-id") === eventId);
  }
  for (const row of $("events-table").querySelectorAll("tbody tr")) {
    row.classList.toggle("selected", row.getAttribute("data-event-id") === eventId);
  }
  highlightMarker(eventId);
  if (scroll && first) reveal(first);
  const doc = state.doc && state.doc.document.id;
  if (doc) history.replaceState(null, "", `#doc=${encodeURIComponent(doc)}&event=${encodeURIComponent(eventId)}`);
}

function showCheck(index) {
  const marks = [...$("a-text").querySelectorAll("mark")].filter((m) =>
    (m.getAttribute("data-checks") || "").split(" ").includes(String(index)));
  for (const m of $("a-text").querySelectorAll("mark.flash")) m.classList.remove("flash");
  for (const m of marks) m.classList.add("flash");
  if (marks.length) reveal(marks[0]);
}

// ---- paste an article ----------------------------------------------------------------------

function token() { return $("p-token").value.trim() || sessionStorage.getItem("dateline-token") || ""; }

async function analyse(event) {
  event.preventDefault();
  const result = $("paste-result");
  const content = $("p-text").value;
  if (!content.trim()) { result.replaceChildren(el("p", { class: "error", text: "Paste an article first." })); return; }
  const body = { [$("p-kind").value]: content };
  if ($("p-title").value.trim()) body.title = $("p-title").value.trim();
  if ($("p-date").value) body.published = $("p-date").value;
  if ($("p-token").value.trim()) sessionStorage.setItem("dateline-token", $("p-token").value.trim());
  $("p-submit").disabled = true;
  result.replaceChildren(el("p", { text: "Analysing… (the first article loads the language model)" }));
  try {
    const data = await api("/documents", null, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token()}` },
      body: JSON.stringify(body),
    });
    const record = data.record;
    result.replaceChildren(
      el("p", { class: "ok", text: `${record.events.length} events found${data.created ? "" : " (this text was already stored)"}.` }),
      el("ul", { class: "found" }, ...record.events.map((e) => el("li", {
        "data-event-id": e.id, onclick: () => openDocument(record.document.id, e.id),
      }, el("span", { class: "swatch", style: `background:${colour(e.event_type)}` }),
      `${e.event_type}${e.mode ? " / " + e.mode : ""} · ${e.location ? e.location.name || e.location.text : "no place"} · ${e.date.start}`))));
    await loadFacets();
    await refresh();
    const located = record.events.filter((e) => e.location && e.location.lat != null);
    if (located.length && state.map) {
      state.map.fitBounds(L.latLngBounds(located.map((e) => [e.location.lat, e.location.lon])).pad(0.5),
        { maxZoom: 7, animate: false });
    }
    await openDocument(record.document.id, record.events.length ? record.events[0].id : null);
  } catch (error) {
    const hint = error.status === 401 || error.status === 403
      ? " Enter the API token printed by dateline serve." : "";
    result.replaceChildren(el("p", { class: "error", text: `${error.message}${hint}` }));
  } finally {
    $("p-submit").disabled = false;
  }
}

// ---- start ---------------------------------------------------------------------------------

function readHash() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has("token")) {
    sessionStorage.setItem("dateline-token", hash.get("token"));
    hash.delete("token");
    history.replaceState(null, "", hash.toString() ? `#${hash}` : location.pathname);
  }
  return hash;
}

async function start() {
  const hash = readHash();
  try {
    state.config = await api("/config");
  } catch (error) {
    setStatus(`The API does not answer: ${error.message}`, true);
    return;
  }
  if (!state.config.writes_enabled) $("paste-toggle").title = "writes are disabled on this server";
  if (typeof L === "undefined") {
    setStatus("Map library missing: run make web (it copies Leaflet from the npm packages).", true);
  } else {
    initMap();
  }
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); applyFilters(readFilters()); });
  $("f-reset").addEventListener("click", () => applyFilters({}));
  $("timeline-clear").addEventListener("click", () =>
    applyFilters({ ...state.filters, since: "", until: "" }));
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE_SIZE); refresh(); });
  $("next").addEventListener("click", () => { state.offset += PAGE_SIZE; refresh(); });
  $("paste-toggle").addEventListener("click", () => { $("paste").hidden = !$("paste").hidden; });
  $("paste-form").addEventListener("submit", analyse);
  if (sessionStorage.getItem("dateline-token")) $("p-token").placeholder = "API token (from the link)";
  await loadFacets().catch((error) => setStatus(error.message, true));
  await refresh();
  if (hash.get("doc")) openDocument(hash.get("doc"), hash.get("event"));
  document.body.setAttribute("data-ready", "1");
}

start();

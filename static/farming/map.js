/* The farm map: Leaflet with the layers listed in #farm-map-config; optional polygon drawing for plots. */
(function () {
  "use strict";
  var el = document.getElementById("farm-map");
  var cfgEl = document.getElementById("farm-map-config");
  if (!el || !cfgEl || !window.L) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var labels = cfg.labels || {};
  var map = L.map(el, { scrollWheelZoom: false });
  if (cfg.tiles) L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: cfg.attribution || "" }).addTo(map);
  map.setView(cfg.center || [16.0, 106.0], cfg.center ? 13 : 6);
  var bounds = L.latLngBounds([]);
  var control = L.control.layers(null, null, { collapsed: window.innerWidth < 600 }).addTo(map);
  el.classList.add("map-ready");

  function esc(s) {
    return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }
  function ha(v) {
    return String(Math.round(v * 100) / 100).replace(".", ",");
  }
  function popup(p) {
    var html = "<b>" + esc(p.title) + "</b>";
    if (p.crop) html += "<br>" + esc(p.crop) + (p.variety ? " – " + esc(p.variety) : "");
    if (p.standard && p.standard !== "none") html += "<br>" + esc(p.standard);
    if (p.status_label && p.status !== "active") html += "<br><i>" + esc(p.status_label) + "</i>";
    if (p.plot) html += "<br>" + esc(labels.plot || "") + " " + esc(p.plot) + (p.area_ha ? " · " + ha(p.area_ha) + " ha" : "");
    if (p.household) html += "<br>" + esc(p.household);
    if (p.url) html += '<br><a href="' + esc(p.url) + '">' + esc(labels.open || "→") + "</a>";
    return html;
  }
  function add(data, layer) {
    var group = L.geoJSON(data, {
      style: function (f) {
        var p = f.properties || {};
        var c = p.colour || layer.colour || "#175cd3";
        return { color: c, weight: 2, fillColor: c, fillOpacity: p.status && p.status !== "active" ? 0.08 : 0.35, dashArray: p.status && p.status !== "active" ? "4 4" : null };
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: layer.colour || "#175cd3", weight: 2, fillOpacity: 0.8 });
      },
      onEachFeature: function (f, l) {
        l.bindPopup(popup(f.properties || {}));
      }
    }).addTo(map);
    control.addOverlay(group, esc(layer.label));
    if (group.getLayers().length && layer.fit !== false) {
      bounds.extend(group.getBounds());
      map.fitBounds(bounds, { maxZoom: 17, padding: [12, 12] });
    }
    return group;
  }
  (cfg.inline || []).forEach(function (layer) { add(layer.data, layer); });
  (cfg.layers || []).forEach(function (layer) {
    fetch(layer.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) add(data, layer); });
  });

  if (!cfg.draw) return;
  /* Drawing a plot: tap the corners, then "finish"; the polygon goes into the GeoJSON field. */
  var field = document.getElementById(cfg.draw);
  var points = [];
  var shape = L.polygon([], { color: "#b42318", weight: 3, fillOpacity: 0.2 }).addTo(map);
  function write() {
    shape.setLatLngs(points);
    if (points.length < 3) return;
    var ring = points.map(function (p) { return [Math.round(p[1] * 1e7) / 1e7, Math.round(p[0] * 1e7) / 1e7]; });
    ring.push(ring[0]);
    field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }
  try {
    var current = JSON.parse(field.value || "null");
    if (current && current.type === "Polygon") {
      points = current.coordinates[0].slice(0, -1).map(function (c) { return [c[1], c[0]]; });
      shape.setLatLngs(points);
      map.fitBounds(shape.getBounds(), { maxZoom: 18 });
    }
  } catch (e) { /* the field holds text the server will explain */ }
  map.on("click", function (e) {
    points.push([e.latlng.lat, e.latlng.lng]);
    write();
  });
  function on(id, fn) {
    var b = document.getElementById(id);
    if (b) b.addEventListener("click", function (e) { e.preventDefault(); fn(); });
  }
  on("draw-undo", function () { points.pop(); write(); if (points.length < 3) field.value = ""; });
  on("draw-clear", function () { points = []; write(); field.value = ""; });
  window.farmMap = map;
})();

/* The public trace page's small map. The page shows the growing area's outline as SVG at once; Leaflet
   (about 150 KB) is fetched only when the map comes into view, then draws the plots over map tiles. */
(function () {
  "use strict";
  var box = document.getElementById("trace-map"), data = document.getElementById("trace-map-data");
  if (!box || !data) return;
  function draw() {
    var cfg = JSON.parse(data.textContent);
    box.innerHTML = "";
    box.removeAttribute("role");
    var map = L.map(box, { scrollWheelZoom: false, attributionControl: !!cfg.tiles });
    if (cfg.tiles) L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: cfg.attribution || "" }).addTo(map);
    var plots = L.geoJSON(cfg.plots, {
      style: function (f) { var c = f.properties.colour || "#0b6e4f"; return { color: c, weight: 2, fillColor: c, fillOpacity: 0.35 }; },
      onEachFeature: function (f, l) {
        var t = document.createElement("span");
        t.textContent = f.properties.code + " · " + f.properties.plot;
        l.bindTooltip(t);
      }
    }).addTo(map);
    map.fitBounds(plots.getBounds(), { maxZoom: 17, padding: [10, 10] });
  }
  function load() {
    if (window.L) return draw();
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.getAttribute("data-leaflet-css");
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = box.getAttribute("data-leaflet-js");
    js.onload = draw;
    document.head.appendChild(js);
  }
  if (!("IntersectionObserver" in window)) return load();
  var seen = new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); load(); }
  }, { rootMargin: "200px" });
  seen.observe(box);
})();

// Infrastructure map: Leaflet (xstatic-leaflet, no CDN) with the points given by the page in #map-data.
(function () {
  var box = document.getElementById("map");
  var data = document.getElementById("map-data");
  if (!box || !data || !window.L) return;
  var points = JSON.parse(data.textContent);
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
  var colours = { wifi: "#1d4ed8", loudspeaker: "#b45309", camera: "#b42318", postal: "#0b6e4f" };
  var bounds = [];
  points.forEach(function (p) {
    var popup = document.createElement("div");
    popup.textContent = p.label + " — " + p.status; // text, never HTML
    L.circleMarker([p.lat, p.lng], { radius: 8, color: colours[p.kind] || "#333", fillOpacity: 0.8 })
      .bindPopup(popup).addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  else map.setView([15.02, 108.8], 12);
})();

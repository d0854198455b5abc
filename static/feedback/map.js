/* Maps of community reports: the public layer, the pin on the report form, one report's point.
   Leaflet comes from xstatic-leaflet (no CDN); every label comes from data- attributes, translated
   by the page. Without JavaScript the pages still work: the list, and the village on the form. */
(function () {
  "use strict";

  function tiles(el, map) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  }

  function centre(el) {
    var parts = (el.dataset.centre || "").split(",");
    return parts.length === 2 && parts[0] ? [parseFloat(parts[0]), parseFloat(parts[1])] : [16.0, 106.5];
  }

  function line(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function layerMap(el) {
    var map = L.map(el).setView(centre(el), el.dataset.centre ? 13 : 5);
    tiles(el, map);
    fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var open = feature.properties.open;
            return L.circleMarker(latlng, {
              radius: 7, weight: 2, fillOpacity: 0.7,
              color: open ? "#9a5b00" : "#1e7b34", fillColor: open ? "#f0c987" : "#a8d5b2"
            });
          },
          onEachFeature: function (feature, marker) {
            var p = feature.properties, box = document.createElement("div"), link = line("a", p.number);
            link.href = el.dataset.detail.replace("PA-0000-000000", encodeURIComponent(p.number));
            box.appendChild(link);
            box.appendChild(line("div", p.category));
            box.appendChild(line("div", p.status_label + " · " + p.date));
            marker.bindPopup(box);
          }
        }).addTo(map);
        if (data.features.length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
        }
        var count = document.getElementById(el.dataset.count);
        if (count) { count.textContent = data.features.length; }
      });
  }

  function pickMap(el) {
    var lat = document.getElementById(el.dataset.lat), long = document.getElementById(el.dataset.long);
    var status = document.getElementById(el.dataset.status), marker = null;
    var map = L.map(el).setView(centre(el), 14);
    tiles(el, map);

    function set(latlng) {
      lat.value = latlng.lat.toFixed(6);
      long.value = latlng.lng.toFixed(6);
      status.textContent = el.dataset.pinned;
      document.body.dispatchEvent(new CustomEvent("pinned"));
    }

    function place(latlng, zoom) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { draggable: true, keyboard: true, alt: el.dataset.markerLabel }).addTo(map);
        marker.on("dragend", function () { set(marker.getLatLng()); });
      }
      if (zoom) { map.setView(latlng, 17); }
      set(latlng);
    }

    if (lat.value && long.value) { place(L.latLng(parseFloat(lat.value), parseFloat(long.value)), true); }
    map.on("click", function (event) { place(event.latlng, false); });
    var locate = document.getElementById(el.dataset.locate);
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        status.textContent = el.dataset.locating;
        navigator.geolocation.getCurrentPosition(
          function (position) { place(L.latLng(position.coords.latitude, position.coords.longitude), true); },
          function () { status.textContent = el.dataset.locateFailed; },
          { enableHighAccuracy: true, timeout: 15000 }
        );
      });
    }
  }

  function pointMap(el) {
    var point = el.dataset.point.split(",").map(parseFloat);
    var map = L.map(el, { scrollWheelZoom: false }).setView(point, 16);
    tiles(el, map);
    L.circleMarker(point, { radius: 9, weight: 2 }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map=layer]").forEach(layerMap);
    document.querySelectorAll("[data-map=pick]").forEach(pickMap);
    document.querySelectorAll("[data-map=point]").forEach(pointMap);
  });
})();

// Opens the 360° view with Pannellum (vendored, MIT): drag to look around; on phones, a button turns
// on looking around by tilting the phone (iOS asks for permission on a tap). Hotspots lead to products.
(function () {
  var box = document.getElementById("pano");
  if (!box || !window.pannellum) return;
  var config = JSON.parse(box.dataset.config);
  config.hotSpots.forEach(function (spot) {
    spot.clickHandlerFunc = function () { window.location.href = spot.URL; };
  });
  var viewer = window.pannellum.viewer("pano", config);
  window.marketPanorama = viewer;
  var tilt = document.getElementById("pano-tilt");
  if (tilt && "DeviceOrientationEvent" in window) {
    tilt.hidden = false;
    tilt.addEventListener("click", function () {
      var ask = window.DeviceOrientationEvent.requestPermission;
      var start = function () { viewer.startOrientation(); };
      if (typeof ask === "function") { ask().then(function (state) { if (state === "granted") start(); }); } else { start(); }
    });
  }
})();

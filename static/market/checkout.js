// Checkout: the address fields show only for delivery, and the commune list follows the province
// (from the open places API). Without JavaScript the form still works with the commune typed in.
(function () {
  var form = document.querySelector("form.card");
  if (!form) return;
  var address = document.getElementById("address");
  function sync() {
    var chosen = form.querySelector("input[name=fulfilment]:checked");
    if (address) address.hidden = chosen && chosen.value === "pickup";
  }
  form.querySelectorAll("input[name=fulfilment]").forEach(function (r) { r.addEventListener("change", sync); });
  sync();
  var province = document.getElementById("id_province");
  var list = document.getElementById("communes");
  if (!province || !list) return;
  province.addEventListener("change", function () {
    var names = [];
    function page(url) {
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          (data.items || []).forEach(function (c) { names.push(c.name); });
          if (data.count > names.length && (data.items || []).length) {
            page("/api/v1/places/provinces/" + province.value + "/communes?page=" + (Math.floor(names.length / 100) + 1));
          } else {
            list.innerHTML = "";
            names.forEach(function (n) { var o = document.createElement("option"); o.value = n; list.appendChild(o); });
          }
        });
    }
    if (province.value) page("/api/v1/places/provinces/" + province.value + "/communes");
  });
})();

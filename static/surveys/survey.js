/* Show a question only when the answer it depends on is chosen; the page works without this script. */
(function () {
  var form = document.querySelector("form.survey");
  if (!form) return;
  var dependants = form.querySelectorAll("[data-show-if]");
  function shown(el) {
    var name = el.getAttribute("data-show-if"), want = el.getAttribute("data-show-value"), on = false;
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.checked && input.value === want && !input.disabled) on = true;
    });
    return on;
  }
  function update() {
    dependants.forEach(function (el) {
      var on = shown(el);
      el.hidden = !on;
      el.querySelectorAll("input, textarea, select").forEach(function (input) { input.disabled = !on; });
    });
  }
  form.addEventListener("change", update);
  update();
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) setTimeout(function () { button.disabled = true; }, 0);
  });
})();

// Enhancements only: the index filters and the compare picker also work without JavaScript.
(function () {
  "use strict";

  function filterGrid(form) {
    var box = form.querySelector("#q");
    var source = form.querySelector("#source");
    var params = new URLSearchParams(window.location.search);
    if (params.has("q")) { box.value = params.get("q"); }
    if (params.has("source")) { source.value = params.get("source"); }
    function run() {
      var text = box.value.trim().toLowerCase();
      var wanted = source.value;
      var shown = 0;
      document.querySelectorAll(".card").forEach(function (card) {
        var ok = (!text || card.dataset.path.indexOf(text) >= 0) &&
          (!wanted || card.dataset.sources.split(" ").indexOf(wanted) >= 0);
        card.hidden = !ok;
        if (ok) { shown += 1; }
      });
      document.querySelectorAll("section.group").forEach(function (group) {
        group.hidden = !group.querySelector(".card:not([hidden])");
      });
      var counter = document.getElementById("shown");
      if (counter) { counter.textContent = shown + " shown"; }
    }
    box.addEventListener("input", run);
    source.addEventListener("change", run);
    run();
  }

  function comparePicker(section) {
    var params = new URLSearchParams(window.location.search);
    ["a", "b"].forEach(function (side) {
      var select = section.querySelector("#compare-" + side);
      if (params.has(side)) { select.value = params.get(side); }
      function show() {
        var option = select.options[select.selectedIndex];
        var src = option.dataset.src;
        document.getElementById("compare-" + side + "-img").src = src;
        document.getElementById("overlay-" + side).src = src;
        document.getElementById("compare-" + side + "-caption").textContent =
          side.toUpperCase() + ": " + option.value;
      }
      select.addEventListener("change", show);
      show();
    });
    var slider = section.querySelector("#slider");
    var overlay = section.querySelector("#overlay");
    function slide() { overlay.style.setProperty("--pos", slider.value + "%"); }
    slider.addEventListener("input", slide);
    slide();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.filter");
    if (form) { filterGrid(form); }
    var compare = document.getElementById("compare");
    if (compare) { comparePicker(compare); }
  });
})();

// Time-zone lists start at the browser's own zone when nothing is chosen yet, also in forms
// htmx swaps in later. Without script the list simply starts at "Choose a time zone".
(function () {
  function preselect(root) {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone) { return; }
    root.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
      if (select.value !== "") { return; }
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) { select.value = zone; return; }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { preselect(document); });
  document.addEventListener("htmx:afterSwap", function (e) { preselect(e.target); });
})();

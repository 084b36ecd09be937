// Quick exit, enhanced. Without this script the exit link still works: it goes to /exit/,
// which ends the session and redirects. With it, the page is replaced (Back does not return)
// and pressing Shift three times within a second leaves too.
(function () {
  "use strict";
  var link = document.querySelector("a.quick-exit");
  if (!link) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1000; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();

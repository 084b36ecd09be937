// Quick exit, enhanced. Without this script the exit link still works: it goes to /exit/,
// which ends the session and redirects. With it, the page is replaced (Back does not return)
// and pressing Shift three times on its own within a second leaves too.
//
// Only a lone Shift counts: pressed and released with no other key (and no click) between.
// Shift held for a capital letter while typing ("ADHD") never counts, and any other key
// starts the count again, so typing can never trigger the exit.
(function () {
  "use strict";
  var link = document.querySelector("a.quick-exit");
  if (!link) { return; }
  var WINDOW_MS = 1000;
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  var presses = [];  // times of the lone Shift presses in a row
  var shiftDown = false;  // Shift is down and nothing else happened since
  function interrupted() {
    shiftDown = false;
    presses = [];
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") { interrupted(); return; }
    if (!event.repeat) { shiftDown = true; }
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftDown) { return; }
    shiftDown = false;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < WINDOW_MS; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
  document.addEventListener("pointerdown", interrupted);
  window.addEventListener("blur", interrupted);
})();

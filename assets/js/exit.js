// Quick exit, after GOV.UK's "Exit this page": the button, or three presses of Shift within
// five seconds, hides the page at once and replaces it in the tab's history with a neutral
// page, so Back does not return. Without JavaScript the button is a plain link that leaves.
(function () {
  "use strict";
  var link = document.querySelector(".exit-button");
  if (!link) return;
  var status = document.getElementById("exit-status");
  var pressesLeftText = link.getAttribute("data-presses-left") || "";
  var WINDOW = 5000;
  var presses = 0;
  var first = 0;
  var shiftAlone = false;

  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.classList.add("exiting"); // the CSS hides everything at once
    document.title = "";
    window.location.replace(link.href);
  }

  function reset() {
    presses = 0;
    if (status) status.textContent = "";
  }

  link.addEventListener("click", leave);

  // A Shift press counts when Shift is released with no other key pressed meanwhile, so
  // Shift held as a modifier (Shift+A) never counts; any other key starts the count again.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift") {
      if (!event.repeat) shiftAlone = true;
      return;
    }
    shiftAlone = false;
    reset();
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) return;
    shiftAlone = false;
    var now = Date.now();
    if (presses === 0 || now - first > WINDOW) {
      presses = 0;
      first = now;
    }
    presses++;
    if (presses >= 3) {
      leave();
      return;
    }
    if (status) status.textContent = pressesLeftText.replace("{n}", String(3 - presses));
  });
})();

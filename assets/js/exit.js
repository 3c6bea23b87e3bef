// Quick exit: the exit button and three presses of Shift within five seconds hide the page at
// once and replace it in the history, so Back does not return. Without JavaScript the button is a
// plain link that still leaves.
(function () {
  "use strict";
  var link = document.querySelector(".exit-button");
  if (!link) return;
  var status = document.getElementById("exit-status");
  var presses = 0;
  var timer = 0;

  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.display = "none";
    document.title = "";
    window.location.replace(link.href);
  }

  function reset() {
    presses = 0;
    clearTimeout(timer);
  }

  link.addEventListener("click", leave);
  // A Shift press counts when it is released without another key pressed meanwhile, so Shift
  // held as a modifier (Shift+A) never counts; any other key starts the count again.
  var shiftAlone = false;
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
    presses++;
    clearTimeout(timer);
    timer = setTimeout(reset, 5000);
    if (presses >= 3) {
      leave();
      return;
    }
    if (status) {
      status.textContent = (link.getAttribute("data-presses-left") || "").replace("{n}", String(3 - presses));
    }
  });
})();

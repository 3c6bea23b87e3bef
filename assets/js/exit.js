// Quick exit, after GOV.UK's "Exit this page": the button, or three presses of Shift within
// five seconds, hides the page at once and replaces it in the tab's history with a neutral
// page, so Back does not return. Without JavaScript the button is a plain link that leaves.
//
// One visit is one history entry: a link from one Veiviser page to another replaces the current
// entry instead of adding one, so after the exit Back shows what was open before Veiviser, not a
// Veiviser page (the safety page says so; internal/browsertest checks it over http and file://).
// The breadcrumbs and the site's own links are the way back inside the site. Without JavaScript
// every page opened is its own entry, as the safety page says too.
//
// The Shift hint is shown only where it can work: with JavaScript and a keyboard likely (a fine
// pointer that can hover, as on a PC; not on a touch screen).
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

  var hint = document.getElementById("exit-hint");
  if (hint && window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches) {
    hint.hidden = false;
  }

  // internal reports whether a is a link to another place on this site (same scheme and host;
  // over file:// every file link is the bundle's own).
  function internal(a) {
    var scheme = a.protocol;
    if (scheme !== location.protocol || a.host !== location.host) return false;
    return scheme === "http:" || scheme === "https:" || scheme === "file:";
  }

  // Internal links replace the current history entry. A click that asks for a new tab or
  // window, a download, or one another script has handled keeps the browser's own behaviour.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    if (!a || a === link || a.hasAttribute("download")) return;
    var target = a.getAttribute("target");
    if (target && target !== "_self") return;
    if (!internal(a)) return;
    event.preventDefault();
    window.location.replace(a.href);
  });

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

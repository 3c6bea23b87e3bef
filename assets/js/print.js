// The emergency sheet's Print button: shown only when JavaScript can print.
(function () {
  "use strict";
  var buttons = document.querySelectorAll(".sheet-print");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();

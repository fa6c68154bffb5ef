// Module pages: the list of a course's modules is a <details> element, closed by default so
// it takes little room on a phone. On a wide screen it sits beside the text: open it there.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 60rem)");
  function apply() {
    document.querySelectorAll("details.module-nav").forEach(function (el) {
      el.open = wide.matches;
    });
  }
  apply();
  if (wide.addEventListener) { wide.addEventListener("change", apply); }
})();

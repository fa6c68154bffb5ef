// Module pages: say where the text holds more than the phone shows. A table wider than the
// text column (it scrolls inside its .table-scroll box) gets a worded hint above it; a
// picture shown smaller than it is (a diagram shrunk to a phone's width) gets a hint that a
// tap opens it full size. The words come from data attributes of .module-body, in the
// page's language. Without JavaScript the shadows at a table's edges still show it scrolls,
// and a picture is still a link to its full-size file.
(function () {
  "use strict";
  var body = document.querySelector(".module-body[data-table-hint]");
  if (!body) { return; }

  function markTables() {
    body.querySelectorAll(".table-scroll").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      var before = box.previousElementSibling;
      var hint = before && before.classList.contains("table-scroll-hint") ? before : null;
      box.classList.toggle("is-scrollable", overflows);
      if (overflows && !hint) {
        hint = document.createElement("p");
        hint.className = "table-scroll-hint";
        hint.textContent = body.getAttribute("data-table-hint");
        box.parentNode.insertBefore(hint, box);
      } else if (!overflows && hint) {
        hint.parentNode.removeChild(hint);
      }
    });
  }

  function markFigure(link) {
    var img = link.querySelector("img");
    if (!img || !img.naturalWidth) { return; }
    var shrunk = img.naturalWidth > img.clientWidth * 1.15;
    var after = link.nextElementSibling;
    var hint = after && after.classList.contains("figure-hint") ? after : null;
    if (shrunk && !hint) {
      hint = document.createElement("span");
      hint.className = "figure-hint";
      hint.textContent = body.getAttribute("data-figure-hint");
      link.parentNode.insertBefore(hint, link.nextSibling);
    } else if (!shrunk && hint) {
      hint.parentNode.removeChild(hint);
    }
  }

  function markFigures() {
    body.querySelectorAll("a.figure-link").forEach(markFigure);
  }

  body.querySelectorAll("a.figure-link img").forEach(function (img) {
    img.addEventListener("load", function () { markFigure(img.closest("a.figure-link")); });
  });
  markTables();
  markFigures();
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () { markTables(); markFigures(); }, 150);
  });
})();

// Module pages: count down the minimum study time of a module (portal/progress/study_time.py).
// The server states the time in words and sends the seconds left; this script only counts
// those down from the moment the page arrived (never from the phone's clock, which may be
// wrong), shows mm:ss, keeps the "Mark as done" button disabled meanwhile and enables it at
// zero. Without JavaScript the words still say when, and the server refuses an early post
// with a clear message. Re-run after htmx swaps the block in (a refused early click).
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function start(wait) {
    if (wait.getAttribute("data-counting")) { return; }
    wait.setAttribute("data-counting", "1");
    var left = parseInt(wait.getAttribute("data-seconds-left"), 10) || 0;
    var block = wait.closest(".module-done") || document;
    var button = block.querySelector("form button[type=submit]");
    var countdown = wait.querySelector(".study-countdown");
    var began = Date.now();
    // The block is an aria-live region: a figure changing every second must not be read out.
    if (countdown) { countdown.setAttribute("aria-hidden", "true"); }
    function tick() {
      var remaining = Math.max(0, left - Math.floor((Date.now() - began) / 1000));
      if (remaining > 0) {
        if (countdown) {
          countdown.textContent = "(" + Math.floor(remaining / 60) + ":" + pad(remaining % 60) + ")";
        }
        if (button) { button.disabled = true; }
        return true;
      }
      if (button) { button.disabled = false; }
      wait.classList.remove("flash", "warning");
      var text = wait.querySelector(".study-wait-text");
      if (text) { text.textContent = wait.getAttribute("data-ready-label"); }
      if (countdown) { countdown.textContent = ""; }
      return false;
    }
    if (tick()) {
      var id = window.setInterval(function () { if (!tick()) { window.clearInterval(id); } }, 1000);
    }
  }

  function scan() { document.querySelectorAll(".study-wait[data-seconds-left]").forEach(start); }
  scan();
  document.body.addEventListener("htmx:afterSettle", scan);
})();

/* Quiz take page: countdown and autosave. The page works without this file.
 *
 * Countdown: #quiz-timer carries data-deadline (ISO UTC) and data-seconds-left (computed by
 * the server when the page was rendered). The countdown runs from data-seconds-left, so a
 * wrong clock on the phone does not matter; the server stays the authority on time. When
 * the time is up the form is submitted.
 *
 * Autosave: every change of an answer posts the whole form to data-save-url with the CSRF
 * header; each question's hidden rev_ field names the saved answer the page shows. 200
 * means saved, with {"revisions": {field: revision}} (written back into the rev_ fields,
 * so the next save is based on this one) and {"problems": {field: message}} for typed
 * numbers not written the Indonesian way (shown under their inputs); 409 with
 * {"error": "stale"} means another tab saved some of these questions after this page was
 * loaded: those were not saved, and the page reloads to show the stored answers; any other
 * 409 means the attempt is closed (submitted elsewhere or out of time), so the page
 * reloads to its result; 401
 * means the session has ended and 400 that the page's CSRF token has expired: the page stays
 * as it is, with every answer on it, and says (data-msg-login, data-msg-stale) that the
 * button sends them (after a new login, the server carries them across and saves them).
 * Anything else is a network problem.
 *
 * The form's button leads to the confirmation page (data: the form's action); when the
 * time is up the form is posted straight to data-submit-url instead.
 */
(function () {
  "use strict";

  var form = document.getElementById("quiz-form");
  if (!form) { return; }

  var statusEl = form.querySelector("[data-autosave-status]");
  var submitButton = form.querySelector("[data-submit-button]");
  var submitting = false;

  function csrfToken() {
    var input = form.querySelector("input[name='csrf_token']");
    return input ? input.value : "";
  }

  function setStatus(text, problem) {
    if (statusEl) {
      statusEl.textContent = text;
      statusEl.classList.toggle("is-problem", !!problem);
      statusEl.setAttribute("aria-live", problem ? "assertive" : "polite");
    }
  }

  /* Messages under typed numbers: {field name: message}; fields not named are cleared. */
  function showProblems(problems) {
    var boxes = form.querySelectorAll("[data-number-problem]");
    for (var i = 0; i < boxes.length; i++) {
      var text = problems[boxes[i].getAttribute("data-number-problem")];
      boxes[i].textContent = text || "";
      boxes[i].hidden = !text;
    }
  }

  /* The revision of each question's saved answer: {field name: revision}. */
  function setRevisions(revisions) {
    var inputs = form.querySelectorAll("[data-revision]");
    for (var i = 0; i < inputs.length; i++) {
      var value = revisions[inputs[i].getAttribute("data-revision")];
      if (value !== undefined) { inputs[i].value = String(value); }
    }
  }

  function clockTime(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(date.getHours()) + "." + two(date.getMinutes());
  }

  /* --- autosave ------------------------------------------------------------------------ */

  var saveUrl = form.getAttribute("data-save-url");
  var reloadUrl = form.getAttribute("data-reload-url");
  var timer = null;
  var inFlight = false;
  var pending = false;

  function save(keepalive) {
    if (!saveUrl || submitting || !window.fetch || !window.FormData) { return; }
    if (inFlight) { pending = true; return; }
    inFlight = true;
    pending = false;
    setStatus(form.getAttribute("data-msg-saving"));
    fetch(saveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status === 200 && !response.redirected &&
                 type.indexOf("application/json") === 0) {
        /* saved (a followed redirect, e.g. to a login page, is not) */
        return response.json().then(function (body) {
          setRevisions(body.revisions || {});
          setStatus(form.getAttribute("data-msg-saved").replace("{time}", clockTime(new Date())));
          showProblems(body.problems || {});
        }, function () { setStatus(form.getAttribute("data-msg-failed"), true); });
      } else if (response.status === 409) {
        submitting = true;
        return response.json().then(function (body) {
          setStatus(body.error === "stale" && body.message ? body.message
                    : form.getAttribute("data-msg-closed"), body.error === "stale");
          window.location.assign(reloadUrl);
        }, function () {
          setStatus(form.getAttribute("data-msg-closed"));
          window.location.assign(reloadUrl);
        });
      } else if (response.status === 401) {
        setStatus(form.getAttribute("data-msg-login"), true);
      } else if (response.status === 400) {
        setStatus(form.getAttribute("data-msg-stale"), true);
      } else {
        setStatus(form.getAttribute("data-msg-failed"), true);
      }
    }).catch(function () {
      setStatus(form.getAttribute("data-msg-failed"), true);
    }).then(function () {
      inFlight = false;
      if (pending) { save(false); }
    });
  }

  function scheduleSave(delay) {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () { timer = null; save(false); }, delay);
  }

  form.addEventListener("change", function () { scheduleSave(300); });
  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "text") { scheduleSave(1500); }
  });
  window.addEventListener("online", function () { save(false); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) {
      window.clearTimeout(timer);
      timer = null;
      save(true);
    }
  });

  form.addEventListener("submit", function (event) {
    if (submitting) {
      event.preventDefault();  /* a second click: the first submission is on its way */
      return;
    }
    submitting = true;
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (submitButton) {
      window.setTimeout(function () { submitButton.disabled = true; }, 0);
    }
  });

  /* --- countdown ----------------------------------------------------------------------- */

  var timerBox = document.getElementById("quiz-timer");
  if (!timerBox) { return; }
  var countdown = timerBox.querySelector("[data-countdown]");
  var alertEl = timerBox.querySelector("[data-timer-alert]");
  var secondsLeft = parseInt(timerBox.getAttribute("data-seconds-left"), 10);
  var end;
  if (!isNaN(secondsLeft)) {
    end = Date.now() + secondsLeft * 1000;
  } else {
    end = Date.parse(timerBox.getAttribute("data-deadline"));
  }
  if (isNaN(end) || !countdown) { return; }

  var warned = false;
  var finished = false;

  function format(totalSeconds) {
    var h = Math.floor(totalSeconds / 3600);
    var m = Math.floor((totalSeconds % 3600) / 60);
    var s = totalSeconds % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return (h > 0 ? h + ":" + two(m) : String(m)) + ":" + two(s);
  }

  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    countdown.textContent = timerBox.getAttribute("data-msg-left").replace("{time}", format(left));
    if (left <= 60 && !warned) {
      warned = true;
      timerBox.classList.add("is-ending");
      if (alertEl) { alertEl.textContent = timerBox.getAttribute("data-msg-warning"); }
    }
    if (left <= 0 && !finished) {
      finished = true;
      if (alertEl) { alertEl.textContent = timerBox.getAttribute("data-msg-up"); }
      if (!submitting) {
        var submitUrl = form.getAttribute("data-submit-url");
        if (submitUrl) { form.setAttribute("action", submitUrl); }
        if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
      }
      return;
    }
    window.setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  }

  countdown.hidden = false;
  tick();
})();

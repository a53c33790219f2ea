// call-wait.js moves a page waiting for a verification call on by itself. The
// page has an element with data-call-status (the JSON status URL) and
// data-call-form (the id of the form that finishes the step). Every two seconds
// the script asks where the call stands and writes the answer into the page's
// aria-live region; once the call got its "#" it submits the form, and once the
// call ended it reloads the page, which then says why and offers to try again.
// Without script, the form's own button ("I've answered the call") does the same.
(function () {
  "use strict";
  var box = document.querySelector("[data-call-status]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-call-status");
  var form = document.getElementById(box.getAttribute("data-call-form"));
  var live = box.querySelector("[aria-live]") || box;
  var every = 2000;
  var failures = 0;

  function show(message) {
    if (message && live.textContent !== message) {
      live.textContent = message;
    }
  }

  function finish() {
    if (!form) {
      return;
    }
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true; // one submission, not the button's too
    }
    form.submit();
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 410) {
          // The sign-in is over; the page says why.
          window.location.reload();
          return new Promise(function () {});
        }
        if (!r.ok) {
          throw new Error("status " + r.status);
        }
        return r.json();
      })
      .then(function (s) {
        failures = 0;
        show(s.message);
        if (s.state === "verified") {
          finish();
        } else if (s.done) {
          window.location.reload();
        } else {
          window.setTimeout(poll, every);
        }
      })
      .catch(function () {
        // A hiccup is retried a few times; then the button is the way on.
        failures++;
        if (failures < 5) {
          window.setTimeout(poll, every * failures);
        }
      });
  }

  window.setTimeout(poll, every);
})();

// pow.js has the browser prove a little work before a form that is cheap to
// send and costly to answer (starting a password reset) goes to the server.
//
// Contract. The form carries data-pow-url, a same-origin URL that answers GET
// with a fresh challenge as JSON ({algorithm, challenge, maxNumber, salt,
// signature}, ALTCHA's shape). Inside the form, the "pow" template gives:
//   - <input type="hidden" name="proofOfWork">, which gets the solution;
//   - an element with data-pow-status and aria-live, where progress is told;
//   - a <noscript> note, since without script there is no solution;
//   - this script, whose data-pow-worker attribute is pow-worker.js's URL.
// The script fetches a challenge, solves it in a Web Worker (pow-worker.js)
// and puts the solution into the hidden input, base64 JSON {algorithm,
// challenge, number, salt, signature}. Until then the form's submit buttons
// are aria-disabled and a press is held: the form is sent as soon as the
// solution is in. A solution is good for one submission and a few minutes,
// so a new one is solved shortly before the challenge expires.
(function () {
  "use strict";
  var me = document.currentScript;
  var form = document.querySelector("form[data-pow-url]");
  if (!form || !me) {
    return;
  }
  var input = form.querySelector('input[name="proofOfWork"]');
  var status = form.querySelector("[data-pow-status]");
  var workerURL = me.getAttribute("data-pow-worker");
  var buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  var held = null; // the button pressed before the solution was in
  var solved = false;
  var renewal = 0;
  var waiting = ". We'll continue as soon as it's done.";

  function say(text) {
    if (status && status.textContent !== text) {
      status.textContent = text;
    }
  }

  function ready(on) {
    for (var i = 0; i < buttons.length; i++) {
      if (on) {
        buttons[i].removeAttribute("aria-disabled");
      } else {
        buttons[i].setAttribute("aria-disabled", "true");
      }
    }
  }

  // give up leaves the form usable: the server then says what is missing.
  function giveUp() {
    solved = true;
    ready(true);
    say("We couldn't check your browser. Reload the page to try again, or contact your help desk.");
    send();
  }

  function send() {
    if (!held) {
      return;
    }
    var b = held;
    held = null;
    if (!form.requestSubmit) {
      form.submit();
    } else if (b.form === form) {
      form.requestSubmit(b); // sends the pressed button's name and value too
    } else {
      form.requestSubmit();
    }
  }

  // expiresAt reads when the challenge stops being accepted from its salt
  // ("…?expires=<Unix seconds>&…"), in milliseconds; 0 when it says nothing.
  function expiresAt(salt) {
    var m = /[?&]expires=(\d+)/.exec(salt);
    return m ? parseInt(m[1], 10) * 1000 : 0;
  }

  function encode(c, number) {
    return btoa(JSON.stringify({
      algorithm: c.algorithm, challenge: c.challenge, number: number, salt: c.salt, signature: c.signature
    }));
  }

  function start() {
    solved = false;
    input.value = "";
    ready(false);
    say("Checking your browser… 0%");
    fetch(form.getAttribute("data-pow-url"), {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
    })
      .then(function (r) {
        if (!r.ok) {
          throw new Error("status " + r.status);
        }
        return r.json();
      })
      .then(function (c) {
        var worker = new Worker(workerURL);
        worker.onmessage = function (e) {
          var m = e.data;
          if (typeof m.progress === "number") {
            // Every tenth, so a screen reader is not talked over.
            if (m.progress % 10 === 0) {
              say("Checking your browser… " + m.progress + "%" + (held ? waiting : ""));
            }
            return;
          }
          worker.terminate();
          if (typeof m.number !== "number") {
            giveUp();
            return;
          }
          input.value = encode(c, m.number);
          solved = true;
          ready(true);
          say("Your browser is checked. You can continue.");
          var ends = expiresAt(c.salt);
          if (ends) {
            // Solve again a little before this one expires, unless it was sent.
            window.clearTimeout(renewal);
            renewal = window.setTimeout(start, Math.max(ends - Date.now() - 30000, 1000));
          }
          send();
        };
        worker.onerror = function () {
          worker.terminate();
          giveUp();
        };
        worker.postMessage(c);
      })
      .catch(giveUp);
  }

  form.addEventListener("submit", function (e) {
    if (solved) {
      window.clearTimeout(renewal);
      return;
    }
    e.preventDefault();
    held = e.submitter || buttons[0] || form;
    say("Still checking your browser" + waiting);
  });
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function (e) {
      // aria-disabled keeps the button focusable and announced; the press is
      // held by the submit handler above rather than lost.
      if (!solved && e.currentTarget.getAttribute("aria-disabled") === "true") {
        e.preventDefault();
        held = e.currentTarget;
        say("Still checking your browser" + waiting);
      }
    });
  }

  if (!window.Worker || !window.fetch || !window.crypto || !window.crypto.subtle || !input) {
    giveUp();
    return;
  }
  start();
})();

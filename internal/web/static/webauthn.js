// webauthn.js runs a security-key or passkey ceremony in the browser and hands
// the answer to the server as an ordinary form post. The server verifies it;
// nothing here decides anything.
//
// Form contract (page templates follow it):
//
//   <form method="post" action="…" data-webauthn="create|get|passkey"
//         [data-mediation="conditional"] [data-webauthn-options="ID"]>
//     <script type="application/json" id="webauthn-options">{"publicKey": …}</script>
//     <input type="hidden" name="credential">
//     <p aria-live="polite"></p>
//     <button type="button" data-webauthn-start>Use your security key</button>
//   </form>
//
// - data-webauthn: "create" registers a key (navigator.credentials.create);
//   "get" signs in with one of the member's keys (allowCredentials in the
//   options); "passkey" signs in with a discoverable key (no user name).
// - The options are go-webauthn's JSON, wrapped ({"publicKey": {…}}) or not, in
//   a JSON data block: CSP lets it be, as it is never executed. Its id is
//   "webauthn-options" unless the form names another in data-webauthn-options
//   (for a page with two ceremonies). Render it with html/template from a
//   json.RawMessage or a value, never with template.JS of text from outside.
// - On success the script puts JSON.stringify(credential.toJSON()) into the
//   hidden field named "credential" and submits the form; the other fields
//   (ceremony ID and the like) go along untouched.
// - The first [aria-live] element inside the form gets progress and errors.
// - A ceremony starts only on a click of [data-webauthn-start] (browsers want a
//   user gesture, and a prompt nobody asked for is alarming). The one
//   exception: a passkey form with data-mediation="conditional" also offers
//   its keys in the browser's autofill of a field marked
//   autocomplete="username webauthn", where the browser supports it.
// - Load it deferred (<script src="{{asset "webauthn.js"}}" defer>): it looks
//   for the forms once, when the document has been parsed.
// - Without script the button does nothing: the page should say so in a
//   <noscript> and offer the other ways to sign in.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-webauthn]");
  if (!forms.length) {
    return;
  }

  var MSG_FOLLOW = "Follow your browser's steps to use your security key.";
  var MSG_FAILED = "Your browser didn't finish. Try again, or choose another way.";
  var MSG_REGISTERED = "This security key is already registered. Use another one, or choose another way.";
  var MSG_UNSUPPORTED = "This browser can't use security keys here.";

  var PKC = window.PublicKeyCredential;
  // Current Chromium, Firefox and Safari have the JSON helpers; an older
  // browser would need base64url glue we would rather not carry.
  var supported = !!(PKC && navigator.credentials && PKC.parseCreationOptionsFromJSON &&
    PKC.parseRequestOptionsFromJSON && PKC.prototype.toJSON);

  Array.prototype.forEach.call(forms, setUp);

  function setUp(form) {
    var kind = form.getAttribute("data-webauthn");
    var live = form.querySelector("[aria-live]");
    var button = form.querySelector("[data-webauthn-start]");
    var pending = null; // the AbortController of a conditional request
    var busy = false;

    function say(message) {
      if (live) {
        live.textContent = message;
      }
    }

    if (!supported) {
      say(MSG_UNSUPPORTED);
      return;
    }

    // run asks the browser for a credential and submits it. A conditional
    // request is quiet: it waits in autofill and says nothing unless it fails
    // for a reason other than our own abort.
    function run(conditional) {
      var request;
      try {
        var options = readOptions(form);
        if (kind === "create") {
          request = navigator.credentials.create({ publicKey: PKC.parseCreationOptionsFromJSON(options) });
        } else {
          var ask = { publicKey: PKC.parseRequestOptionsFromJSON(options) };
          if (conditional) {
            pending = new AbortController();
            ask.mediation = "conditional";
            ask.signal = pending.signal;
          }
          request = navigator.credentials.get(ask);
        }
      } catch (e) {
        // Options missing or malformed: a fault of the page, not the person's.
        request = Promise.reject(e);
      }
      var mine = pending;
      request.then(function (credential) {
        if (!credential) {
          throw new DOMException("no credential", "NotAllowedError");
        }
        var field = form.querySelector('input[name="credential"]');
        if (!field) {
          field = document.createElement("input");
          field.type = "hidden";
          field.name = "credential";
          form.appendChild(field);
        }
        field.value = JSON.stringify(credential.toJSON());
        if (button) {
          button.disabled = true; // one submission
        }
        form.submit();
      }).catch(function (err) {
        if (conditional && mine && mine.signal.aborted) {
          return; // we stopped it to start the button's request
        }
        busy = false;
        if (err && err.name === "InvalidStateError" && kind === "create") {
          say(MSG_REGISTERED);
        } else {
          say(MSG_FAILED);
        }
        if (!conditional) {
          offerAutofill(); // the button's request made it give way
        }
      });
    }

    if (button) {
      button.addEventListener("click", function () {
        if (busy) {
          return;
        }
        busy = true;
        // Only one request may be pending: the autofill one gives way.
        if (pending) {
          pending.abort();
          pending = null;
        }
        say(MSG_FOLLOW);
        run(false);
      });
    }

    // offerAutofill puts the passkeys into the browser's autofill, where the
    // form asks for it and the browser can.
    function offerAutofill() {
      if (kind === "passkey" && form.getAttribute("data-mediation") === "conditional" &&
          PKC.isConditionalMediationAvailable) {
        PKC.isConditionalMediationAvailable().then(function (yes) {
          if (yes && !busy && !pending) {
            run(true);
          }
        }, function () {});
      }
    }

    offerAutofill();
  }

  // readOptions returns the ceremony options of form, unwrapped from
  // go-webauthn's {"publicKey": …}.
  function readOptions(form) {
    var id = form.getAttribute("data-webauthn-options") || "webauthn-options";
    var el = document.getElementById(id);
    var options = JSON.parse(el.textContent);
    return options && options.publicKey ? options.publicKey : options;
  }
})();

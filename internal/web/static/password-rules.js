// password-rules.js tells a member, while they type a new password, which of
// the rules it does not meet yet. The server stays the authority: it checks
// every rule again on submit, and the list of common passwords is checked only
// there. Without this script the form works the same, with the hint and the
// server's reasons.
//
// Attribute contract (any page may reuse it):
//   <form data-password-rules
//         data-password-minimum="12"            the organization's minimum length
//         data-password-words="ada@x.com|Ada Lovelace|Contoso"
//                                               names the password may not contain,
//                                               separated by "|"
//         data-password-new="newPassword"       id of the new-password input
//         data-password-confirm="confirmPassword"  optional: id of the confirmation
//         data-password-current="currentPassword"  optional: id of the current password>
// The reasons go into the element with id "<new id>-rules" (created after the
// input when missing), which should be a <ul aria-live="polite" hidden> and be
// named in the input's aria-describedby. Names count as the server counts them:
// ignoring case, an address by the part before "@", each name whole and split
// at anything that is not a letter or digit, parts shorter than 3 ignored.
(function () {
  "use strict";

  var MAX = 256;
  var MIN_WORD = 3;

  function chars(s) {
    return Array.from(s).length;
  }

  function terms(words) {
    var out = [];
    words.forEach(function (w) {
      w = w.trim().toLowerCase();
      var at = w.indexOf("@");
      if (at >= 0) {
        w = w.slice(0, at);
      }
      var add = function (t) {
        if (chars(t) >= MIN_WORD) {
          out.push(t);
        }
      };
      add(w);
      var parts = w.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      if (parts.length > 1) {
        parts.forEach(add);
      }
    });
    return out;
  }

  function setup(form) {
    var byId = function (name) {
      var id = form.getAttribute(name);
      return id ? document.getElementById(id) : null;
    };
    var input = byId("data-password-new");
    if (!input) {
      return;
    }
    var confirm = byId("data-password-confirm");
    var current = byId("data-password-current");
    var minimum = parseInt(form.getAttribute("data-password-minimum"), 10) || 8;
    var names = terms((form.getAttribute("data-password-words") || "").split("|"));

    var list = document.getElementById(input.id + "-rules");
    if (!list) {
      list = document.createElement("ul");
      list.id = input.id + "-rules";
      list.className = "password-rules";
      list.setAttribute("aria-live", "polite");
      list.hidden = true;
      input.insertAdjacentElement("afterend", list);
    }

    var shown = "";

    function reasons() {
      var pw = input.value;
      var out = [];
      var n = chars(pw);
      if (n < minimum) {
        out.push("Use at least " + minimum + " characters.");
      }
      if (n > MAX) {
        out.push("Use at most " + MAX + " characters.");
      }
      var lower = pw.toLowerCase();
      if (names.some(function (t) { return lower.indexOf(t) >= 0; })) {
        out.push("Don't use your name, your user name or your organization's name.");
      }
      if (current && pw !== "" && pw === current.value) {
        out.push("Use a password different from your current one.");
      }
      if (confirm && confirm.value !== "" && confirm.value !== pw) {
        out.push("The two new passwords don't match yet.");
      }
      return out;
    }

    function update() {
      if (input.value === "" && (!confirm || confirm.value === "")) {
        list.hidden = true;
        list.textContent = "";
        shown = "";
        return;
      }
      var out = reasons();
      var met = out.length === 0;
      if (met) {
        out = ["Meets the rules so far. We'll also check it isn't a common password when you continue."];
      }
      var key = out.join("\n");
      if (key === shown) {
        return; // unchanged: don't make screen readers repeat it
      }
      shown = key;
      list.textContent = "";
      out.forEach(function (text) {
        var li = document.createElement("li");
        li.className = met ? "met" : "unmet";
        li.textContent = text;
        list.appendChild(li);
      });
      list.hidden = false;
    }

    [input, confirm, current].forEach(function (el) {
      if (el) {
        el.addEventListener("input", update);
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-password-rules]"), setup);
})();

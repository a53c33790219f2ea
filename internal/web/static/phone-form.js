// phone-form.js hides "Text me a code" while a phone type that can only be
// called (an office or alternate mobile phone) is chosen, so the form never
// offers what will be refused. It only helps: the server checks the choice on
// Next, and without script every way is shown.
(function () {
  "use strict";
  var types = document.querySelectorAll('input[name="phoneType"][data-channels]');
  if (!types.length) {
    return;
  }
  var choices = document.querySelectorAll("[data-channel]");

  function update() {
    var allowed = null;
    for (var i = 0; i < types.length; i++) {
      if (types[i].checked) {
        allowed = " " + types[i].getAttribute("data-channels") + " ";
      }
    }
    if (allowed === null) {
      return;
    }
    var firstShown = null;
    var checkedHidden = false;
    for (var j = 0; j < choices.length; j++) {
      var li = choices[j];
      var radio = li.querySelector('input[type="radio"]');
      var ok = allowed.indexOf(" " + li.getAttribute("data-channel") + " ") >= 0;
      li.hidden = !ok;
      if (radio) {
        radio.disabled = !ok;
        if (!ok && radio.checked) {
          radio.checked = false;
          checkedHidden = true;
        }
        if (ok && !firstShown) {
          firstShown = radio;
        }
      }
    }
    if (checkedHidden && firstShown) {
      firstShown.checked = true;
    }
  }

  for (var k = 0; k < types.length; k++) {
    types[k].addEventListener("change", update);
  }
  update();
})();

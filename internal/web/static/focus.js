// focus.js moves keyboard focus to the error summary when a form comes back with
// errors, so keyboard and screen-reader users start where the problem is told.
// Without it the page still works: the summary is at the top and links to fields.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();

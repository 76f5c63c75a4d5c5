// Switches the language as soon as one is chosen; without JavaScript the form's button does it.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var select = document.getElementById("language");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
});

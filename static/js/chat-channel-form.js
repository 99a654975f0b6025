// The channel form shows the settings of the chosen type only (without script, all of them show,
// each labelled with its type, and the server keeps only the chosen type's).
(function () {
  "use strict";
  var type = document.querySelector('select[name="type"]');
  if (!type) return;
  function show() {
    document.querySelectorAll("fieldset[data-channel-type]").forEach(function (fieldset) {
      fieldset.hidden = fieldset.getAttribute("data-channel-type") !== type.value;
    });
  }
  type.addEventListener("change", show);
  show();
})();

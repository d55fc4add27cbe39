// Puts the keyboard on the first field the server marked as wrong (aria-invalid), so that a
// person who sent the form lands where to correct it. The form works without this script: the
// errors are in the page, each linked to its field by aria-describedby.
(function () {
  "use strict";
  var first = document.querySelector('form [aria-invalid="true"]');
  if (!first) { return; }
  // An error inside a closed <details> (the agency section) opens it first.
  var box = first.closest("details");
  if (box) { box.open = true; }
  first.focus();
})();

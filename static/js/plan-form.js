// Filter the place list as the person types, in any of the three scripts.
(function () {
  var input = document.getElementById("place-filter");
  var list = document.getElementById("place-list");
  if (!input || !list) return;
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    list.querySelectorAll("tr[data-names]").forEach(function (row) {
      row.hidden = q !== "" && row.getAttribute("data-names").indexOf(q) === -1;
    });
  });
})();

// Drag a stop within its day to reorder the day (the ↑ ↓ buttons do the same without a script):
// the new order is posted with the day's reorder form, and the server re-times the day.
(function () {
  "use strict";
  document.querySelectorAll("ol.items[data-day]").forEach(function (list) {
    var day = list.getAttribute("data-day");
    var form = list.parentNode.querySelector("form.reorder-drop");
    var stops = list.querySelectorAll("li.visit[data-id]");
    if (!form || stops.length < 2) return;
    var hint = list.parentNode.querySelector(".reorder-hint");
    if (hint) hint.hidden = false;
    var dragged = null;
    stops.forEach(function (li) {
      li.draggable = true;
      li.addEventListener("dragstart", function (event) {
        dragged = li;
        li.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", li.getAttribute("data-id"));
      });
      li.addEventListener("dragend", function () {
        li.classList.remove("dragging");
      });
      li.addEventListener("dragover", function (event) {
        if (dragged && dragged !== li) event.preventDefault();
      });
      li.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || dragged === li) return;
        var box = li.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? li.nextSibling : li);
        submit();
      });
    });
    function submit() {
      form.querySelectorAll("input[name=order]").forEach(function (input) {
        input.remove();
      });
      list.querySelectorAll("li.visit[data-id]").forEach(function (li) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "order";
        input.value = li.getAttribute("data-id");
        form.appendChild(input);
      });
      form.querySelector("input[name=day]").value = day;
      form.submit();
    }
  });
})();

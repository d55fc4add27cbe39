// Polls the batch job's status and shows its progress; texts come from data-* attributes.
(function () {
  "use strict";
  var box = document.getElementById("batch-job");
  if (!box) { return; }
  var bar = document.getElementById("batch-progress");
  var count = document.getElementById("batch-count");
  var state = document.getElementById("batch-state");
  var rows = document.getElementById("batch-rows");
  var download = document.getElementById("batch-download");

  function showRows(list) {
    while (rows.firstChild) { rows.removeChild(rows.firstChild); }
    list.forEach(function (row) {
      var li = document.createElement("li");
      li.className = row.ok ? "ok" : "notice notice-red";
      li.appendChild(document.createTextNode(box.dataset.textLine + " " + row.line + ": "));
      // The agency's own text sits in <bdi>, as the server writes it: a right-to-left mark in
      // a title cannot reorder the words around it.
      function isolated(text) {
        var bdi = document.createElement("bdi");
        bdi.textContent = text;
        return bdi;
      }
      if (row.ok) {
        var a = document.createElement("a");
        a.href = row.share_path;
        a.appendChild(isolated(row.title || row.plan_id));
        li.appendChild(a);
      } else {
        li.appendChild(isolated(row.title));
        // Every problem of the row, one per line (the server's page does the same).
        var list = document.createElement("ul");
        list.className = "row-errors";
        row.errors.forEach(function (text) {
          var item = document.createElement("li");
          item.textContent = text;
          list.appendChild(item);
        });
        li.appendChild(document.createTextNode(" — "));
        li.appendChild(list);
      }
      rows.appendChild(li);
    });
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var job = body.job;
        bar.max = job.total;
        bar.value = job.done;
        count.textContent = job.done + " / " + job.total;
        showRows(job.rows);
        if (job.status === "done") {
          state.textContent = box.dataset.textDone;
          if (job.download) { download.hidden = false; }
        } else if (job.status === "failed") {
          state.textContent = box.dataset.textFailed;
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();

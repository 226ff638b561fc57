// Drag-and-drop ordering of course-pack items. Without JavaScript the Up and
// Down buttons do the same through plain forms.
(function () {
  "use strict";
  var list = document.querySelectorAll("section.item[data-item]");
  if (!list.length || !window.fetch) { return; }
  var dragged = null;
  list.forEach(function (el) {
    el.setAttribute("draggable", "true");
    el.classList.add("draggable");
    el.addEventListener("dragstart", function (e) {
      dragged = el;
      el.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", el.dataset.item);
    });
    el.addEventListener("dragend", function () { el.classList.remove("dragging"); });
    el.addEventListener("dragover", function (e) {
      if (dragged && dragged !== el) { e.preventDefault(); el.classList.add("drop-target"); }
    });
    el.addEventListener("dragleave", function () { el.classList.remove("drop-target"); });
    el.addEventListener("drop", function (e) {
      e.preventDefault();
      el.classList.remove("drop-target");
      if (!dragged || dragged === el) { return; }
      var url = "/api/packs/" + encodeURIComponent(dragged.dataset.pack) + "/items/" + encodeURIComponent(dragged.dataset.item);
      fetch(url, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        // The item joins the heading of the item it is dropped on, so the
        // items of one heading stay together.
        body: JSON.stringify({ position: parseInt(el.dataset.position, 10), group: el.dataset.group || "" })
      }).then(function (r) {
        if (!r.ok) { throw new Error("move failed: " + r.status); }
        window.location.reload();
      }).catch(function (err) { window.alert(err.message); });
    });
  });
})();

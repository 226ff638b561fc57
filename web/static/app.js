// Progressive enhancement for the search page: suggestions as you type
// (an ARIA combobox driven by the keyboard or the mouse), the filter drawer
// folded on small screens, and "copy citation" buttons. Every feature works
// without this file through plain links and forms.
(function () {
  "use strict";

  // --- suggestions ---
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (input && list && window.fetch) {
    var items = [], active = -1, timer = null, lastQuery = "", controller = null;
    var close = function () {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var highlight = function (i) {
      items.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); } else { input.removeAttribute("aria-activedescendant"); }
    };
    var show = function (suggestions) {
      list.innerHTML = ""; items = []; active = -1;
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.url = s.url;
        var text = document.createElement("span");
        text.className = "s-text"; text.textContent = s.text;
        li.appendChild(text);
        if (s.detail) {
          var detail = document.createElement("span");
          detail.className = "s-detail"; detail.textContent = s.detail;
          li.appendChild(detail);
        }
        var kind = document.createElement("span");
        kind.className = "s-kind"; kind.textContent = list.dataset["kind" + s.kind.charAt(0).toUpperCase() + s.kind.slice(1)] || s.kind;
        li.insertBefore(kind, li.firstChild);
        li.className = "s-" + s.kind;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = s.url; });
        list.appendChild(li); items.push(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    };
    var fetchSuggestions = function () {
      var q = input.value.trim();
      if (q === lastQuery) { return; }
      lastQuery = q;
      if (q.length < 2) { close(); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch("/api/suggest?n=8&q=" + encodeURIComponent(q), { credentials: "same-origin", signal: controller ? controller.signal : undefined })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (d) { if (input.value.trim() === q) { show(d.suggestions || []); } })
        .catch(function () {});
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(fetchSuggestions, 120); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden || !items.length) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].dataset.url; }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // --- the filter drawer is folded on small screens ---
  var drawer = document.querySelector("details.drawer");
  if (drawer && window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
    drawer.removeAttribute("open");
  }

  // --- copy citation ---
  document.querySelectorAll("button.copy[data-copy]").forEach(function (b) {
    if (!navigator.clipboard) { return; }
    b.hidden = false;
    b.addEventListener("click", function () {
      navigator.clipboard.writeText(b.dataset.copy).then(function () {
        var label = b.textContent;
        b.textContent = b.dataset.done;
        setTimeout(function () { b.textContent = label; }, 1500);
      });
    });
  });

  // --- a hit opened on a document page is brought into view ---
  if (location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) { target.scrollIntoView(); }
  }
})();

// "Add to course pack" on search hits: the form posts to /packs/add and comes
// back to these results; with script it calls the JSON API instead (same
// origin, application/json: the API needs no form token) and confirms
// beside the hit without reloading.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.addpack");
  if (!forms.length || !window.fetch) { return; }
  var api = function (url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    });
  };
  var text = function (tag, s, cls) {
    var el = document.createElement(tag);
    el.textContent = s;
    if (cls) { el.className = cls; }
    return el;
  };
  // Every form learns of a pack created from one of them, so the next
  // section goes into it rather than into yet another new pack.
  var learn = function (pack) {
    forms.forEach(function (f) {
      var sel = f.querySelector("select[name=pack]");
      if (sel) {
        if (!sel.querySelector('option[value="' + CSS.escape(pack.id) + '"]')) {
          var opt = text("option", pack.title);
          opt.value = pack.id;
          sel.insertBefore(opt, sel.querySelector('option[value="new"]'));
        }
        return;
      }
      var hidden = f.querySelector("input[name=pack]");
      if (hidden && hidden.value === "new") {
        hidden.value = pack.id;
        f.querySelector("button[type=submit]").textContent = f.dataset.add;
      }
    });
  };
  forms.forEach(function (form) {
    var status = form.nextElementSibling;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var sel = form.querySelector("select[name=pack]");
      var id = sel ? sel.value : form.querySelector("input[name=pack]").value;
      var title = sel && sel.selectedOptions.length ? sel.selectedOptions[0].textContent : "";
      button.disabled = true;
      var pack = id === "new"
        ? api("/api/packs", { title: form.dataset.newTitle }).then(function (p) { learn(p); return p; })
        : Promise.resolve({ id: id, title: title });
      pack.then(function (p) {
        return api("/api/packs/" + encodeURIComponent(p.id) + "/items", {
          doc_id: form.elements.doc_id.value, section_id: form.elements.section_id.value
        }).then(function (item) {
          if (sel) { sel.value = p.id; }
          status.textContent = "";
          var parts = form.dataset.added.split("%s");
          var msg = document.createElement("p");
          msg.className = "notice";
          msg.appendChild(document.createTextNode(parts[0] + p.title + (parts[1] || "") + " "));
          var a = text("a", form.dataset.open);
          a.href = "/packs/" + encodeURIComponent(p.id) + "#item-" + encodeURIComponent(item.id);
          msg.appendChild(a);
          status.appendChild(msg);
          if (item.warning) { status.appendChild(text("p", form.dataset.raised, "notice error")); }
        });
      }).catch(function (err) {
        status.textContent = "";
        status.appendChild(text("p", form.dataset.failed.replace("%s", err.message), "notice error"));
      }).then(function () { button.disabled = false; });
    });
  });
})();

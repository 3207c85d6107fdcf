// xiaowu: progressive enhancement only. Everything works without it; with it, long lists filter.
(function () {
  "use strict";
  function rows(tableId) {
    var table = document.getElementById(tableId);
    return table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-xw-filter]"), function (input) {
    input.closest(".xw-filter").hidden = false;
    input.addEventListener("input", function () {
      var query = input.value.replace(/\s+/g, "");
      rows(input.getAttribute("data-xw-filter")).forEach(function (row) {
        row.hidden = query !== "" && row.cells[0].textContent.indexOf(query) === -1;
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-xw-county-filter]"), function (select) {
    select.closest(".xw-filter").hidden = false;
    select.addEventListener("change", function () {
      rows(select.getAttribute("data-xw-county-filter")).forEach(function (row) {
        row.hidden = select.value !== "" && row.getAttribute("data-county") !== select.value;
      });
    });
  });

  // Print button: the school page's print styles are the A4 notice for the school gate.
  Array.prototype.forEach.call(document.querySelectorAll("[data-xw-print]"), function (button) {
    button.closest(".xw-print-button").hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Search with Pagefind (Chinese word segmentation). Results are built from text nodes only: the
  // excerpt's <mark> tags are recreated, nothing else from the index becomes markup.
  var PAGE = 10;
  function appendExcerpt(target, html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    Array.prototype.forEach.call(doc.body.firstChild.childNodes, function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        target.appendChild(mark);
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-xw-search]"), function (form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".xw-search-status");
    var list = form.querySelector(".xw-search-results");
    var more = form.querySelector(".xw-search-more");
    var bundle = new URL(form.getAttribute("data-xw-search"), document.baseURI).href;
    var root = new URL(form.getAttribute("data-xw-root"), document.baseURI).pathname;
    var engine = null, results = [], shown = 0, latest = 0, timer = null;
    form.hidden = false;
    function load() {
      if (!engine) {
        engine = import(bundle).then(function (pagefind) {
          return pagefind.options({ baseUrl: root, excerptLength: 24 }).then(function () { return pagefind; });
        });
      }
      return engine;
    }
    function showMore() {
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (item) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = item.url;
          a.textContent = (item.meta && item.meta.title) || item.url;
          li.appendChild(a);
          // The page's own summary (county, stages, this term's fees) with Chinese punctuation, then
          // where the words were found; both built from text only.
          if (item.meta && item.meta.summary) {
            var summary = document.createElement("p");
            summary.className = "xw-search-summary";
            summary.textContent = item.meta.summary;
            li.appendChild(summary);
          }
          var p = document.createElement("p");
          appendExcerpt(p, (item.excerpt || "").replace(/\.\.\.|…+/g, "……"));
          if (p.textContent.trim()) {
            p.insertBefore(document.createTextNode("相关内容："), p.firstChild);
            li.appendChild(p);
          }
          list.appendChild(li);
        });
      });
    }
    function run() {
      var query = input.value.trim();
      var ticket = ++latest;
      list.textContent = "";
      more.hidden = true;
      if (!query) { status.textContent = ""; return; }
      status.textContent = "正在查找…";
      load().then(function (pagefind) { return pagefind.search(query); }).then(function (search) {
        if (ticket !== latest) return;
        results = search.results;
        shown = 0;
        status.textContent = results.length ? "找到 " + results.length + " 个结果" : "没有找到“" + query + "”，请换个说法，或按县区查找。";
        return showMore();
      }).catch(function () {
        status.textContent = "搜索暂时不可用，请按县区查找。";
      });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
    more.addEventListener("click", function () { showMore(); });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) { input.value = initial; run(); }
  });
})();

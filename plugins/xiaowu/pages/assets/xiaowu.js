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

  // Search with Pagefind. The index holds spelled words, not Chinese text (see
  // plugins/xiaowu/pages/searchwords.py): a query is spelled the same way here, so the browser never
  // segments Chinese differently from the index. Results are built from text nodes only, from the
  // page's own metadata (title, summary, fee items), never from markup in the index.
  var PAGE = 10;
  function terms(text) {
    return text.normalize("NFKC").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function spell(term) {
    var out = "";
    Array.from(term).forEach(function (char) {
      var digits = char.codePointAt(0).toString(36);
      out += "0000".slice(digits.length) + digits;
    });
    return out;
  }
  function spelled(text) { return terms(text).map(spell).join(" "); }
  function joined(text) { return terms(text).join(""); }
  // The forbidden fee whose names the query is, or is part of ("补课" → 补课费), else null.
  function forbiddenFee(list, query) {
    var asked = joined(query);
    if (asked.length < 2) return null;
    return list.filter(function (fee) {
      return fee.terms.concat([fee.item]).some(function (name) {
        var key = joined(name);
        return key && (asked.indexOf(key) !== -1 || key.indexOf(asked) !== -1);
      });
    })[0] || null;
  }
  // The fee lines of a result that the query names (both 住宿费 rows for "住宿费"), else none.
  function matchingFees(fees, query) {
    var wanted = terms(query);
    return (fees || "").split("；").filter(function (line) {
      var name = joined(line.split(" ")[0]);
      return line && wanted.some(function (term) { return name.indexOf(term) !== -1; });
    });
  }
  // A result's metadata as written (searchwords.shown moved every character to U+F0000 + its code
  // point, so that Pagefind indexes none of it): moved back.
  function unshown(text) {
    return (text || "").replace(/[\u{F0000}-\u{FFFFF}]/gu, function (char) {
      return String.fromCodePoint(char.codePointAt(0) - 0xF0000);
    });
  }
  window.xiaowuSearchTerms = spelled;  // the browser tests compare this with searchwords.query
  window.xiaowuSearchUnshown = unshown;  // and this with searchwords.unshown
  Array.prototype.forEach.call(document.querySelectorAll("form[data-xw-search]"), function (form) {
    var input = form.querySelector("input[type=search]");
    var status = form.querySelector(".xw-search-status");
    var list = form.querySelector(".xw-search-results");
    var more = form.querySelector(".xw-search-more");
    var bundle = new URL(form.getAttribute("data-xw-search"), document.baseURI).href;
    var root = new URL(form.getAttribute("data-xw-root"), document.baseURI).pathname;
    var forbidden = JSON.parse(form.getAttribute("data-xw-forbidden") || "[]");
    var forbiddenList = form.getAttribute("data-xw-forbidden-list");
    var engine = null, results = [], shown = 0, latest = 0, timer = null, asked = "";
    form.hidden = false;
    function load() {
      if (!engine) {
        engine = import(bundle).then(function (pagefind) {
          return pagefind.options({ baseUrl: root }).then(function () { return pagefind; });
        });
      }
      return engine;
    }
    function find(query) {
      return load().then(function (pagefind) { return pagefind.search(spelled(query)); });
    }
    window.xiaowuSearch = find;
    function paragraph(className, text) {
      var p = document.createElement("p");
      p.className = className;
      p.textContent = text;
      return p;
    }
    function showMore() {
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      more.hidden = shown >= results.length;
      var ticket = latest;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        if (ticket !== latest) return;  // a newer query has cleared the list meanwhile
        items.forEach(function (item) {
          var meta = {};
          Object.keys(item.meta || {}).forEach(function (key) { meta[key] = unshown(item.meta[key]); });
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = item.url;
          a.textContent = meta.title || item.url;
          li.appendChild(a);
          // For a fee query: who the school is, then the items asked for, each whole; else the summary.
          var fees = matchingFees(meta.fees, asked);
          var summary = fees.length && meta.about ? meta.about : meta.summary;
          if (summary) li.appendChild(paragraph("xw-search-summary", summary));
          if (fees.length) li.appendChild(paragraph("xw-search-fees", "本学期公示：" + fees.join("；")));
          list.appendChild(li);
        });
      });
    }
    function nothingFound(query) {
      var fee = forbiddenFee(forbidden, query);
      if (!fee) {
        status.textContent = "没有找到“" + query + "”。可以输入校名中相连的几个字、县区名或收费项目名称" +
          "（不相连的词用空格隔开，如“宝安区 小学”），或按县区查找。";
        return;
      }
      status.textContent = "没有学校的本学期收费公示有“" + query + "”。" + fee.item + "是禁止收取的费用（" + fee.basis +
        "），任何学校都不得以任何名义收取；被收取时可以拒交并投诉。";
      if (forbiddenList) {
        var link = document.createElement("a");
        link.href = forbiddenList;
        link.textContent = "查看禁止收取的费用清单";
        status.appendChild(link);
      }
    }
    function run() {
      var query = input.value.trim();
      var ticket = ++latest;
      list.textContent = "";
      more.hidden = true;
      if (!spelled(query)) { status.textContent = ""; return; }
      status.textContent = "正在查找…";
      find(query).then(function (search) {
        if (ticket !== latest) return;
        results = search.results;
        shown = 0;
        asked = query;
        if (!results.length) { nothingFound(query); return; }
        // The count once the first results are on the page (what a screen reader announces is there).
        return showMore().then(function () {
          if (ticket === latest) status.textContent = "找到 " + results.length + " 个结果";
        });
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

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
})();

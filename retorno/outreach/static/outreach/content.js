// The public site's editor: a live count of characters under the fields that have a maximum
// (the description for search engines). Without JavaScript the hint states the maximum.
(function () {
  "use strict";
  document.querySelectorAll("form[data-count-text] [data-count-max]").forEach(function (field) {
    var max = Number(field.getAttribute("data-count-max"));
    var template = field.form.getAttribute("data-count-text");
    var count = document.createElement("p");
    count.className = "form-text mb-0";
    count.id = field.id + "-count";
    count.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", count);
    var describedby = (field.getAttribute("aria-describedby") || "").trim();
    field.setAttribute("aria-describedby", (describedby + " " + count.id).trim());
    function update() {
      var length = field.value.trim().replace(/\s+/g, " ").length;
      count.textContent = template.replace("{count}", length).replace("{max}", max);
      count.classList.toggle("text-danger", length > max);
      count.classList.toggle("fw-semibold", length > max);
    }
    field.addEventListener("input", update);
    update();
  });
})();

// The member index's filter: shows the filter box (hidden without JavaScript, where the
// list is shown whole) and hides the members whose name, Business ID or id do not contain
// what is typed, ignoring case and accents. Nothing is fetched: it works from file:// too.
(function () {
  'use strict';
  var box = document.getElementById('member-filter');
  var list = document.getElementById('member-list');
  if (!box || !list || !box.form) return;
  var fold = function (s) {
    return s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  };
  var items = Array.prototype.slice.call(list.children);
  var texts = items.map(function (li) {
    return fold((li.getAttribute('data-filter') || '') + ' ' + li.textContent);
  });
  var count = document.querySelector('#member-count .count');
  var apply = function () {
    var words = fold(box.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var t = texts[i];
      var ok = words.every(function (w) { return t.indexOf(w) !== -1; });
      items[i].hidden = !ok;
      if (ok) shown++;
    }
    if (count) count.textContent = String(shown);
  };
  box.form.addEventListener('submit', function (e) { e.preventDefault(); });
  box.addEventListener('input', apply);
  box.form.hidden = false;
  if (box.value) apply();
})();

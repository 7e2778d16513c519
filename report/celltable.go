package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"sweep/experiments"
)

// cellTable is index.html's table of every cell of the grid, one row per
// cell (its folds summarised) and one column per score of the schema
// (experiments.Scores), so that a new score appears here without a
// second list. The rows are in the HTML; the page's script only adds
// sorting and filters.
type cellTable struct {
	Caption string
	Columns []cellColumn
	Rows    []cellRow
}

// cellColumn is a column of the cell table.
type cellColumn struct {
	Name  string // the results.csv column
	Title string // the tooltip: what the column holds
	Axis  bool   // a grid axis: the script offers a filter on its values
	Empty bool   // no row has a value: the script hides it until asked
}

// cellRow is a cell: its name (linked to its pictures when it was
// inspected) and its values in column order after the name.
type cellRow struct {
	Name, Link string
	Best       bool
	Values     []string
}

// cellTableSection lists every cell of the sweep with all its scores.
// The summaries over a pooled axis are left out: they are not cells, and
// the per-score tables show them.
func cellTableSection(in indexInputs) htmlSection {
	t := newCellTable(in.s, in.sum, in.results, in.views)
	return htmlSection{ID: "all-cells", Title: "All cells", Blocks: []htmlBlock{{Cells: &t}}}
}

func newCellTable(s *experiments.Sweep, sum []experiments.Summary, results []*experiments.Result, views []CellView) cellTable {
	schema := experiments.Scores()
	t := cellTable{Columns: []cellColumn{{Name: "cell", Title: "the cell's name: reducer-components-clusters and its extra axes"}}}
	for _, k := range axisKeys(s) {
		t.Columns = append(t.Columns, cellColumn{Name: k, Title: "grid axis " + k, Axis: true})
	}
	t.Columns = append(t.Columns,
		cellColumn{Name: "reducer", Title: "grid axis reducer", Axis: true},
		cellColumn{Name: "components", Title: "grid axis components", Axis: true},
		cellColumn{Name: "clusters", Title: "grid axis clusters (k)", Axis: true},
		cellColumn{Name: "folds", Title: "folds with a defined silhouette"})
	for _, sc := range schema {
		t.Columns = append(t.Columns, cellColumn{Name: sc.Name, Title: sc.Title + ", " + aggWords(sc.Agg), Empty: true})
	}
	t.Columns = append(t.Columns, cellColumn{Name: "seconds", Title: "wall time of the cell's clustering and scoring, summed over its folds", Empty: true})
	seconds := map[experiments.Cell]float64{}
	for _, r := range results {
		if r != nil {
			c := r.Cell
			c.Fold = 0
			seconds[c] += r.Seconds
		}
	}
	link := map[string]string{} // cell name -> its first view's anchor
	for i, v := range views {
		if _, ok := link[v.Cell.Name()]; !ok {
			link[v.Cell.Name()] = cellViewID(i)
		}
	}
	first := len(t.Columns) - len(schema) - 1 // the first score's column
	for i := range sum {
		b := &sum[i]
		if b.Pooled != "" {
			continue
		}
		vals := cellValues(s, b.Cell)[1:]
		vals = append(vals, strconv.Itoa(b.Folds))
		for j, sc := range schema {
			vals = append(vals, scoreCell(sc, b.Stats[j]))
		}
		sec, ok := seconds[b.Cell]
		vals = append(vals, "")
		if ok {
			vals[len(vals)-1] = strconv.FormatFloat(sec, 'f', 3, 64)
		}
		for j := first; j < len(t.Columns); j++ {
			if vals[j-1] != "" {
				t.Columns[j].Empty = false
			}
		}
		t.Rows = append(t.Rows, cellRow{Name: b.Cell.Name(), Link: link[b.Cell.Name()], Best: b.Best, Values: vals})
	}
	empty := 0
	for _, c := range t.Columns {
		if c.Empty {
			empty++
		}
	}
	t.Caption = fmt.Sprintf("Every cell of the grid (%d), one row each: its axes and each score over its folds (mean ± sd, or as the column's tooltip says), "+
		"as summary.csv has them; results.csv has every fold. The best cell by mean silhouette is highlighted; an inspected cell's name links to its pictures. "+
		"With JavaScript, a click on a column's header sorts by it (again: the other way; empty values last) and the menus above filter by axis value; "+
		"the %d columns without any value in this run are hidden until asked for.", len(t.Rows), empty)
	return t
}

// aggWords says how a score's column summarises the folds.
func aggWords(a experiments.Aggregate) string {
	switch a {
	case experiments.MeanSD:
		return "mean ± sd over folds"
	case experiments.MeanOnly:
		return "mean over folds"
	case experiments.MinOnly:
		return "minimum over folds"
	}
	return "one value for the cell"
}

// scoreCell writes a score's summary as its column shows it: the mean ±
// sd, the mean, or the minimum; "" when undefined. The number comes first,
// so the page's script sorts on it.
func scoreCell(sc experiments.Score, st experiments.Stat) string {
	_, _, integer := sc.Domain()
	v := st.Mean
	if sc.Agg == experiments.MinOnly {
		v = st.Min
	}
	if math.IsNaN(v) {
		return ""
	}
	d := decimals(v, integer)
	out := strconv.FormatFloat(v, 'f', d, 64)
	if sc.Agg == experiments.MeanSD && !math.IsNaN(st.SD) {
		out += " ± " + strconv.FormatFloat(st.SD, 'f', d, 64)
	}
	return strings.Replace(out, "Inf", "Infinity", 1) // as JavaScript spells it
}

// decimals is how many decimals the cell table gives v: 4, or 1 from
// 1000 up; none for a whole count, 2 for a mean of counts.
func decimals(v float64, integer bool) int {
	switch {
	case integer && v == math.Trunc(v):
		return 0
	case integer:
		return 2
	case math.Abs(v) >= 1000:
		return 1
	}
	return 4
}

// cellTableJS sorts and filters the cell table in the browser. It reads
// the table the page already holds, loads nothing, and works from
// file://. Numbers sort as numbers (a "mean ± sd" cell by its mean), other
// columns in natural order; empty cells go last either way; ties keep the
// page's order.
const cellTableJS = `(function () {
  "use strict";
  var table = document.getElementById("cells");
  if (!table) { return; }
  var head = table.tHead.rows[0].cells;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var ncol = head.length;
  var texts = rows.map(function (r) {
    var out = [];
    for (var c = 0; c < ncol; c++) { out.push(r.cells[c].textContent.trim()); }
    return out;
  });
  var number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?( ± .*)?$|^[-+]?Infinity$/i;
  var numeric = [];
  for (var c = 0; c < ncol; c++) {
    var any = false, all = true;
    for (var i = 0; i < rows.length && all; i++) {
      var t = texts[i][c];
      if (t === "" || t === "n/a") { continue; }
      any = true;
      all = number.test(t);
    }
    numeric.push(any && all);
  }
  var collator = new Intl.Collator(undefined, {numeric: true, sensitivity: "base"});
  function key(i, c) {
    var t = texts[i][c];
    if (t === "" || t === "n/a") { return null; }
    return numeric[c] ? parseFloat(t) : t;
  }
  var sortCol = -1, dir = 1;
  function sortBy(c) {
    dir = sortCol === c ? -dir : 1;
    sortCol = c;
    var order = rows.map(function (r, i) { return i; });
    order.sort(function (a, b) {
      var x = key(a, c), y = key(b, c);
      if (x === null || y === null) {
        if (x === y) { return a - b; }
        return x === null ? 1 : -1;
      }
      var d = numeric[c] ? (x < y ? -1 : x > y ? 1 : 0) : collator.compare(x, y);
      return d * dir || a - b;
    });
    var frag = document.createDocumentFragment();
    order.forEach(function (i) { frag.appendChild(rows[i]); });
    body.appendChild(frag);
    for (var j = 0; j < ncol; j++) { head[j].removeAttribute("aria-sort"); }
    head[c].setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(head, function (th, c) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(c); });
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(c); }
    });
  });

  var controls = document.getElementById("cell-controls");
  var filters = [];
  function apply() {
    var shown = 0;
    rows.forEach(function (r, i) {
      var ok = filters.every(function (f) { return f.sel.value === "" || texts[i][f.col] === f.sel.value; });
      r.hidden = !ok;
      if (ok) { shown++; }
    });
    count.textContent = shown + " of " + rows.length + " cells shown";
  }
  Array.prototype.forEach.call(head, function (th, c) {
    if (!th.hasAttribute("data-axis")) { return; }
    var seen = {}, values = [];
    texts.forEach(function (t) {
      if (!Object.prototype.hasOwnProperty.call(seen, t[c])) { seen[t[c]] = true; values.push(t[c]); }
    });
    if (values.length < 2) { return; }
    if (numeric[c]) { values.sort(function (a, b) { return parseFloat(a) - parseFloat(b); }); }
    var label = document.createElement("label");
    label.textContent = th.getAttribute("data-axis") + " ";
    var sel = document.createElement("select");
    sel.name = "filter-" + th.getAttribute("data-axis");
    sel.setAttribute("data-col", c);
    var all = document.createElement("option");
    all.value = "";
    all.textContent = "all";
    sel.appendChild(all);
    values.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      sel.appendChild(o);
    });
    sel.addEventListener("change", apply);
    label.appendChild(sel);
    controls.appendChild(label);
    filters.push({col: c, sel: sel});
  });
  var empty = [];
  Array.prototype.forEach.call(head, function (th, c) { if (th.hasAttribute("data-empty")) { empty.push(c + 1); } });
  var style = document.createElement("style");
  document.head.appendChild(style);
  function hideEmpty(hide) {
    style.textContent = hide ? empty.map(function (n) { return "#cells tr > :nth-child(" + n + ")"; }).join(", ") + (empty.length ? " { display: none; }" : "") : "";
  }
  if (empty.length > 0) {
    var box = document.createElement("label");
    var cb = document.createElement("input");
    cb.type = "checkbox";
    cb.id = "show-empty";
    cb.addEventListener("change", function () { hideEmpty(!cb.checked); });
    box.appendChild(cb);
    box.appendChild(document.createTextNode(" show the " + empty.length + " empty columns"));
    controls.appendChild(box);
    hideEmpty(true);
  }
  var reset = document.createElement("button");
  reset.type = "button";
  reset.textContent = "reset filters";
  reset.addEventListener("click", function () { filters.forEach(function (f) { f.sel.value = ""; }); apply(); });
  controls.appendChild(reset);
  var count = document.createElement("span");
  count.id = "cells-count";
  controls.appendChild(count);
  apply();
  controls.hidden = false;
})();`

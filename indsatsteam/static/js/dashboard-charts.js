/* Bar charts drawn from the dashboard's own tables (progressive enhancement). Loaded with
   `defer` after vendor/chartjs/chart.umd.min.js, only on pages that ask for it. Without
   JavaScript, or if Chart.js is missing, the tables alone are shown; with it, the tables
   stay visible too: they are the accessible version of every chart.

   Contract (attributes on a <table>):
     data-chart="bar"                  required: draw a bar chart above the table.
     data-chart-columns="1,2"          which columns hold the figures, counted from 0 over
                                       the cells of a body row, so 0 is the row heading
                                       (tbody th[scope=row]) and 1 the first data column.
                                       One column = one series; default "1". Series names
                                       come from the thead headings of those columns.
     data-chart-label="…"              what the chart shows, for the canvas's aria-label
                                       ("Søjlediagram: <label>. Tallene står i tabellen
                                       nedenfor."); default: the table's caption.
     data-chart-orientation="vertical" vertical bars (e.g. months on the x axis); default
                                       horizontal bars, which fit long labels and 375 px.
     data-chart-max-rows="10"          chart only the first N body rows (tables sorted
                                       largest first give the top N); the aria-label says
                                       so. Default: every row.
   Labels come from the row headings (th[scope=row]); rows without one (e.g. an "Ingen …"
   row) are skipped, and a table without any gets no chart. A cell's figure is its
   data-value attribute if it has one, else the first number in its visible text (Danish
   format: 1.234,5; text in .sr-only is ignored); "–" or no number is a gap. */
(function () {
  "use strict";

  var Chart = window.Chart;
  if (typeof Chart === "undefined" || !document.querySelector) {
    return;
  }

  var LOCALE = "da-DK";
  // Det Fælles Designsystem's link blue, dark grey, green and brown: each at least 4.5:1
  // against the white background, and told apart by lightness, not only hue.
  var COLOURS = ["#004d99", "#767676", "#358000", "#8a4b00"];
  var TEXT = "#1a1a1a";
  var GRID = "#d9d9d9";
  var BAR_PX = 26;        // height of one horizontal bar row per series
  var LINE_PX = 17;       // height of one line of a wrapped row heading (14 px font)
  var AXES_PX = 56;       // room for the value axis (and the legend, added below)

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function visibleText(element) {
    var copy = element.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".sr-only"), function (hidden) {
      hidden.parentNode.removeChild(hidden);
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // "1.234,5" → 1234.5; "3 / 4" → 3; "–" → null.
  function parseDanish(text) {
    var match = /-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?/.exec(text.replace(/\u2212/g, "-"));
    if (!match) {
      return null;
    }
    return parseFloat(match[0].replace(/\./g, "").replace(",", "."));
  }

  function cellValue(cell) {
    if (!cell) {
      return null;
    }
    var raw = cell.getAttribute("data-value");
    if (raw !== null && raw !== "") {
      var number = parseFloat(raw);
      return isNaN(number) ? null : number;
    }
    return parseDanish(visibleText(cell));
  }

  function columns(table) {
    var list = (table.getAttribute("data-chart-columns") || "1").split(",")
      .map(function (part) { return parseInt(part, 10); })
      .filter(function (index) { return index > 0; });
    return list.length ? list : [1];
  }

  function headerCells(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    return rows.length ? rows[rows.length - 1].cells : [];
  }

  function readTable(table) {
    var chosen = columns(table);
    var heads = headerCells(table);
    var series = chosen.map(function (index) {
      return {label: heads[index] ? visibleText(heads[index]) : "Kolonne " + index, data: []};
    });
    var labels = [];
    var bodies = table.tBodies;
    for (var b = 0; b < bodies.length; b++) {
      for (var r = 0; r < bodies[b].rows.length; r++) {
        var row = bodies[b].rows[r];
        var heading = row.cells[0];
        if (!heading || heading.tagName !== "TH" || heading.getAttribute("scope") !== "row") {
          continue;
        }
        labels.push(visibleText(heading));
        chosen.forEach(function (index, s) {
          series[s].data.push(cellValue(row.cells[index]));
        });
      }
    }
    return {labels: labels, series: series};
  }

  function captionText(table) {
    return table.caption ? visibleText(table.caption).replace(/[.:]$/, "") : "";
  }

  function ariaLabel(table, shown, total) {
    var what = table.getAttribute("data-chart-label") || captionText(table);
    var text = "Søjlediagram" + (what ? ": " + what : "") + ".";
    if (shown < total) {
      text += " Diagrammet viser de første " + shown + " af " + total + " rækker.";
    }
    return text + " Tallene står i tabellen nedenfor.";
  }

  // A long row heading is wrapped onto at most three lines of `width` characters on the
  // axis (Chart.js draws an array as lines); the tooltip always has it in full.
  function wrap(label, width) {
    var lines = [];
    var line = "";
    label.replace(/§ /g, "§\u00a0").split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    lines = lines.map(function (text) {
      return text.length > width ? text.slice(0, width - 1) + "…" : text;
    });
    if (lines.length > 3) {
      lines = lines.slice(0, 3);
      lines[2] = lines[2].slice(0, width - 1) + "…";
    }
    return lines.length === 1 ? lines[0] : lines;
  }

  function allWhole(series) {
    return series.every(function (s) {
      return s.data.every(function (v) { return v === null || Math.round(v) === v; });
    });
  }

  function build(table) {
    var figures = readTable(table);
    var total = figures.labels.length;
    if (!total) {
      return;
    }
    var max = parseInt(table.getAttribute("data-chart-max-rows"), 10);
    var shown = max > 0 && max < total ? max : total;
    var labels = figures.labels.slice(0, shown);
    var series = figures.series.map(function (s) {
      return {label: s.label, data: s.data.slice(0, shown)};
    });
    var vertical = table.getAttribute("data-chart-orientation") === "vertical";
    var legend = series.length > 1;

    var figure = document.createElement("figure");
    figure.className = "dashboard-chart" + (vertical ? " dashboard-chart--vertical" : "");
    var box = document.createElement("div");
    box.className = "dashboard-chart__canvas";
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", ariaLabel(table, shown, total));
    canvas.textContent = "Tallene står i tabellen nedenfor.";
    box.appendChild(canvas);
    figure.appendChild(box);
    var anchor = table.closest(".table--responsive-scroll") || table;
    anchor.parentNode.insertBefore(figure, anchor);

    var narrow = box.clientWidth < 500;
    var width = narrow ? 16 : 30;
    var axisLabels = labels.map(function (label) { return wrap(label, width); });
    // Horizontal bars: the height follows the number of bars (and heading lines), so a long
    // list stays legible at 375 px. Set through the CSSOM, which the CSP allows.
    if (!vertical) {
      var rows = axisLabels.reduce(function (sum, label) {
        var lines = typeof label === "string" ? 1 : label.length;
        return sum + Math.max(series.length * BAR_PX, lines * LINE_PX + 8);
      }, 0);
      box.style.height = (rows + AXES_PX + (legend ? 32 : 0)) + "px";
      box.setAttribute("data-natural-height", box.style.height);
    }
    var valueAxis = {
      beginAtZero: true,
      grid: {color: GRID},
      border: {color: TEXT},
      ticks: {color: TEXT, maxRotation: 0, autoSkipPadding: 12}
    };
    if (allWhole(series)) {
      valueAxis.ticks.precision = 0;  // counts: no 0,5 ticks
    }
    var labelAxis = {
      grid: {display: false},
      border: {color: TEXT},
      ticks: {
        color: TEXT,
        autoSkip: vertical,
        callback: function (value, index) {
          return vertical ? wrap(String(this.getLabelForValue(value)), width)
            : axisLabels[index];
        }
      }
    };

    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: series.map(function (s, i) {
          return {
            label: s.label,
            data: s.data,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: COLOURS[i % COLOURS.length],
            borderWidth: 0,
            maxBarThickness: 40
          };
        })
      },
      options: {
        locale: LOCALE,
        indexAxis: vertical ? "x" : "y",
        responsive: true,
        maintainAspectRatio: vertical,
        aspectRatio: narrow ? 1.2 : 2,
        animation: reducedMotion() ? false : {duration: 400},
        scales: vertical ? {x: labelAxis, y: valueAxis} : {x: valueAxis, y: labelAxis},
        plugins: {
          legend: {display: legend, position: "bottom", labels: {color: TEXT}},
          tooltip: {
            callbacks: {
              // The full row heading, even when the axis shortens it.
              title: function (items) {
                return items.length ? labels[items[0].dataIndex] : "";
              }
            }
          }
        }
      }
    });
  }

  // Horizontal charts side by side in one grid row get the height of the tallest, so the
  // tables under them start on the same line. Stacked (375 px) each keeps its own height.
  function evenRows() {
    var boxes = Array.prototype.slice.call(
      document.querySelectorAll(".row .dashboard-chart__canvas[data-natural-height]"));
    boxes.forEach(function (box) { box.style.height = box.getAttribute("data-natural-height"); });
    var lines = {};
    boxes.forEach(function (box) {
      var key = Math.round(box.getBoundingClientRect().top + window.scrollY);
      (lines[key] = lines[key] || []).push(box);
    });
    Object.keys(lines).forEach(function (key) {
      var line = lines[key];
      var tallest = Math.max.apply(null, line.map(function (box) {
        return parseFloat(box.getAttribute("data-natural-height"));
      }));
      line.forEach(function (box) { box.style.height = tallest + "px"; });
    });
  }

  function start() {
    var font = window.getComputedStyle(document.body).fontFamily;
    if (font) {
      Chart.defaults.font.family = font;
    }
    Chart.defaults.font.size = 14;
    Chart.defaults.color = TEXT;
    Array.prototype.forEach.call(document.querySelectorAll('table[data-chart="bar"]'), build);
    evenRows();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(evenRows, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

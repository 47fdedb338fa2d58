/* pantau dashboard charts: ECharts drawn from JSON blocks (no inline scripts: CSP).
 * Every element with data-chart="NAME" data-source="ID" is drawn from the JSON in
 * <script type="application/json" id="ID">. Charts are redrawn after htmx swaps and on resize. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";
  var NAMES = {
    id: { news: "Berita", social: "Media sosial", complaint: "Pengaduan", official: "Kanal resmi",
          negative: "Negatif", neutral: "Netral", positive: "Positif", unknown: "Belum dinilai",
          firstSocial: "Pertama di medsos", firstNews: "Pertama di berita",
          mentions: "sebutan", issues: "isu", previous: "Periode sebelumnya (semua kanal)" },
    en: { news: "News", social: "Social media", complaint: "Complaints", official: "Official",
          negative: "Negative", neutral: "Neutral", positive: "Positive", unknown: "Not rated",
          firstSocial: "First on social", firstNews: "First in news",
          mentions: "mentions", issues: "issues", previous: "Period before (all channels)" }
  }[lang === "en" ? "en" : "id"];
  var COLORS = { news: "#0b5cab", social: "#f59e0b", complaint: "#b42318", official: "#067647",
                 negative: "#b42318", neutral: "#9ca3af", positive: "#067647", unknown: "#d1d5db" };
  var live = [];

  function label(key) {
    // "2024-09-24 14" -> "24/09 14.00"; "2024-09-24" -> "24/09"
    var d = key.slice(8, 10) + "/" + key.slice(5, 7);
    return key.length > 10 ? d + " " + key.slice(11, 13) + ".00" : d;
  }

  function lines(series, stacked, kind, marks) {
    var out = [];
    Object.keys(series.lines).forEach(function (name) {
      var values = series.lines[name];
      if (!values.some(function (v) { return v > 0; })) { return; }
      var s = { name: NAMES[name] || name, type: kind, data: values, showSymbol: false,
                itemStyle: { color: COLORS[name] }, lineStyle: { width: 2 } };
      if (stacked) { s.stack = "all"; }
      out.push(s);
    });
    if (marks && out.length) {
      var data = [];
      if (marks.social) { data.push({ xAxis: label(marks.social), name: NAMES.firstSocial, lineStyle: { color: COLORS.social } }); }
      if (marks.news) { data.push({ xAxis: label(marks.news), name: NAMES.firstNews, lineStyle: { color: COLORS.news } }); }
      out[0].markLine = { symbol: "none", label: { formatter: "{b}", fontSize: 10 }, data: data };
    }
    return out;
  }

  // A proportional-symbol map: each place a circle at its seat (longitude, latitude), its area
  // following its mentions; no boundaries are drawn (none with an open licence is shipped).
  function mapOption(points) {
    var top = Math.max.apply(null, points.map(function (p) { return p.value[2]; }).concat([1]));
    return {
      animation: false, grid: { left: 10, right: 10, top: 10, bottom: 10 },
      xAxis: { type: "value", scale: true, show: false },
      yAxis: { type: "value", scale: true, show: false },
      tooltip: { trigger: "item", formatter: function (p) {
        return p.data.name + ": " + p.data.value[2] + " " + NAMES.mentions + ", " + p.data.issues + " " + NAMES.issues;
      } },
      series: [{ type: "scatter", data: points,
                 symbolSize: function (v) { return 8 + 42 * Math.sqrt(v[2] / top); },
                 itemStyle: { color: "rgba(11, 92, 171, 0.6)", borderColor: "#0b5cab" },
                 label: { show: true, position: "right", formatter: "{b}", fontSize: 11 } }]
    };
  }

  function option(name, data) {
    var base = { animation: false, grid: { left: 40, right: 12, top: 30, bottom: 28 },
                 tooltip: { trigger: "axis" }, legend: { top: 0, textStyle: { fontSize: 11 } } };
    if (name === "map") { return mapOption(data.map.points); }
    if (name === "share") {
      base.tooltip = { trigger: "item", formatter: "{b}: {c} ({d}%)" };
      base.series = [{ type: "pie", radius: ["40%", "70%"], top: 20,
                       data: data.share.map(function (s) {
                         return { name: NAMES[s.name] || s.name, value: s.value, itemStyle: { color: COLORS[s.name] } };
                       }) }];
      return base;
    }
    if (name === "regions") {
      var items = data.regions.slice().reverse();
      base.tooltip = { trigger: "item" };
      base.xAxis = { type: "value" };
      base.yAxis = { type: "category", data: items.map(function (r) { return r.name; }) };
      base.series = [{ type: "bar", data: items.map(function (r) { return r.value; }), itemStyle: { color: "#0b5cab" } }];
      return base;
    }
    var series = data[name];
    var keys = series.keys.map(label);
    base.xAxis = { type: "category", data: keys, axisLabel: { fontSize: 10 } };
    base.yAxis = { type: "value", minInterval: 1 };
    if (name === "sentiment") {
      base.series = lines(series, true, "bar", null);
    } else if (name === "timeline") {
      base.series = lines(series, false, "line", data.marks);
    } else {
      base.series = lines(series, false, "line", null);
      if (name === "volume" && data.previous && data.previous.some(function (v) { return v > 0; })) {
        base.series.push({ name: NAMES.previous, type: "line", data: data.previous, showSymbol: false,
                           itemStyle: { color: "#6b7280" }, lineStyle: { width: 1.5, type: "dashed" } });
      }
    }
    return base;
  }

  function draw(root) {
    if (typeof window.echarts === "undefined") { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-source"));
      if (!src) { return; }
      var data = JSON.parse(src.textContent);
      var old = window.echarts.getInstanceByDom(el);
      if (old) { old.dispose(); }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(el.getAttribute("data-chart"), data));
      el.setAttribute("data-drawn", "1");
      live.push(chart);
    });
  }

  function redraw() {
    live.forEach(function (c) { if (!c.isDisposed()) { c.dispose(); } });
    live = [];
    draw(document);
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.body.addEventListener("htmx:afterSwap", redraw);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { live.forEach(function (c) { if (!c.isDisposed()) { c.resize(); } }); }, 150);
  });
})();

/* CCKG charts: the map of China and the timeline, drawn with the vendored ECharts.
   Each chart reads its data from a <script type="application/json"> element (or a URL),
   sits beside a table holding the same data (its text alternative), and opens the page of
   what is clicked. Nothing is loaded from outside this server. */
(function () {
  "use strict";
  var charts = (window.cckgCharts = window.cckgCharts || {});

  function base() { return document.documentElement.getAttribute("data-base") || "/"; }
  /* Where a click on a thing leads: its page here, else its IRI if that is an http(s) URL;
     null for anything else (a javascript: IRI in the data is never followed). */
  function local(iri) {
    var b = document.documentElement.getAttribute("data-base-iri");
    var href = b && iri.indexOf(b) === 0 ? base() + iri.slice(b.length) : iri;
    return /^https?:\/\//i.test(href) ? href : null;
  }
  charts.linkOf = local;
  /* Text from the data, safe inside a tooltip (ECharts sets tooltip strings as HTML). */
  function text(value) { return echarts.format.encodeHTML(value === null || value === undefined ? "" : String(value)); }
  function both(en, zh) { return [en, zh].filter(Boolean).join(" · "); }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }
  function inlineData(id) {
    var el = document.getElementById(id);
    return el ? Promise.resolve(JSON.parse(el.textContent)) : null;
  }
  /* Chart text in the shipped CJK font, so Chinese labels render without system fonts. */
  var TEXT = { fontFamily: "\"Noto Sans SC\", system-ui, sans-serif" };
  function init(el) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({ textStyle: TEXT });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  var geo = null;
  function loadGeo() {
    if (!geo) { geo = getJSON(base() + "static/maps/china.json"); }
    return geo;
  }

  /* The map: provinces coloured by data.provinces[i].colour, cities with a peak target as
     points; `only` (an admin code) draws that province alone with its cities. */
  function drawMap(el, data, only) {
    return loadGeo().then(function (china) {
      var name = "china";
      if (only) {
        name = "province-" + only;
        var features = china.features.filter(function (f) { return f.properties.id === only; });
        if (!features.length) { el.hidden = true; return null; }
        echarts.registerMap(name, Object.assign({}, china, { features: features }));
      } else {
        echarts.registerMap(name, china);
      }
      var provinces = data.provinces.filter(function (p) { return !only || p.code === only; });
      var cities = data.cities.filter(function (c) {
        return c.point && (!only || c.province === only);
      });
      var chart = init(el);
      chart.setOption({
        aria: { enabled: true, decal: { show: false } },
        tooltip: { trigger: "item" },
        geo: {
          map: name, nameProperty: "id", roam: true, selectedMode: false,
          layoutCenter: ["50%", "50%"], layoutSize: "95%",
          itemStyle: { areaColor: "#ffffff", borderColor: "#555", borderWidth: 0.6 },
          emphasis: { itemStyle: { areaColor: "#ffe08a" }, label: { show: false } },
          regions: provinces.map(function (p) {
            return { name: p.code, itemStyle: { areaColor: p.colour } };
          })
        },
        series: [
          {
            type: "map", geoIndex: 0, name: "provinces",
            data: provinces.map(function (p) {
              return { name: p.code, value: p.year, href: local(p.iri), label: both(p.en, p.zh),
                       colour: p.colour };
            }),
            tooltip: { formatter: function (q) {
              if (!q.data) { return ""; }
              return text(q.data.label) + "<br>" + (q.data.value ? "overall peak year " + text(q.data.value)
                                                               : "no overall peak year");
            } }
          },
          {
            type: "scatter", coordinateSystem: "geo", name: "cities", symbolSize: 9,
            itemStyle: { color: "#d7301f", borderColor: "#fff", borderWidth: 1 },
            data: cities.map(function (c) {
              return { name: both(c.en, c.zh), value: c.point.concat([c.years.join(", ")]),
                       href: local(c.iri) };
            }),
            tooltip: { formatter: function (q) {
              return text(q.data.name) + "<br>peak target " + text(q.data.value[2] || "(no year)");
            } }
          }
        ]
      });
      chart.on("click", function (q) { if (q.data && q.data.href) { location.href = q.data.href; } });
      return chart;
    });
  }

  /* The timeline: one mark per commitment, rows = jurisdictions grouped by level,
     colour = strength; marks at the same place and year sit side by side. */
  function drawTimeline(el, data) {
    var rowIndex = {}, seen = {};
    data.rows.forEach(function (r, i) { rowIndex[r.iri] = i; });
    var series = data.strengths.map(function (s) {
      return {
        type: "scatter", name: both(s.en, s.zh), symbolSize: 13,
        itemStyle: { color: s.colour, borderColor: "#fff", borderWidth: 1 },
        data: data.marks.filter(function (m) { return m.strength === s.key; }).map(function (m) {
          var x = m.year === null ? "no year" : String(m.year);
          var key = m.row + "|" + x, k = (seen[key] = (seen[key] || 0) + 1) - 1;
          return { value: [x, rowIndex[m.row]], symbolOffset: [k * 9, 0], href: local(m.iri),
                   label: both(m.en, m.zh), quote: m.quote, timing: m.timing,
                   strength: both(m.strength_en, m.strength_zh) };
        })
      };
    });
    var chart = init(el);
    chart.setOption({
      aria: { enabled: true, decal: { show: false } },
      legend: { top: 0 },
      grid: { left: 210, right: 30, top: 40, bottom: 40 },
      tooltip: { trigger: "item", formatter: function (q) {
        var d = q.data;
        return text(d.label) + "<br>" + text(d.value[0]) + (d.timing ? " (" + text(d.timing) + ")" : "") +
          ", " + text(d.strength) + "<br><span lang=\"zh\">" + text(d.quote) + "</span>";
      }, extraCssText: "max-width: 28rem; white-space: normal;" },
      xAxis: { type: "category", data: data.years, name: "year 年份", nameLocation: "middle",
               nameGap: 28, splitLine: { show: true } },
      yAxis: { type: "category", inverse: true, splitArea: { show: true },
               data: data.rows.map(function (r) { return r.level_en + " · " + both(r.en, r.zh); }) },
      series: series
    });
    chart.on("click", function (q) { if (q.data && q.data.href) { location.href = q.data.href; } });
    return chart;
  }

  /* Marks `el` ready once its chart has finished drawing (animations included), so a click
     from then on reaches the shapes; at once when there is no chart. */
  function readyWhenDrawn(el, chart) {
    if (!chart) { el.setAttribute("data-ready", "true"); return; }
    var done = function () {
      chart.off("finished", done);
      el.setAttribute("data-ready", "true");
    };
    chart.on("finished", done);
  }

  function start() {
    var m = document.getElementById("map");
    if (m) {
      var only = m.getAttribute("data-province");
      var data = inlineData("map-data") || getJSON(base() + "map.json");
      data.then(function (d) { return drawMap(m, d, only); })
          .then(function (c) { charts.map = c; readyWhenDrawn(m, c); });
    }
    var t = document.getElementById("timeline");
    if (t) {
      var place = t.getAttribute("data-place");
      var tdata = inlineData("timeline-data") ||
        getJSON(base() + "timeline.json" + (place ? "?place=" + encodeURIComponent(place) : ""));
      tdata.then(function (d) {
        if (!d.marks.length) { t.hidden = true; return; }
        charts.timeline = drawTimeline(t, d);
        readyWhenDrawn(t, charts.timeline);
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();

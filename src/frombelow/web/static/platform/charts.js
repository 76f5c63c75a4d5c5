// Draws a result's chart from the JSON beside it (#chart-data): the round table stays the record.
(function () {
  "use strict";
  function draw() {
    var box = document.getElementById("chart");
    var source = document.getElementById("chart-data");
    if (!box || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(box);
    if (data.type === "sankey") {
      chart.setOption({
        tooltip: { trigger: "item" },
        series: [{
          type: "sankey", layoutIterations: 0, nodeAlign: "left", emphasis: { focus: "adjacency" },
          data: data.nodes, links: data.links, label: { fontSize: 12 },
          lineStyle: { color: "gradient", opacity: 0.35 }
        }]
      });
    } else if (data.type === "hemicycle") {
      var total = data.seats.reduce(function (sum, s) { return sum + s.value; }, 0);
      // A half donut: the seats fill the top half, an invisible slice as large as all of them the bottom.
      var slices = data.seats.concat([{ name: "", value: total, itemStyle: { color: "none" }, label: { show: false }, tooltip: { show: false } }]);
      chart.setOption({
        tooltip: { trigger: "item", formatter: "{b}: {c}" },
        series: [{
          type: "pie", radius: ["45%", "90%"], center: ["50%", "80%"], startAngle: 180,
          data: slices, label: { formatter: "{b}: {c}" }
        }]
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();

// Draws the tree of councils from the JSON beside it (#tree-data); a click opens a council's page.
(function () {
  var element = document.getElementById("tree-chart");
  if (!window.echarts || !element) { return; }
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "item", formatter: function (p) { return p.name + " · " + p.value; } },
    series: [{
      type: "tree", data: [JSON.parse(document.getElementById("tree-data").textContent)],
      orient: "TB", top: "8%", bottom: "12%", left: "4%", right: "4%", symbolSize: 12,
      expandAndCollapse: false, initialTreeDepth: -1,
      label: { position: "top", fontSize: 13 }, leaves: { label: { position: "bottom" } },
      lineStyle: { color: "#b3261e" }, itemStyle: { color: "#b3261e" }
    }]
  });
  chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
  window.addEventListener("resize", function () { chart.resize(); });
})();

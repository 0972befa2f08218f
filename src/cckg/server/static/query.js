// The query page: YASGUI on this server's SPARQL endpoint, prefilled with the CCKG prefixes.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("cckg-config").textContent);
  // Class and property completion ask a web service (LOV); keep the page offline.
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(
    function (name) { return name !== "class" && name !== "property"; });
  Yasgui.defaults.yasqe.value = config.query;
  window.yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    yasqe: { value: config.query }
  });
})();

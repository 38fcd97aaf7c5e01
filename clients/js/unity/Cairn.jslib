// Unity WebGL bridge to the Cairn web SDK (clients/js/cairn.js). Put this file under Assets/Plugins/WebGL/ and
// cairn.js next to the build's index.html (or anywhere the page can load it: pass its URL as moduleUrl).
// C# side (see clients/js/README.md, "Unity WebGL"):
//   [DllImport("__Internal")] static extern void CairnInit(string optionsJson);
//   [DllImport("__Internal")] static extern void CairnTrack(string eventType, string dataJson, string category, int priority);
//   [DllImport("__Internal")] static extern void CairnIdentify(string playerId, string playerKey);
//   [DllImport("__Internal")] static extern void CairnSessionStart(string dataJson);
//   [DllImport("__Internal")] static extern void CairnSessionEnd(string dataJson);
//   [DllImport("__Internal")] static extern void CairnSetConsent(int granted, string categoriesJson);
//   [DllImport("__Internal")] static extern void CairnFlush();
// Calls made before the module has loaded are kept in order and replayed once it has (nothing is lost).
var CairnBridge = {
  $CairnState: { client: null, pending: [], loading: false },

  $CairnCall__deps: ["$CairnState"],
  $CairnCall: function (work) {
    if (CairnState.client) work(CairnState.client);
    else CairnState.pending.push(work);
  },

  $CairnText: function (ptr) {
    return ptr ? UTF8ToString(ptr) : null;
  },

  CairnInit__deps: ["$CairnState", "$CairnText"],
  CairnInit: function (optionsJson) {
    if (CairnState.loading) return;
    CairnState.loading = true;
    var options = JSON.parse(CairnText(optionsJson));
    var url = options.moduleUrl || new URL("cairn.js", document.baseURI).href;
    import(url)
      .then(function (sdk) { return sdk.CairnClient.create(options); })
      .then(function (client) {
        CairnState.client = client;
        var pending = CairnState.pending;
        CairnState.pending = [];
        pending.forEach(function (work) { work(client); });
      })
      .catch(function (error) { console.error("cairn: could not start:", error); });
  },

  CairnTrack__deps: ["$CairnCall", "$CairnText"],
  CairnTrack: function (eventType, dataJson, category, priority) {
    var type = CairnText(eventType), data = JSON.parse(CairnText(dataJson) || "{}"), cat = CairnText(category);
    CairnCall(function (c) { c.track(type, data, { category: cat || null, priority: priority }); });
  },

  CairnIdentify__deps: ["$CairnCall", "$CairnText"],
  CairnIdentify: function (playerId, playerKey) {
    var id = CairnText(playerId), key = CairnText(playerKey);
    CairnCall(function (c) { c.identify(id, { playerKey: key || null }); });
  },

  CairnSessionStart__deps: ["$CairnCall", "$CairnText"],
  CairnSessionStart: function (dataJson) {
    var data = JSON.parse(CairnText(dataJson) || "{}");
    CairnCall(function (c) { c.sessionStart(data); });
  },

  CairnSessionEnd__deps: ["$CairnCall", "$CairnText"],
  CairnSessionEnd: function (dataJson) {
    var data = JSON.parse(CairnText(dataJson) || "{}");
    CairnCall(function (c) { c.sessionEnd(data); });
  },

  CairnSetConsent__deps: ["$CairnCall", "$CairnText"],
  CairnSetConsent: function (granted, categoriesJson) {
    var categories = JSON.parse(CairnText(categoriesJson) || "{}");
    CairnCall(function (c) { c.setConsent(!!granted, categories); });
  },

  CairnFlush__deps: ["$CairnCall"],
  CairnFlush: function () {
    CairnCall(function (c) { c.flush(); });
  },
};

autoAddDeps(CairnBridge, "$CairnState");
mergeInto(LibraryManager.library, CairnBridge);

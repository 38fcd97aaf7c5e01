// Cairn web SDK: one ES module, no build step, no dependencies. See README.md next to this file.
//
//   import { CairnClient } from "./cairn.js";
//   const cairn = await CairnClient.create({ endpoint: "https://cairn.example", key: "cik_…", game: "mhs" });
//   cairn.identify("ada@school.example");
//   cairn.track("levelComplete", { level: 3 });

const PRIORITIES = { low: 0, normal: 1, high: 2, critical: 3 };
const DEFAULTS = {
  endpoint: "",
  key: "",
  game: "",
  source: null,
  transport: "http", // or "websocket"
  batchSize: 100,
  flushIntervalMs: 30000,
  maxQueueBytes: 1024 * 1024,
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 30000,
  requireConsent: false,
  storage: "auto", // "indexeddb" | "localstorage" | "memory"
  storageName: null,
  sampling: true,
  samplingCacheMs: 60 * 60 * 1000,
  analyticsVersion: null,
  device: null,
  gzipAboveBytes: 1024,
  closeTimeoutMs: 2000,
  onError: null,
};

/** A Cairn client: queues events durably, sends them in batches, retries, respects consent and sampling. */
export class CairnClient {
  /** Opens the queue (IndexedDB, else localStorage, else memory), loads sampling rules, starts the timer. */
  static async create(options) {
    const client = new CairnClient(options);
    await client._open();
    return client;
  }

  constructor(options) {
    this.options = { ...DEFAULTS, ...options };
    const o = this.options;
    if (!o.key) throw new Error("cairn: options.key (the game's ingest key) is required");
    if (!o.game) throw new Error("cairn: options.game is required");
    this.endpoint = (o.endpoint || (typeof location !== "undefined" ? location.origin : "")).replace(/\/+$/, "");
    this.queue = []; // { eventId, seq, priority, category, bytes, json }
    this.queueBytes = 0;
    this.playerId = null;
    this.playerKey = null;
    this.sessionId = null;
    this.consent = { granted: !o.requireConsent, categories: {} };
    this.samplingRules = null;
    this.flushing = null;
    this.lastError = null;
    this.stats = { tracked: 0, sent: 0, accepted: 0, duplicates: 0, rejected: 0, sampledOut: 0, dropped: 0, evicted: 0 };
    this._timer = null;
    this._socket = null;
  }

  // ---- public API ---------------------------------------------------------------------------------------------------

  /**
   * Queues one event; never waits on I/O. Returns its eventId, or null when consent, sampling or the queue bound
   * kept it out. options: { category, priority: "low"|"normal"|"high"|"critical" or 0–3 }.
   */
  track(eventType, data = {}, { category = null, priority = "normal" } = {}) {
    if (!this.consent.granted || (category && this.consent.categories[category] === false)) {
      this.stats.dropped++;
      return null;
    }
    if (!this._sampledIn(eventType)) {
      this.stats.sampledOut++;
      return null;
    }
    const seq = this.seq++;
    // Two tabs of one game share the install's clientGuid and seq counter and may take the same seq: the random tail
    // keeps their eventIds apart (an equal id would be answered "duplicate", and one event lost).
    const eventId = `${this.clientGuid}:${seq}.${randomId().slice(0, 8)}`;
    const event = { eventId, eventType, timestamp: new Date().toISOString(), game: this.options.game };
    if (this.options.source) event.source = this.options.source;
    if (this.playerId) event.playerId = this.playerId;
    if (this.sessionId) event.sessionId = this.sessionId;
    event.data = data ?? {};
    if (this.options.device) event.device = this.options.device;
    event.context = { clientGuid: this.clientGuid, seq };
    if (this.options.analyticsVersion) event.schemaVersion = this.options.analyticsVersion;
    const json = JSON.stringify(event);
    const record = {
      eventId, seq, category, json, bytes: json.length * 2,
      priority: typeof priority === "number" ? priority : (PRIORITIES[priority] ?? 1),
    };
    this.queue.push(record);
    this.queueBytes += record.bytes;
    this.stats.tracked++;
    const evicted = this._bound();
    this._lastWrite = this.store.save(record, this.seq, evicted);
    if (evicted.includes(record.eventId)) return null;
    if (this.queue.length >= this.options.batchSize) this.flush();
    return eventId;
  }

  /** Sets the player of the next events. A playerKey (from your server) lets the SDK apply sampling before sending. */
  identify(playerId, { playerKey = null } = {}) {
    this.playerId = playerId == null ? null : String(playerId);
    this.playerKey = playerKey;
  }

  /** Starts a session (a new sessionId on every following event) and tracks sessionStart. */
  sessionStart(data = {}) {
    this.sessionId = randomId();
    return this.track("sessionStart", data, { category: "session_lifecycle", priority: "high" });
  }

  /** Tracks sessionEnd and clears the sessionId. */
  sessionEnd(data = {}) {
    const id = this.track("sessionEnd", data, { category: "session_lifecycle", priority: "high" });
    this.sessionId = null;
    return id;
  }

  /**
   * Consent: setConsent(true) allows tracking (and, with requireConsent, is needed before anything is stored or sent);
   * setConsent(false) stops tracking and deletes the queue. categories: { performance: false, … } per category.
   */
  async setConsent(granted, categories = {}) {
    this.consent = { granted: !!granted, categories: { ...this.consent.categories, ...categories } };
    if (!granted) {
      this.queue = [];
      this.queueBytes = 0;
      await this.store.clear();
    } else {
      const declined = this.queue.filter((r) => r.category && this.consent.categories[r.category] === false).map((r) => r.eventId);
      this._remove(declined);
    }
    await this.store.meta("consent", this.consent);
  }

  /** Sends every queued event now. Resolves with the outcome; events not delivered stay queued. */
  flush() {
    if (!this.flushing) {
      this.flushing = this._flushAll().finally(() => { this.flushing = null; });
    }
    return this.flushing;
  }

  /** Flushes (for at most closeTimeoutMs), stops the timer and the page hooks, closes the socket. */
  async close() {
    clearInterval(this._timer);
    if (typeof window !== "undefined") {
      window.removeEventListener("pagehide", this._onHide);
      document.removeEventListener("visibilitychange", this._onVisibility);
    }
    await Promise.race([this.flush(), sleep(this.options.closeTimeoutMs)]);
    this._closed = true;
    if (this._socket) this._socket.close();
    this._socket = null;
  }

  /** Resolves once every event tracked so far is in the durable queue (IndexedDB commits in order). */
  async saved() {
    await this._lastWrite;
  }

  /** How many events wait in the queue. */
  get queued() {
    return this.queue.length;
  }

  // ---- opening ------------------------------------------------------------------------------------------------------

  async _open() {
    const name = this.options.storageName || `cairn:${this.options.game}`;
    this.store = await openStore(this.options.storage, name);
    const meta = await this.store.load();
    this.clientGuid = meta.clientGuid || randomId();
    if (!meta.clientGuid) await this.store.meta("clientGuid", this.clientGuid);
    if (meta.consent) this.consent = meta.consent;
    this.queue = meta.records.sort((a, b) => a.seq - b.seq);
    this.queueBytes = this.queue.reduce((n, r) => n + r.bytes, 0);
    // A seq is never reused: the next one is past the stored counter and every queued event.
    this.seq = Math.max(meta.seq || 0, ...this.queue.map((r) => r.seq + 1), 0);
    if (this.options.sampling) await this._loadSampling(meta.sampling);
    this._timer = setInterval(() => this.flush(), this.options.flushIntervalMs);
    if (typeof window !== "undefined") {
      this._onHide = () => this._flushOnHide();
      this._onVisibility = () => { if (document.visibilityState === "hidden") this._flushOnHide(); };
      window.addEventListener("pagehide", this._onHide);
      document.addEventListener("visibilitychange", this._onVisibility);
    }
    if (this.queue.length > 0) this.flush();
  }

  async _loadSampling(cached) {
    if (cached && Date.now() - cached.at < this.options.samplingCacheMs) {
      this.samplingRules = cached.rules;
      return;
    }
    try {
      const response = await fetch(`${this.endpoint}/v1/config/sampling?game=${encodeURIComponent(this.options.game)}`, {
        headers: { Authorization: `Bearer ${this.options.key}` },
      });
      if (!response.ok) throw new Error(`GET /v1/config/sampling answered ${response.status}`);
      this.samplingRules = (await response.json()).rules || [];
      await this.store.meta("sampling", { at: Date.now(), rules: this.samplingRules });
    } catch (error) {
      // Offline at start: the last rules seen (however old), else none; the server samples in any case.
      this.samplingRules = cached ? cached.rules : null;
      this._error(error);
    }
  }

  _sampledIn(eventType) {
    if (!this.samplingRules || !this.playerKey || !this.playerId) return true;
    return keep(this.playerKey, eventType, rateOf(this.samplingRules, eventType));
  }

  // ---- the queue ----------------------------------------------------------------------------------------------------

  /** Keeps the queue under maxQueueBytes: drops the lowest priority first, and of one priority the oldest. */
  _bound() {
    if (this.queueBytes <= this.options.maxQueueBytes) return [];
    const order = [...this.queue].sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    const gone = [];
    let bytes = this.queueBytes;
    for (const r of order) {
      if (bytes <= this.options.maxQueueBytes) break;
      bytes -= r.bytes;
      gone.push(r.eventId);
    }
    const set = new Set(gone);
    this.queue = this.queue.filter((r) => !set.has(r.eventId));
    this.queueBytes = bytes;
    this.stats.evicted += gone.length;
    return gone;
  }

  _remove(eventIds) {
    if (eventIds.length === 0) return;
    const set = new Set(eventIds);
    this.queue = this.queue.filter((r) => {
      if (!set.has(r.eventId)) return true;
      this.queueBytes -= r.bytes;
      return false;
    });
    this.store.remove(eventIds);
  }

  // ---- delivery -----------------------------------------------------------------------------------------------------

  async _flushAll() {
    const outcome = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, sampledOut: 0, delivered: true };
    while (this.queue.length > 0 && this.consent.granted) {
      const batch = this.queue.slice(0, this.options.batchSize);
      const ok = await this._deliver(batch, outcome);
      // No progress (an answer without results for the batch's events) ends the flush rather than looping.
      if (!ok || this.queue[0] === batch[0]) {
        outcome.delivered = false;
        break;
      }
    }
    outcome.queued = this.queue.length;
    return outcome;
  }

  /** One batch, with up to maxAttempts tries; true when the server answered it (per event), false to stop the flush. */
  async _deliver(batch, outcome) {
    for (let attempt = 1; ; attempt++) {
      let answer;
      try {
        answer = this.options.transport === "websocket" ? await this._sendSocket(batch) : await this._sendHttp(batch);
      } catch (error) {
        answer = { retry: true, error };
      }
      if (answer.results) {
        this._settle(batch, answer.results, outcome);
        return true;
      }
      if (answer.split) {
        if (batch.length === 1) {
          // One event larger than the server takes can never be sent: drop it rather than block the queue.
          this._error(new Error(`event ${batch[0].eventId} is larger than the server accepts; dropped`));
          this._remove([batch[0].eventId]);
          this.stats.rejected++;
          return true;
        }
        const half = Math.ceil(batch.length / 2);
        return (await this._deliver(batch.slice(0, half), outcome)) && (await this._deliver(batch.slice(half), outcome));
      }
      this._error(answer.error);
      if (!answer.retry || attempt >= this.options.maxAttempts) return false;
      await sleep(backoff(attempt, this.options.baseDelayMs, this.options.maxDelayMs, answer.retryAfterMs));
    }
  }

  _settle(batch, results, outcome) {
    const done = [];
    for (const result of results) {
      const record = batch[result.index];
      if (!record) continue;
      // accepted, duplicate (stored earlier) and sampled_out are done; rejected is dropped, only that event.
      done.push(record.eventId);
      if (result.status === "accepted") outcome.accepted++, this.stats.accepted++;
      else if (result.status === "duplicate") outcome.duplicates++, this.stats.duplicates++;
      else if (result.status === "sampled_out") outcome.sampledOut++, this.stats.sampledOut++;
      else if (result.status === "rejected") {
        outcome.rejected++, this.stats.rejected++;
        this._error(new Error(`event ${record.eventId} rejected: ${JSON.stringify(result.errors)}`));
      }
    }
    outcome.sent += batch.length;
    this.stats.sent += batch.length;
    this._remove(done);
  }

  async _sendHttp(batch) {
    const body = `[${batch.map((r) => r.json).join(",")}]`;
    const headers = { Authorization: `Bearer ${this.options.key}`, "Content-Type": "application/json" };
    let payload = body;
    if (body.length > this.options.gzipAboveBytes && typeof CompressionStream !== "undefined") {
      payload = await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
      headers["Content-Encoding"] = "gzip";
    }
    const response = await fetch(`${this.endpoint}/v1/events`, { method: "POST", headers, body: payload });
    if (response.ok) return { results: (await response.json()).results };
    const text = await response.text().catch(() => "");
    const error = new Error(`POST /v1/events answered ${response.status}: ${text.slice(0, 300)}`);
    if (response.status === 413) return { split: true, error };
    const retry = response.status === 408 || response.status === 429 || response.status >= 500;
    return { retry, error, retryAfterMs: retryAfter(response.headers.get("Retry-After")) };
  }

  /** Best effort when the page is hidden or unloaded: a keepalive fetch (the key needs a header, which sendBeacon cannot send). */
  _flushOnHide() {
    if (this.queue.length === 0 || !this.consent.granted || this.options.transport === "websocket" && this._socket?.readyState === 1) {
      if (this.queue.length > 0 && this.consent.granted) this.flush();
      return;
    }
    // keepalive bodies are capped at 64 KiB; the rest stays in the durable queue for the next page.
    const batch = [];
    let bytes = 2;
    for (const r of this.queue) {
      if (batch.length >= this.options.batchSize || bytes + r.json.length + 1 > 60000) break;
      batch.push(r);
      bytes += r.json.length + 1;
    }
    const body = `[${batch.map((r) => r.json).join(",")}]`;
    try {
      fetch(`${this.endpoint}/v1/events`, {
        method: "POST", keepalive: true, body,
        headers: { Authorization: `Bearer ${this.options.key}`, "Content-Type": "application/json" },
      }).then(async (response) => {
        // If the page lives on (only hidden), settle as usual; if not, the next page resends and gets "duplicate".
        if (response.ok) this._settle(batch, (await response.json()).results, { sent: 0, accepted: 0, duplicates: 0, rejected: 0, sampledOut: 0 });
      }).catch(() => {});
    } catch {
      // No keepalive fetch here: the events stay queued.
    }
  }

  // ---- WebSocket transport -------------------------------------------------------------------------------------------

  _connect() {
    if (this._socket && this._socket.readyState <= 1 && this._ready) return this._ready;
    const url = this.endpoint.replace(/^http/, "ws") + "/v1/ws";
    const socket = new WebSocket(url);
    this._socket = socket;
    this._pending = new Map();
    this._ready = new Promise((resolve, reject) => {
      socket.onopen = () => socket.send(JSON.stringify({ type: "hello", key: this.options.key }));
      socket.onmessage = (message) => {
        const m = JSON.parse(message.data);
        if (m.type === "ready") {
          this._limits = m;
          resolve(socket);
        } else if (m.type === "ack" || (m.type === "error" && m.seq != null)) {
          const waiter = this._pending.get(m.seq);
          if (waiter) {
            this._pending.delete(m.seq);
            waiter(m);
          }
        } else if (m.type === "error") {
          reject(new Error(`WebSocket: ${m.code}: ${m.message}`));
          for (const waiter of this._pending.values()) waiter(m);
          this._pending.clear();
        }
      };
      const gone = () => {
        reject(new Error("WebSocket closed"));
        // Unacknowledged envelopes are resent (same seq, same eventIds) on the next connection.
        for (const waiter of this._pending.values()) waiter({ type: "closed" });
        this._pending.clear();
        if (this._socket === socket) this._socket = null;
      };
      socket.onclose = gone;
      socket.onerror = gone;
    });
    return this._ready;
  }

  async _sendSocket(batch) {
    const socket = await this._connect();
    if (this._limits && batch.length > this._limits.maxEventsPerEnvelope) return { split: true };
    // The envelope's seq is its first event's seq: unique per clientGuid, and the same when the envelope is resent.
    const seq = batch[0].seq;
    const envelope = `{"type":"analytics","seq":${seq},"clientGuid":${JSON.stringify(this.clientGuid)}` +
      (this.options.analyticsVersion ? `,"analyticsVersion":${JSON.stringify(this.options.analyticsVersion)}` : "") +
      `,"events":[${batch.map((r) => r.json).join(",")}]}`;
    if (this._limits && envelope.length > this._limits.maxMessageBytes) return { split: true };
    const answer = await new Promise((resolve) => {
      this._pending.set(seq, resolve);
      socket.send(envelope);
    });
    if (answer.type === "ack") return { results: answer.results };
    if (answer.type === "closed") return { retry: true, error: new Error("WebSocket closed before the answer") };
    const error = new Error(`WebSocket: ${answer.code}: ${answer.message}`);
    if (answer.code === "too_large") return { split: true, error };
    return { retry: answer.code === "unavailable" || answer.code === "rate_limited", error, retryAfterMs: answer.retryAfterMs };
  }

  _error(error) {
    this.lastError = error ? String(error.message || error) : null;
    if (error && this.options.onError) {
      try {
        this.options.onError(error);
      } catch {
        // The game's handler must not break delivery.
      }
    }
  }
}

// ---- sampling: the server's function (src/Cairn/Ingest/Sampling/Sampler.cs), reproduced exactly ------------------------

/** The rate of an event type under the published rules: the first rule that matches, else 1. */
export function rateOf(rules, eventType) {
  for (const rule of rules || []) {
    if (rule.eventType != null ? rule.eventType === eventType : (rule.eventTypes || []).includes(eventType)) return rule.rate;
  }
  return 1;
}

/** u in [0, 1): the first 8 bytes of SHA-256(UTF-8(playerKey + eventType)), big-endian, / 2^64. */
export function position(playerKey, eventType) {
  const hash = sha256(new TextEncoder().encode(playerKey + eventType));
  let value = 0n;
  for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(hash[i]);
  // Number(bigint) rounds to the nearest double, as the server's ulong-to-double conversion does; 2^64 divides exactly.
  return Number(value) / 18446744073709551616;
}

/** Whether an event of the player and type is in a sample of the rate. */
export function keep(playerKey, eventType, rate) {
  return rate >= 1 || (rate > 0 && position(playerKey, eventType) < rate);
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/**
 * SHA-256 of bytes, synchronously (crypto.subtle is asynchronous, and track() must decide at once). Written out
 * because no dependency is allowed; checked against the server's SHA256.HashData in the tests.
 */
export function sha256(bytes) {
  const length = bytes.length;
  const blocks = Math.ceil((length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length * 8) >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]);
  return out;
}

// ---- helpers -------------------------------------------------------------------------------------------------------

/** Exponential backoff with full jitter; a Retry-After (ms) from the server is the least we wait. */
export function backoff(attempt, baseMs, maxMs, retryAfterMs) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

function retryAfter(header) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function randomId() {
  if (typeof crypto !== "undefined" && crypto.randomUUID) return crypto.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- durable queues: IndexedDB, localStorage, memory ---------------------------------------------------------------

async function openStore(kind, name) {
  if ((kind === "auto" || kind === "indexeddb") && typeof indexedDB !== "undefined") {
    try {
      return await IdbStore.open(name);
    } catch (error) {
      if (kind === "indexeddb") throw error;
    }
  }
  if ((kind === "auto" || kind === "localstorage") && typeof localStorage !== "undefined") {
    try {
      localStorage.setItem(`${name}:probe`, "1");
      localStorage.removeItem(`${name}:probe`);
      return new LocalStore(name);
    } catch (error) {
      if (kind === "localstorage") throw error;
    }
  }
  return new MemoryStore();
}

/** Events in an object store keyed by eventId, the counters and consent in another. */
class IdbStore {
  static open(name) {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("events", { keyPath: "eventId" });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = () => resolve(new IdbStore(request.result));
      request.onerror = () => reject(request.error);
    });
  }

  constructor(db) {
    this.db = db;
  }

  load() {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(["events", "meta"], "readonly");
      const result = { records: [] };
      tx.objectStore("events").getAll().onsuccess = (e) => { result.records = e.target.result; };
      const meta = tx.objectStore("meta");
      for (const key of ["clientGuid", "seq", "consent", "sampling"]) meta.get(key).onsuccess = (e) => { result[key] = e.target.result; };
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
    });
  }

  save(record, seq, evicted) {
    return this._write((tx) => {
      const events = tx.objectStore("events");
      for (const id of evicted) events.delete(id);
      if (!evicted.includes(record.eventId)) events.put(record);
      tx.objectStore("meta").put(seq, "seq");
    });
  }

  remove(eventIds) {
    return this._write((tx) => { for (const id of eventIds) tx.objectStore("events").delete(id); });
  }

  clear() {
    return this._write((tx) => tx.objectStore("events").clear());
  }

  meta(key, value) {
    return this._write((tx) => tx.objectStore("meta").put(value, key));
  }

  _write(work) {
    return new Promise((resolve) => {
      const tx = this.db.transaction(["events", "meta"], "readwrite");
      work(tx);
      tx.oncomplete = () => resolve(true);
      tx.onerror = tx.onabort = () => resolve(false);
    });
  }
}

/** The fallback: one key per event (so a write is small), the counters and consent under their own keys. */
class LocalStore {
  constructor(name) {
    this.prefix = `${name}:`;
  }

  async load() {
    const records = [];
    const result = { records };
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith(`${this.prefix}e:`)) records.push(JSON.parse(localStorage.getItem(key)));
    }
    for (const key of ["clientGuid", "seq", "consent", "sampling"]) {
      const value = localStorage.getItem(this.prefix + key);
      if (value != null) result[key] = JSON.parse(value);
    }
    return result;
  }

  async save(record, seq, evicted) {
    try {
      for (const id of evicted) localStorage.removeItem(`${this.prefix}e:${id}`);
      if (!evicted.includes(record.eventId)) localStorage.setItem(`${this.prefix}e:${record.eventId}`, JSON.stringify(record));
      localStorage.setItem(`${this.prefix}seq`, JSON.stringify(seq));
    } catch {
      // Storage full: the event is still in memory and sent with the next flush.
    }
  }

  async remove(eventIds) {
    for (const id of eventIds) localStorage.removeItem(`${this.prefix}e:${id}`);
  }

  async clear() {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      if (localStorage.key(i).startsWith(`${this.prefix}e:`)) keys.push(localStorage.key(i));
    }
    for (const key of keys) localStorage.removeItem(key);
  }

  async meta(key, value) {
    try {
      localStorage.setItem(this.prefix + key, JSON.stringify(value));
    } catch {
      // As above.
    }
  }
}

/** No storage at all (private modes, workers without IndexedDB): the queue lives as long as the page. */
class MemoryStore {
  async load() {
    return { records: [] };
  }
  async save() {}
  async remove() {}
  async clear() {}
  async meta() {}
}

// node clients/js/test/unit.mjs: the SDK's SHA-256 and sampling position against node's crypto (a quick check; the
// Chromium tests in tests/Cairn.Tests/Sdk compare with the server itself).
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import { sha256, position, rateOf, backoff } from "../cairn.js";

for (let n = 0; n < 300; n++) {
  const text = "p1_" + "x".repeat(n) + "é🎮" + n;
  const bytes = new TextEncoder().encode(text);
  assert.equal(Buffer.from(sha256(bytes)).toString("hex"), createHash("sha256").update(bytes).digest("hex"), `length ${bytes.length}`);
  const expected = Number(createHash("sha256").update(text + "client_tick").digest().readBigUInt64BE(0)) / 2 ** 64;
  assert.equal(position(text, "client_tick"), expected);
}
assert.equal(rateOf([{ eventType: "a", rate: 0.3 }, { category: "c", eventTypes: ["b"], rate: 0.1 }], "b"), 0.1);
assert.equal(rateOf([{ eventType: "a", rate: 0.3 }], "z"), 1);
assert.ok(backoff(1, 500, 30000, 2000) >= 2000);
assert.ok(backoff(10, 500, 30000) <= 30000);
console.log("ok");

// pow-worker.js solves one proof-of-work challenge off the page's thread, so
// the page stays responsive while it works (see pow.js for the contract).
// It gets {challenge, salt, maxNumber} and tries n = 0, 1, … until
// SHA-256(salt + n) is the challenge, hashing a batch at a time with
// crypto.subtle.digest. It posts {progress: 0–100} now and then, and
// {number: n} when it is found, or {error: "…"} when no number solves it or
// the browser cannot hash.
"use strict";

var batch = 500; // digests in flight at once: enough to keep WebCrypto busy

function hexToBytes(hex) {
  var out = new Uint8Array(hex.length / 2);
  for (var i = 0; i < out.length; i++) {
    out[i] = parseInt(hex.substr(i * 2, 2), 16);
  }
  return out;
}

function same(buf, want) {
  var got = new Uint8Array(buf);
  if (got.length !== want.length) {
    return false;
  }
  for (var i = 0; i < got.length; i++) {
    if (got[i] !== want[i]) {
      return false;
    }
  }
  return true;
}

function solve(c) {
  var want = hexToBytes(c.challenge);
  var encoder = new TextEncoder();
  var max = c.maxNumber;
  var shown = -1;
  function from(start) {
    var end = Math.min(start + batch - 1, max);
    var work = [];
    for (var n = start; n <= end; n++) {
      work.push(crypto.subtle.digest("SHA-256", encoder.encode(c.salt + n)));
    }
    return Promise.all(work).then(function (hashes) {
      for (var i = 0; i < hashes.length; i++) {
        if (same(hashes[i], want)) {
          return start + i;
        }
      }
      if (end >= max) {
        return -1;
      }
      var progress = Math.floor((end * 100) / max);
      if (progress !== shown) {
        shown = progress;
        self.postMessage({ progress: progress });
      }
      return from(end + 1);
    });
  }
  return from(0);
}

self.onmessage = function (e) {
  var c = e.data;
  if (!self.crypto || !crypto.subtle || c.algorithm !== "SHA-256") {
    self.postMessage({ error: "unsupported" });
    return;
  }
  solve(c).then(
    function (n) {
      self.postMessage(n < 0 ? { error: "unsolved" } : { number: n });
    },
    function () {
      self.postMessage({ error: "failed" });
    }
  );
};

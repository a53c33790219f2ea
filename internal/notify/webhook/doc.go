// Package webhook delivers texts and verification calls through the operator's
// own gateway: twofold POSTs signed JSON to one URL, and the gateway reports what
// happened on each call back to twofold. This comment is the contract a gateway
// implements.
//
// # Signatures
//
// Every request in either direction carries
//
//	Twofold-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//
// where secret is the shared key (at least 32 bytes) and raw body is the exact
// bytes sent. To verify: split the header on ",", take t and every v1; recompute
// the HMAC over t, a ".", and the body bytes as received (before any JSON
// parsing); compare with each v1 in constant time; and refuse the request unless
// one matches and t is within 5 minutes of your clock. Several v1 values may be
// sent while a secret is being rotated. Sign and Verify implement this in Go.
//
// # From twofold to the gateway
//
// POST to the configured URL with Content-Type: application/json. A text:
//
//	{"id": "9b1d…", "type": "text", "to": "+14255551234",
//	 "body": "Your Contoso verification code is 123456",
//	 "orgId": "…", "userId": "…"}
//
// A call:
//
//	{"id": "4f0a…", "type": "call", "to": "+14255551234",
//	 "prompt": "Please press the pound key to finish your verification.",
//	 "timeoutSeconds": 60,
//	 "callbackUrl": "https://id.example.com/hooks/webhook/calls/<challengeId>",
//	 "challengeId": "<challengeId>", "orgId": "…", "userId": "…"}
//
// A hang-up, when the member cancels while a call is ringing or answered:
//
//	{"id": "7c2e…", "type": "hangup", "ref": "<the call's ref>"}
//
// ref is the call's ref as the gateway gave it (or the call request's id). The
// gateway ends the call and reports nothing more for it; a call that already
// ended is answered 2xx like any other.
//
// id is new for every request and can be used to drop duplicates. The gateway
// answers any 2xx status once it has accepted the request, optionally with
// {"ref": "<its own ID>"} (at most 200 printable characters), which twofold keeps
// as the provider reference; without one, id is kept. Any other status is a
// failure; redirects are not followed.
//
// For a call, the gateway rings "to" for up to timeoutSeconds, speaks the prompt
// when answered and collects keys: "#" finishes the verification, "0" followed by
// "#" reports fraud, anything else is a wrong key. It reports only what happened
// and what was pressed; twofold decides what it means.
//
// # From the gateway back to twofold
//
// POST to the call's callbackUrl, signed as above, with Content-Type:
// application/json and the body
//
//	{"event": "answered", "challengeId": "<challengeId>"}
//	{"event": "keys", "digits": "#", "challengeId": "<challengeId>"}
//
// event is one of answered (picked up), keys (keys were pressed and the call is
// over), no-answer, busy, hung-up (answered, then ended without a key), failed
// (could not be placed) and completed (the last word on a call; harmless after
// keys). digits is required for keys, 1 to 8 of 0-9, * and #, in the order
// pressed, and not allowed otherwise. challengeId is required and must equal the
// one in callbackUrl: the signature covers the body, not the URL, so naming the
// call in the body is what binds a signed report to one call, and a leaked report
// cannot be replayed against another call. Unknown fields are refused.
//
// twofold answers 204 when the report was applied (a report about a call that
// already ended is applied by being ignored), 401 for a missing, wrong or stale
// signature, 400 for a body that breaks this contract, 404 for an unknown call,
// 413 for a body over 64 KiB and 500 when it could not apply the report; the
// gateway may retry a 500.
package webhook

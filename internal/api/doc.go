// Package api is the JSON API under /api/v1 for native clients and tests: the
// sign-in flow (password, second factor by app, text or call, the "More
// information required" interrupt) and the member's own security info
// (authenticator apps, phones, the default, verifying again), named after the
// Microsoft Graph authentication-methods resources where they fit. Before a
// member is signed in, phone numbers appear only masked.
//
// It is a thin transport over the same use cases as the pages in internal/web: a
// handler parses, calls one use case and writes. Every error leaves through
// httpx.WriteJSONError as {"error":{"code","message"}}, so internal detail is
// logged and never written. Self-service calls carry the session token as
// "Authorization: Bearer …"; that token appears in no response but the one that
// finishes a sign-in. The contract is written out in docs/openapi.yaml.
package api

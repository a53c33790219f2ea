// Package api is the JSON API under /api/v1 for native clients and tests: the
// sign-in flow (password, second factor, the "More information required"
// interrupt) and the member's own security info, named after the Microsoft Graph
// authentication-methods resources where they fit.
//
// It is a thin transport over the same use cases as the pages in internal/web: a
// handler parses, calls one use case and writes. Every error leaves through
// httpx.WriteJSONError as {"error":{"code","message"}}, so internal detail is
// logged and never written. Self-service calls carry the session token as
// "Authorization: Bearer …"; that token appears in no response but the one that
// finishes a sign-in. The contract is written out in docs/openapi.yaml.
package api

// Package web serves twofold's HTML pages: sign-in with its second step (an app
// code, a texted code or a call), the "More information required" interrupt, the
// My Account area with Security info (authenticator apps and phones) and
// Sessions, and, in development only, the outbox at /dev/outbox.
//
// It is a thin transport. Each handler parses the request, calls one use case
// (signin, session or securityinfo), and renders a template or redirects. Business
// rules live in the use-case packages, so a page and its JSON twin cannot disagree.
//
// Templates are parsed once in New; each page has one typed view, and a view naming
// a template that does not exist stops New. Assets (one stylesheet, small scripts,
// SVG icons) are embedded and served under /static/ with content-hashed names, so
// they can be cached for a year. Pages never carry inline script or style: the
// Content-Security-Policy set by httpx forbids both.
//
// Pages that wait for a verification call poll a JSON status endpoint with the
// embedded call-wait.js and move on by themselves; each also works without
// script through a button ("I've answered the call").
//
// Security headers, Cross-Origin protection for POSTs and request IDs are applied
// around this handler by httpx in cmd/twofold.
package web

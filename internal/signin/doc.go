// Package signin is the sign-in flow: user name and password, the lockout and
// per-network limits, the second factor, and the "More information required"
// interrupt that registers an authenticator app before a session is issued.
//
// A flow is a persisted object identified by a bearer ID (only its hash is stored),
// so the same flow can be driven by the web pages and the JSON API, and survives a
// replica switch between steps.
package signin

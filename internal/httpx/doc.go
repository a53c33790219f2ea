// Package httpx is the HTTP plumbing both transports share: errors to statuses and
// words, JSON reading and writing with clear messages, and middleware for security
// headers, cross-origin protection, request IDs, client addresses and panics.
//
// It is the only place that turns a twofold.Error into an HTTP status; internal
// details are logged with a reference and never written to a response.
package httpx

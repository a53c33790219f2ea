// Package totp registers and checks authenticator apps (RFC 6238 time-based
// one-time passwords: HMAC-SHA1, 6 digits, 30-second steps).
//
// Enrolment makes a 160-bit secret, stores it sealed in a pending method and
// shows it once as a QR code and as text; the method becomes active only when
// the member types a code that proves their app holds the secret. After that
// the secret is never shown again.
//
// Verification accepts the step before and after the current one, to absorb
// clock drift and typing time, and accepts each step at most once per method:
// the accepted step is consumed atomically in the store, so a code that is
// replayed, even many times in parallel, works exactly once.
package totp

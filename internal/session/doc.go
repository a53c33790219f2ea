// Package session issues, looks up, expires and revokes member sessions.
//
// A session token is 256 random bits handed to the browser (cookie) or native client
// (bearer); only its SHA-256 is stored. Idle and absolute timeouts are enforced here
// on every lookup, so every transport gets the same rules.
package session

// Package testkit builds a fully wired twofold service for tests and benchmarks:
// a real migrated store (SQLite in the test's temporary directory, or PostgreSQL in
// a fresh schema when TWOFOLD_TEST_POSTGRES is set and the caller asks), a fake
// clock the test advances instead of sleeping, a fast password hasher, and every
// use case wired as cmd/twofold wires them.
//
// It also holds a tiny RFC 6238 implementation of its own, written independently of
// internal/totp, so tests play the part of a member's authenticator app without
// trusting the code under test to compute the codes it then checks.
package testkit

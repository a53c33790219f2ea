// Package password hashes and checks member passwords and decides which new
// passwords are acceptable.
//
// Hashes are argon2id in the PHC string format, with the parameters stored in
// every hash so that old hashes keep verifying after the defaults change and can
// be upgraded at sign-in (Verify reports needsRehash).
//
// Hashing is deliberately expensive (about 19 MiB and 20–25 ms per call), so a
// Hasher bounds how many run at once and how many callers may wait for a turn;
// past that bound callers get EUNAVAILABLE at once instead of piling up until
// the process runs out of memory. Validate applies the NIST SP 800-63B rules:
// length, a common-password list and context words, and no composition rules.
package password

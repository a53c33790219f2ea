// Package methodkind is the seam between the use cases and the kinds of
// security info: what every kind shares (saving a verified method, choosing the
// first default, auditing, notifying, refreshing the session's proof) is written
// here once, so signin and securityinfo do not each write it again.
package methodkind

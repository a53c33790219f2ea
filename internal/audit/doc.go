// Package audit records the append-only audit log and tells members about changes to
// their security info through another channel.
package audit

// Package fraud is the "This wasn't me" report: a member follows the link in
// a security notice (signed by internal/reportlink) and confirms, and, as with
// 0# during a verification call, their two-step verification is blocked, every
// sign-in waiting for it is denied, their sessions end, their administrators
// are alerted and the audit log records it. The web page and the JSON API are
// thin twins over Service.
package fraud

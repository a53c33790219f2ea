// Package reportlink signs and checks the "This wasn't me" links that every
// security notice carries. A link names the member and the audit event the
// notice tells of, and lasts 7 days; it is an HMAC-signed token, so nothing is
// stored when a notice is sent, and a link can't be made up or changed. That a
// link is used once is the report use case's business (internal/fraud).
package reportlink

// Package email reads the email addresses members type and mails them 6-digit
// codes that prove they can read that mailbox.
//
// Parse accepts one plain address ("alex@contoso.com"): no display name, no
// comment, no quoted local part, a domain name with a dot, at most 254
// characters; the domain is lower-cased, the local part kept as typed (mail
// servers may treat it case-sensitively). Mask shows an address where the viewer
// might not be its owner: "a•••@contoso.com".
//
// Codes sends and checks the codes. A code is stored only as an HMAC keyed with
// the service's code key and bound to its challenge, in a twofold.Challenge
// whose Channel is twofold.ChannelEmail, so the challenge machinery of texted
// codes holds for mail too: a code belongs to the binding that asked for it
// (a session, a reset attempt), only the binding's newest challenge counts, it
// is tried at most MaxAttempts times, it expires, and it is used once even when
// many identical submissions race (Store.MoveChallenge). Mail goes out through
// the service's mail sender (the delivery queue when a mail server is
// configured), and every member may be sent at most MailsPerWindow mails of
// codes per MailWindow: the place is taken atomically before anything is made
// or queued. The code itself is never logged.
package email

// Package notify composes the messages twofold sends to members and admins
// (security-change notices, fraud alerts) and declares what delivers them: a
// Sender for mail, Phone for texts and calls, and the call events a phone
// provider reports back. Mail bound for a real mail server goes through the
// delivery queue here: Queue appends it in the transaction of the change it
// tells of, and a Dispatcher on every replica sends it through a Mailer.
// Providers live in sub-packages: outbox (development), twilio, webhook, smtp.
package notify

// Package notify composes the messages twofold sends to members (security-change
// notices today; codes and calls later) and hands them to a Sender. Providers live in
// sub-packages or, for the dev outbox, in this package.
package notify

// Package account holds the My Account use cases beyond security info: today,
// a signed-in member changing their own password.
//
// Changing the password needs the current password, checked through the same
// bounded hasher and the same per-account wrong-password count as sign-in (so
// a stolen session cannot be used to guess it faster than the sign-in page
// allows), and, when the member has a second factor, a second factor proven in
// this session within the fresh window. The change, its audit event and its
// notice commit together.
package account

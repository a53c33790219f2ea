// Package reset is self-service password reset: a member who forgot their
// password proves one or two of their registered methods (each a different
// one) and chooses a new password.
//
// Starting a reset answers the same for every name typed, known or not, so the
// page cannot be used to learn who has an account; an attempt exists for every
// name. Checking answers is guarded per member (a place is reserved before each
// check, and failures in a day block reset for a day), starting is limited per
// network and per name, and the new password replaces the old one in one
// transaction that finishes the attempt once and signs the member out
// everywhere. Reset never touches the second factor: the next sign-in asks for
// it as before.
package reset

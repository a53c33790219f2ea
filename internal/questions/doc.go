// Package questions holds the mechanics of security questions: the questions
// an organization offers (a predefined list and its own), how answers are
// normalized and validated, hashing a set of answers for storage, and, for
// password reset, asking some registered questions at random and checking the
// answers given.
//
// Answers are secrets: they are hashed with argon2id through the same bounded
// hasher as passwords, and nothing here returns, logs or wraps one into an
// error. Who may register questions, and when, is decided by the method kind
// and the use cases, not here.
package questions

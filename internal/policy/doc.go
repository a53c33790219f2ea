// Package policy answers, from an organization's policy and a member's methods, what
// the member may register, must register, and may use to sign in — and how each
// choice is named to people.
package policy

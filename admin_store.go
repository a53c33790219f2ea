package twofold

import (
	"context"
	"time"
)

// MethodNone, as a UserFilter's Method, matches members with no active method
// at all.
const MethodNone MethodKind = "none"

// The member statuses a UserFilter can ask for.
const (
	StatusEnabled      = "enabled"
	StatusDisabled     = "disabled"
	StatusLocked       = "locked"       // a password lockout runs at Now
	StatusMFABlocked   = "mfaBlocked"   // the second factor is blocked at Now
	StatusResetBlocked = "resetBlocked" // self-service password reset is blocked at Now
)

// UserFilter narrows a search of one organization's members. Every field is
// applied by the database, so a page of a large organization costs one
// indexed range scan.
type UserFilter struct {
	// Text matches a substring of the user name or the display name, case
	// insensitive; "" matches everyone.
	Text string
	// Status is "" or one of the Status constants, judged at Now.
	Status string
	// Method is "" (any), a kind (an active method of it) or MethodNone.
	Method MethodKind
	// Role is "" for any role.
	Role Role
	// After is the user name the page starts after; "" starts at the first.
	After string
	// Before, paging backwards, is the user name the page ends before: the
	// Limit members just before it, still in user-name order. At most one of
	// After and Before is set.
	Before string
	// Limit is the most members returned (at least 1).
	Limit int
	Now   time.Time
}

// UserListing is one member in search results.
type UserListing struct {
	User *User
	// Kinds are the distinct kinds of the member's active methods, unordered.
	Kinds []MethodKind
	// ResetBlockedUntil is when the member's block from password reset ends;
	// zero when there is none (it may lie in the past).
	ResetBlockedUntil time.Time
}

// AdminStore is what member administration needs beyond the other stores.
type AdminStore interface {
	// SearchUsers returns the organization's members matching f, ordered by
	// user name, starting after f.After, at most f.Limit of them.
	SearchUsers(ctx context.Context, orgID string, f UserFilter) ([]*UserListing, error)
	// SetDisabled disables or enables the member. Disabling the last enabled
	// admin of an organization returns ECONFLICT: the organization is locked
	// while its admins are counted, so racing changes leave one. Returns ENOTFOUND.
	SetDisabled(ctx context.Context, userID string, disabled bool) error
	// SetRole changes the member's role. Taking the role from the last enabled
	// admin returns ECONFLICT, decided as SetDisabled does. Returns ENOTFOUND.
	SetRole(ctx context.Context, userID string, role Role) error
	// AdminSetPassword replaces the member's password hash with one an admin
	// set, marking whether the member must change it, and clears the password
	// lockout (count, level and running lock). Returns ENOTFOUND.
	AdminSetPassword(ctx context.Context, userID, hash string, mustChange bool) error
	// ClearLockout lifts a password lockout running at now, with its count and
	// level, in one statement, and reports whether one was running.
	ClearLockout(ctx context.Context, userID string, now time.Time) (bool, error)
	// ClearMustChangePassword records that the member chose their own password.
	ClearMustChangePassword(ctx context.Context, userID string) error
	// CountLiveSessions counts the member's unrevoked sessions unexpired at now.
	CountLiveSessions(ctx context.Context, userID string, now time.Time) (int, error)
}

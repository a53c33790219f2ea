package twofold

import (
	"context"
	"time"
)

// Audit activity names. They are shown to admins verbatim.
const (
	ActivityRegistered        = "User registered security info"
	ActivityDeleted           = "User deleted security info"
	ActivityChangedDefault    = "User changed default security info"
	ActivityUpdated           = "User updated security info"
	ActivityRegisteredAll     = "User registered all required security info"
	ActivityStartedRegister   = "User started security info registration"
	ActivityCanceledRegister  = "User canceled security info registration"
	ActivityAdminRegistered   = "Admin registered security info"
	ActivityAdminDeleted      = "Admin deleted security info"
	ActivityAdminUpdated      = "Admin updated security info"
	ActivityPolicyUpdate      = "Authentication methods policy update"
	ActivitySignIn            = "Sign-in"
	ActivitySignOut           = "Sign-out"
	ActivitySignOutEverywhere = "Sign-out everywhere"
	ActivityUserCreated       = "Admin created user"
	ActivityFraudReported     = "Fraud reported – user is blocked for MFA"
	ActivityMFAUnblocked      = "Admin unblocked MFA"
	// ActivityResetUnblocked records an admin lifting a member's block from
	// self-service password reset.
	ActivityResetUnblocked = "Admin unblocked self-service password reset"
	// ActivityPhoneVerification records a text or call that did not prove anything:
	// throttled, wrong key, hang-up, no answer, timeout, too many wrong codes.
	ActivityPhoneVerification = "Phone verification"
	// ActivityResetSelfService records a password replaced by a member's own
	// reset; failed reset verifications are recorded under it with ResultFailure.
	ActivityResetSelfService = "Reset password (self-service)"
	// ActivityResetBlocked records a member blocked from resetting their
	// password after too many failed verifications.
	ActivityResetBlocked = "Blocked from self-service password reset"
	// ActivityChangePassword records a signed-in member changing their own
	// password; a wrong current password is recorded under it with ResultFailure.
	ActivityChangePassword = "Change password (self-service)"
)

// Audit results.
const (
	ResultSuccess = "success"
	ResultFailure = "failure"
)

// AuditEvent is one append-only line of the audit log.
type AuditEvent struct {
	ID         int64
	Time       time.Time
	OrgID      string
	ActorID    string // user ID, or "" for the system or an anonymous caller
	ActorName  string
	TargetID   string
	TargetName string
	Activity   string
	Result     string
	Reason     string // the real reason, for admins; never shown to the signing-in person
	IP         string
	UserAgent  string
}

// AuditFilter narrows an audit query. Zero fields do not filter.
type AuditFilter struct {
	OrgID    string
	TargetID string
	Activity string
	Actor    string // the actor's ID or name, exactly
	Target   string // the target's ID or name, exactly
	Result   string // ResultSuccess or ResultFailure
	Since    time.Time
	Until    time.Time // inclusive, like Since
	// BeforeTime and BeforeID continue a listing after its last event: only
	// events older than it (earlier, or at the same time with a smaller ID)
	// match. A zero BeforeTime starts at the newest event.
	BeforeTime time.Time
	BeforeID   int64
	// AfterTime and AfterID page backwards from a listing's first event: only
	// events newer than it match, and Limit keeps the ones nearest to it,
	// still listed newest first. At most one of BeforeTime and AfterTime is set.
	AfterTime time.Time
	AfterID   int64
	Limit     int // at most this many, newest first; 0 means 100
}

// AuditRetention deletes old audit events, the one change the otherwise
// append-only log allows.
type AuditRetention interface {
	// DeleteAuditBefore deletes every event older than before, at most batch
	// rows per statement so no statement holds the table long, and returns how
	// many it deleted. Any number of callers may run it at once: each event is
	// deleted once, and no event at or after before is touched.
	DeleteAuditBefore(ctx context.Context, before time.Time, batch int) (int64, error)
}

// Administrative activities: an admin, the help desk, an API token or the
// operator acting on a member. The actor is the one who acted.
const (
	ActivityResetByAdmin        = "Reset password (by admin)"
	ActivityUserDisabled        = "Admin disabled user"
	ActivityUserEnabled         = "Admin enabled user"
	ActivityRoleChanged         = "Admin changed user role"
	ActivitySessionsRevoked     = "Admin revoked sessions"
	ActivityRequireReregister   = "Admin required re-registration of MFA"
	ActivityLockoutCleared      = "Admin unlocked account"
	ActivityTokenCreated        = "Admin created API token"
	ActivityTokenRevoked        = "Admin revoked API token"
	ActivityTemporaryPassUsed   = "Sign-in with Temporary Access Pass"
	ActivityAuditRetentionSwept = "Audit log retention"
)

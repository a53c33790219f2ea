package twofold

import (
	"context"
	"time"
)

// OrgStore keeps organizations.
type OrgStore interface {
	// CreateOrg stores org. Returns ECONFLICT if one of its domains is taken.
	CreateOrg(ctx context.Context, org *Organization) error
	// OrgByID returns ENOTFOUND if there is no such organization.
	OrgByID(ctx context.Context, id string) (*Organization, error)
	// OrgByDomain finds the organization owning domain (lower-case). Returns ENOTFOUND.
	OrgByDomain(ctx context.Context, domain string) (*Organization, error)
	// ListOrgs returns every organization, oldest first.
	ListOrgs(ctx context.Context) ([]*Organization, error)
	// UpdatePolicy replaces the organization's policy. Returns ENOTFOUND.
	UpdatePolicy(ctx context.Context, orgID string, p Policy) error
}

// UserStore keeps members and the counters that must hold across sessions.
type UserStore interface {
	// CreateUser stores u. Returns ECONFLICT if the user name is taken.
	CreateUser(ctx context.Context, u *User) error
	// UserByID returns ENOTFOUND if there is no such user.
	UserByID(ctx context.Context, id string) (*User, error)
	// UserByUsername looks up a lower-case user name. Returns ENOTFOUND.
	UserByUsername(ctx context.Context, username string) (*User, error)
	// ListUsers returns the organization's users ordered by user name.
	ListUsers(ctx context.Context, orgID string) ([]*User, error)
	// SetPasswordHash replaces the stored hash. Returns ENOTFOUND.
	SetPasswordHash(ctx context.Context, userID, hash string) error
	// ReplacePasswordHash sets the hash to newHash only while it is oldHash and
	// reports whether it did.
	ReplacePasswordHash(ctx context.Context, userID, oldHash, newHash string) (bool, error)
	// SetPreferredMethod sets the default sign-in method. Returns ENOTFOUND.
	SetPreferredMethod(ctx context.Context, userID string, pref SignInPreference) error

	// ReservePasswordGuess atomically takes one of the threshold wrong-password
	// places the account has per lock period, before the password is hashed, so
	// however many guesses arrive at once, at most threshold are ever checked. It
	// reports false, with no error, when the account is locked at now or every
	// place is taken by guesses made or still being checked. Returns ENOTFOUND.
	ReservePasswordGuess(ctx context.Context, userID string, now time.Time, threshold int) (PasswordGuess, bool, error)
	// ReleasePasswordGuess gives back the place of a guess whose password was
	// never checked (hashing was saturated). A place taken before a lock is not
	// given back into the next lock period.
	ReleasePasswordGuess(ctx context.Context, userID string, g PasswordGuess) error
	// LockUser locks the account after g, the guess that filled the threshold,
	// proved wrong: LockedUntil becomes now plus lengths[level] (the last entry
	// for any higher level), the count is cleared and the level goes up by one,
	// the level read and written in one statement. It reports false, with no
	// error, when the account is locked at now or was locked since g was taken,
	// so one full threshold locks once.
	LockUser(ctx context.Context, userID string, g PasswordGuess, now time.Time, lengths []time.Duration) (bool, error)
	// RecordPasswordSuccess clears the failure count and the lockout level.
	RecordPasswordSuccess(ctx context.Context, userID string) error
	// RecordMFAFailure atomically adds one to the consecutive wrong-code count and
	// returns the new count. A block that has ended by now is cleared in the same
	// statement and the count starts again at 1, so a count past the limit always
	// means "blocked" without a second read. Returns ENOTFOUND.
	RecordMFAFailure(ctx context.Context, userID string, now time.Time) (int, error)
	// BlockMFA sets MFABlockedUntil, for a fraud report; the zero time lifts any
	// block and clears the block level. The count is kept: RecordMFAFailure
	// starts it again once the block has ended.
	BlockMFA(ctx context.Context, userID string, until time.Time) error
	// EscalateMFABlock blocks the second factor after too many wrong codes:
	// MFABlockedUntil becomes now plus lengths[level] (the last entry for any
	// higher level) and the block level goes up by one, read and written in one
	// statement. It reports false, with no error, when a block is running at now,
	// so racing callers block once and a running block is never pushed later.
	EscalateMFABlock(ctx context.Context, userID string, now time.Time, lengths []time.Duration) (bool, error)
	// RecordMFASuccess clears the wrong-code count and the block level.
	RecordMFASuccess(ctx context.Context, userID string) error
}

// MethodStore keeps security-info methods. Every call is scoped to one user, so a
// method ID of another member is simply not found.
type MethodStore interface {
	// CreateMethod stores m (pending, or active for a phone whose number was just
	// verified). Returns ECONFLICT when the user already has an active phone of
	// m.PhoneType, or m is an active email and the user already has one.
	CreateMethod(ctx context.Context, m *Method) error
	// MethodByID returns the user's method. Returns ENOTFOUND if it does not exist or
	// belongs to someone else.
	MethodByID(ctx context.Context, userID, methodID string) (*Method, error)
	// ListMethods returns the user's methods in the given state ("" for all), oldest first.
	ListMethods(ctx context.Context, userID string, state MethodState) ([]*Method, error)
	// ActivateMethod turns a pending method active with its name, recording step as
	// its first used TOTP step. Returns ENOTFOUND if no such pending method exists.
	ActivateMethod(ctx context.Context, userID, methodID, name string, step int64, at time.Time) error
	// ActivateMethodWithin is ActivateMethod for a pending method of kind, done
	// only while the user has fewer than limit active methods of that kind: the
	// member is locked (LockMember), counted and the method activated in one
	// transaction, so of any number of racing activations at most limit succeed.
	// Returns ECONFLICT at the limit and ENOTFOUND if no such pending method exists.
	ActivateMethodWithin(ctx context.Context, userID, methodID string, kind MethodKind, limit int, name string, step int64, at time.Time) error
	// LockMember, inside InTx, holds the member until the transaction ends, so
	// what it reads of the member's methods stays true until it commits: another
	// transaction locking the member waits for it. Returns ENOTFOUND.
	LockMember(ctx context.Context, userID string) error
	// LockOrg, inside InTx, holds the organization until the transaction ends,
	// so a change read from its current policy and written back (a policy edit
	// and the before/after its audit records) runs after, not beside, another
	// one. Returns ENOTFOUND.
	LockOrg(ctx context.Context, orgID string) error
	// DeleteMethod removes the method. Returns ENOTFOUND.
	DeleteMethod(ctx context.Context, userID, methodID string) error
	// DeletePendingBefore removes pending methods created before t (abandoned setups).
	DeletePendingBefore(ctx context.Context, t time.Time) (int, error)
	// UpdatePhoneNumber replaces a phone method's number (after the new number was
	// verified). Returns ENOTFOUND.
	UpdatePhoneNumber(ctx context.Context, userID, methodID, number string) error
	// UpdateEmail replaces an email method's address (after the new address was
	// proven by a mailed code). Returns ENOTFOUND.
	UpdateEmail(ctx context.Context, userID, methodID, email string) error
	// ConsumeStep atomically records step as used if it is newer than the last one.
	// It reports false, with no error, when the step was already used, so of many
	// identical submissions exactly one succeeds.
	ConsumeStep(ctx context.Context, methodID string, step int64, at time.Time) (bool, error)
}

// SessionStore keeps sessions.
type SessionStore interface {
	// CreateSession stores s.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByTokenHash returns the session, revoked or not. Returns ENOTFOUND.
	SessionByTokenHash(ctx context.Context, tokenHash string) (*Session, error)
	// ListSessions returns the user's live (unrevoked, unexpired at now) sessions,
	// newest first.
	ListSessions(ctx context.Context, userID string, now time.Time) ([]*Session, error)
	// TouchSession moves LastSeenAt forward.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// RecordSessionMFA records a second factor proven in the session.
	RecordSessionMFA(ctx context.Context, id, methodID string, at time.Time) error
	// RotateSession records a second factor proven in the live session id and
	// replaces its token hash oldHash with newHash in one statement, so the old
	// token stops working as the new one starts. Returns ENOTFOUND when the
	// session is revoked or its token is no longer oldHash (rotated already).
	RotateSession(ctx context.Context, id, oldHash, newHash, methodID string, at time.Time) error
	// RevokeSession marks one of the user's sessions revoked. Returns ENOTFOUND.
	RevokeSession(ctx context.Context, userID, id string, at time.Time) error
	// RevokeUserSessions revokes all the user's live sessions and returns how many.
	RevokeUserSessions(ctx context.Context, userID string, at time.Time) (int, error)
	// RevokeOtherSessions revokes the user's live sessions except keepID ("" keeps
	// none) and returns how many.
	RevokeOtherSessions(ctx context.Context, userID, keepID string, at time.Time) (int, error)
}

// FlowStore keeps sign-in flows.
type FlowStore interface {
	// CreateFlow stores f.
	CreateFlow(ctx context.Context, f *SignInFlow) error
	// FlowByIDHash returns ENOTFOUND if there is no such flow.
	FlowByIDHash(ctx context.Context, idHash string) (*SignInFlow, error)
	// ReserveFlowAttempt atomically takes one of the flow's max code checks before
	// a code is checked, and returns how many are taken with it. It reports false,
	// with no error, when all max are taken, so a burst of codes on one flow gets
	// at most max checked. Returns ENOTFOUND.
	ReserveFlowAttempt(ctx context.Context, idHash string, max int) (int, bool, error)
	// ReleaseFlowAttempt gives back a place whose code was never found wrong (not
	// checked, a replay, or right). It never goes below zero.
	ReleaseFlowAttempt(ctx context.Context, idHash string) error
	// SetFlowPendingMethod records the method being registered during the interrupt.
	SetFlowPendingMethod(ctx context.Context, idHash, methodID string) error
	// FinishFlow atomically moves a flow from the from state to the to state. It
	// reports false, with no error, if the flow was not in from any more, so a flow
	// completes (and issues a session) at most once.
	FinishFlow(ctx context.Context, idHash string, from, to FlowState) (bool, error)
	// FailMemberFlows moves every flow of the user still waiting for a second
	// factor or for registration to FlowFailed in one statement, and returns
	// how many it moved: a fraud report denies whatever sign-in is pending.
	FailMemberFlows(ctx context.Context, userID string) (int, error)
	// DeleteFlowsBefore removes flows that expired before t.
	DeleteFlowsBefore(ctx context.Context, t time.Time) (int, error)
}

// ChallengeStore keeps text and call challenges.
type ChallengeStore interface {
	// CreateChallenge stores c.
	CreateChallenge(ctx context.Context, c *Challenge) error
	// ChallengeByID returns ENOTFOUND if there is no such challenge.
	ChallengeByID(ctx context.Context, id string) (*Challenge, error)
	// LatestChallenge returns the newest challenge of binding. Returns ENOTFOUND.
	LatestChallenge(ctx context.Context, binding string) (*Challenge, error)
	// RecordChallengeAttempt atomically adds one to the wrong-code count and returns
	// the new count. Returns ENOTFOUND.
	RecordChallengeAttempt(ctx context.Context, id string) (int, error)
	// MoveChallenge atomically moves a challenge that is in one of the from states
	// to the to state with reason, stamping UpdatedAt. It reports false, with no
	// error, when the challenge was in none of them, so of racing moves exactly one
	// wins.
	MoveChallenge(ctx context.Context, id string, from []ChallengeState, to ChallengeState, reason string, at time.Time) (bool, error)
	// SetChallengeRef records the provider's ID for the text or call.
	SetChallengeRef(ctx context.Context, id, ref string) error
	// DeleteChallengesBefore removes challenges that expired before t.
	DeleteChallengesBefore(ctx context.Context, t time.Time) (int, error)
}

// AuditStore keeps the append-only audit log.
type AuditStore interface {
	// AppendAudit stores e and sets its ID.
	AppendAudit(ctx context.Context, e *AuditEvent) error
	// ListAudit returns matching events, newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
}

// CounterStore keeps fixed-window counters for throttles that must hold across
// replicas (per IP, per number, per organization per day).
type CounterStore interface {
	// Hit adds one to the counter named key for the window starting at window and
	// returns the new count. Counters older than expireBefore may be dropped.
	Hit(ctx context.Context, key string, window time.Time, expireBefore time.Time) (int, error)
	// HitAll is Hit for several distinct counters in one step, returning the new
	// counts in the order of keys. Repeated keys are an (internal) error.
	HitAll(ctx context.Context, keys []string, window time.Time, expireBefore time.Time) ([]int, error)
	// Take adds one to the counter named key for the window starting at window
	// only while it is below limit, in one statement, and reports whether it did:
	// a place is reserved before the slow work it guards, so of any number of
	// concurrent callers at most limit get one. Counters older than expireBefore
	// may be dropped.
	Take(ctx context.Context, key string, window time.Time, limit int, expireBefore time.Time) (bool, error)
	// GiveBack takes one off the counter named key for the window starting at
	// window, never below zero: the place a Take reserved for work that did not
	// count after all.
	GiveBack(ctx context.Context, key string, window time.Time) error
	// Count returns the counter named key for the window starting at window without
	// changing it; 0 when nothing was counted there.
	Count(ctx context.Context, key string, window time.Time) (int, error)
	// StartCooldown atomically starts a cooldown named key lasting until until,
	// unless one is still running at now. It reports false, with no error, when one
	// is running, so of racing callers exactly one starts it.
	StartCooldown(ctx context.Context, key string, now, until time.Time) (bool, error)
}

// MessageStore keeps the dev outbox.
type MessageStore interface {
	// AppendMessage stores m.
	AppendMessage(ctx context.Context, m *Message) error
	// ListMessages returns messages to the address to ("" for all), newest first, at most limit.
	ListMessages(ctx context.Context, to string, limit int) ([]*Message, error)
	// MessageByID returns ENOTFOUND if there is no such message.
	MessageByID(ctx context.Context, id string) (*Message, error)
	// MoveCall atomically moves an outbox call from the from state to the to state.
	// It reports false, with no error, when the call was not in from.
	MoveCall(ctx context.Context, id string, from, to CallState) (bool, error)
}

// MailQueue is the delivery queue of mail. A mail appended (AppendMessage) with
// Delivery MailPending is queued in the same transaction as the change it tells
// of, and whichever replica claims it first sends it.
type MailQueue interface {
	// ClaimMail takes up to limit pending mails due at now (NextAttemptAt at or
	// before now), oldest first, counts an attempt on each and moves its
	// NextAttemptAt to leaseUntil, in one atomic step: a mail is claimed by one
	// caller at a time, and claimed again only if its lease runs out unsettled.
	ClaimMail(ctx context.Context, now, leaseUntil time.Time, limit int) ([]*Message, error)
	// MailSent marks the mail delivered at at. Returns ENOTFOUND.
	MailSent(ctx context.Context, id string, at time.Time) error
	// RetryMail keeps the mail pending until retryAt and records why the attempt
	// failed. A mail that is no longer pending (another replica sent it after
	// this one's lease ran out) keeps its state. Returns ENOTFOUND.
	RetryMail(ctx context.Context, id string, retryAt time.Time, reason string) error
	// GiveUpMail marks the mail failed for good and records why; a mail already
	// sent stays sent. Returns ENOTFOUND.
	GiveUpMail(ctx context.Context, id, reason string) error
	// DeleteSettledMail deletes sent and failed mails created before before and
	// returns how many it deleted. Pending mail and other messages are kept.
	DeleteSettledMail(ctx context.Context, before time.Time) (int, error)
}

// Store is everything a backend provides, plus the unit-of-work boundary.
type Store interface {
	OrgStore
	UserStore
	MethodStore
	SessionStore
	FlowStore
	AuditStore
	CounterStore
	MessageStore
	MailQueue
	ChallengeStore
	FIDO2Store
	QuestionStore
	ResetStore
	CampaignStore
	OnceStore
	AdminStore
	TokenStore
	AuditRetention
	ReportStore
	TAPStore
	// InTx runs fn in one transaction: every store call made with the context fn
	// receives joins it; it commits when fn returns nil and rolls back otherwise.
	// Calls made with another context do not join it, so fn must pass its context on.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	// Ping reports whether the database answers (for /readyz).
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

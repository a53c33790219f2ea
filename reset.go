package twofold

import (
	"context"
	"time"
)

// ResetState is where a self-service password reset attempt stands.
type ResetState string

// The reset attempt states, named as the API reports them.
const (
	// ResetVerifying: the member still proves methods.
	ResetVerifying ResetState = "verifying"
	// ResetVerified: enough different methods are proven; a new password is next.
	ResetVerified ResetState = "verified"
	// ResetDone: the password was replaced; the attempt can do nothing more.
	ResetDone ResetState = "done"
)

// ResetAttempt is one self-service password reset in progress. Its ID is a
// bearer secret; only its hash (IDHash) is stored. An attempt exists for every
// name typed, known or not, so that starting a reset answers alike for all:
// UserID is "" and Required 0 for a name that is no member's.
type ResetAttempt struct {
	IDHash string
	UserID string
	OrgID  string
	State  ResetState
	// Required is how many different methods the member proves (taken when the
	// attempt starts, so a policy change mid-way cannot lower it).
	Required int
	// Proven lists the methods proven so far, each at most once, in order.
	Proven []string
	// StepMethodID is the method of the step under way, "" before one starts.
	StepMethodID string
	// StepData is what the step under way asked (the channel of a text or call,
	// the questions asked), so that its check judges what was asked.
	StepData  string
	CreatedAt time.Time
	ExpiresAt time.Time
	IP        string
	UserAgent string
}

// ResetGuess is one place taken among the failed verifications a member may
// make at reset in a window, taken before the answer is checked. Count is how
// many places are taken with it; WindowStart identifies the window, so a place
// is never given back into a later one.
type ResetGuess struct {
	Count       int
	WindowStart time.Time
}

// ResetStore keeps reset attempts and the per-member reset guard.
type ResetStore interface {
	// CreateResetAttempt stores a. Returns ECONFLICT if the ID hash is taken.
	CreateResetAttempt(ctx context.Context, a *ResetAttempt) error
	// ResetAttemptByIDHash returns ENOTFOUND if there is no such attempt.
	ResetAttemptByIDHash(ctx context.Context, idHash string) (*ResetAttempt, error)
	// SetResetStep records the step under way (its method and what it asked)
	// while the attempt is verifying and unexpired at now, in one statement;
	// false, with no error, otherwise.
	SetResetStep(ctx context.Context, idHash, methodID, data string, now time.Time) (bool, error)
	// ProveResetMethod records methodID as proven, in one statement: only while
	// the attempt is verifying, unexpired at now, short of its Required count
	// and without methodID among the proven ones. The step under way is cleared,
	// and the attempt becomes verified with its last required proof. It returns
	// the new state, or false, with no error, when nothing changed, so a method
	// counts once however many proofs of it race.
	ProveResetMethod(ctx context.Context, idHash, methodID string, now time.Time) (ResetState, bool, error)
	// FinishResetAttempt moves a verified attempt, unexpired at now, to done in
	// one statement and reports whether it did: a reset replaces the password
	// at most once.
	FinishResetAttempt(ctx context.Context, idHash string, now time.Time) (bool, error)
	// DeleteResetAttemptsBefore removes attempts that expired before t.
	DeleteResetAttemptsBefore(ctx context.Context, t time.Time) (int, error)

	// ReserveResetCheck takes one of the limit places for failed verifications
	// the member has per window, before an answer is checked, in one statement:
	// a window that began at or before now-window starts again. It reports
	// false, with no error, while the member is blocked at now or every place of
	// the window is taken by failures or by checks still running.
	ReserveResetCheck(ctx context.Context, userID string, now time.Time, limit int, window time.Duration) (ResetGuess, bool, error)
	// ReleaseResetCheck gives back the place of a check that did not fail (a
	// right answer, or one never checked), in the window it was taken in.
	ReleaseResetCheck(ctx context.Context, userID string, g ResetGuess) error
	// BlockReset blocks reset for the member until until, unless a block is
	// running at now; it reports whether it blocked, so racing failures block
	// (and are audited) once.
	BlockReset(ctx context.Context, userID string, now, until time.Time) (bool, error)
	// ResetBlockedUntil returns when the member's reset block ends; the zero
	// time when there is none.
	ResetBlockedUntil(ctx context.Context, userID string) (time.Time, error)
	// ClearResetBlock lifts the member's reset block and forgets their failed
	// verifications (an admin's unblock).
	ClearResetBlock(ctx context.Context, userID string) error
	// ClearPasswordLock clears the member's wrong-password count, lockout
	// level and any running password lock (after a reset replaced the
	// password). Returns ENOTFOUND.
	ClearPasswordLock(ctx context.Context, userID string) error
}

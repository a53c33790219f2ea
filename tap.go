package twofold

import (
	"context"
	"time"
)

// KindTemporaryAccessPass is a Temporary Access Pass: a time-limited passcode
// an admin issues so a member who has no usable method (new, or lost their
// phone) can sign in and register security info.
const KindTemporaryAccessPass MethodKind = "temporaryAccessPass"

// Temporary Access Pass lifetimes an organization may choose within.
const (
	TAPMinLifetime     = 10 * time.Minute
	TAPMaxLifetime     = 30 * 24 * time.Hour
	TAPDefaultLifetime = time.Hour
)

// TAPPolicy is how the organization's admins may issue Temporary Access Passes.
// The kind is on when KindTemporaryAccessPass is in EnabledMethods.
type TAPPolicy struct {
	// DefaultLifetime is the lifetime a pass gets unless the admin picks
	// another (10 minutes to MaxLifetime).
	DefaultLifetime Duration `json:"defaultLifetime"`
	// MaxLifetime is the longest lifetime an admin may pick (10 minutes to 30 days).
	MaxLifetime Duration `json:"maxLifetime"`
	// OneTimeOnly makes every pass usable once, whatever the admin picks.
	OneTimeOnly bool `json:"oneTimeOnly"`
}

// TAPStore keeps what a Temporary Access Pass needs beyond a method row.
type TAPStore interface {
	// UseTemporaryAccessPass records one sign-in with the member's pass
	// methodID at now, in one statement: it reports false, with no error, when
	// the pass is not active, has expired at now, or is one-time and was used
	// already, so of any number of racing sign-ins with a one-time pass exactly
	// one succeeds.
	UseTemporaryAccessPass(ctx context.Context, userID, methodID string, now time.Time) (bool, error)
	// DeletePassesEndedBefore removes every pass whose end is before t and
	// returns how many: a pass that can no longer sign anyone in is not kept
	// as security info. Idempotent, so any number of replicas may sweep.
	DeletePassesEndedBefore(ctx context.Context, t time.Time) (int, error)
}

// validate checks the lifetimes. A policy stored before passes existed has
// zero lifetimes, which mean the defaults (see Lifetimes).
func (t TAPPolicy) validate() error {
	def, maxLife := t.Lifetimes()
	switch {
	case maxLife < TAPMinLifetime || maxLife > TAPMaxLifetime:
		return FieldError("temporaryAccessPass.maxLifetime", "The longest Temporary Access Pass must last between 10 minutes and 30 days.")
	case def < TAPMinLifetime || def > maxLife:
		return FieldError("temporaryAccessPass.defaultLifetime", "A Temporary Access Pass's default lifetime must be between 10 minutes and the longest lifetime allowed.")
	}
	return nil
}

// Lifetimes returns the default and the longest lifetime of a pass, the
// defaults (1 hour and 8 hours) for a policy that predates passes.
func (t TAPPolicy) Lifetimes() (def, maxLife time.Duration) {
	def, maxLife = time.Duration(t.DefaultLifetime), time.Duration(t.MaxLifetime)
	if maxLife == 0 {
		maxLife = 8 * time.Hour
	}
	if def == 0 {
		def = min(TAPDefaultLifetime, maxLife)
	}
	return def, maxLife
}

// Package tap issues, lists and deletes Temporary Access Passes: time-limited
// passcodes an admin gives a member who has no usable method, so they can sign
// in and register security info.
package tap

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// Store is what passes need of the store.
type Store interface {
	twofold.Store
}

// Service issues and manages passes.
type Service struct {
	Store Store
	Audit *audit.Recorder
	Now   func() time.Time
	// FreshMFA is how recently a console member must have proven a second
	// factor to issue or delete a pass; zero means 5 minutes.
	FreshMFA time.Duration
}

// Request is what an admin asks for when issuing a pass. Zero Lifetime is the
// policy's default; zero StartAt is now.
type Request struct {
	Lifetime time.Duration
	OneTime  bool
	StartAt  time.Time
}

// Issued is a new pass: its method (never the pass) and the pass itself, which
// is shown once and never stored.
type Issued struct {
	Method *twofold.Method
	Pass   string
}

// startSlack is how far in the past a requested start may lie and still mean
// "now": a start typed to the minute is already behind the clock.
const startSlack = 5 * time.Minute

// ErrNotEnabled refuses a pass in an organization whose policy has passes off.
var ErrNotEnabled = twofold.Errorf(twofold.EFORBIDDEN,
	"Your organization's policy doesn't allow Temporary Access Passes. An admin can turn them on in the authentication methods policy.")

// Issue gives member userID a new pass, replacing any pass they hold, and
// returns it: the only time the pass is seen, since only its hash is kept. The
// actor needs the methods.manage scope, a recent second factor and the right
// to act on the member (the help desk never gives an admin a pass). The
// lifetime must lie within the policy's bounds; a policy of one-time passes
// makes every pass one-time. The replacement, its audit event and the notice
// to the member commit together, with the member locked, so racing issues
// leave exactly one pass.
func (s *Service) Issue(ctx context.Context, a *twofold.Actor, userID string, r Request) (*Issued, error) {
	u, org, err := s.change(ctx, a, userID)
	if err != nil {
		return nil, err
	}
	pol := org.Policy
	if !pol.MethodEnabled(twofold.KindTemporaryAccessPass) {
		return nil, ErrNotEnabled
	}
	if u.Disabled {
		return nil, twofold.Errorf(twofold.EINVALID, "This member's account is disabled, so a pass would not let them in. Enable the account first.")
	}
	now := s.now()
	start, end, err := window(pol.TemporaryAccessPass, r, now)
	if err != nil {
		return nil, err
	}
	pass := newPass()
	m := &twofold.Method{
		ID: twofold.NewID(), UserID: u.ID, Kind: twofold.KindTemporaryAccessPass, State: twofold.MethodActive,
		Name: "Temporary Access Pass", PassHash: twofold.HashToken(Normalize(pass)),
		ExpiresAt: end, UsableOnce: r.OneTime || pol.TemporaryAccessPass.OneTimeOnly,
		CreatedAt: now, ActivatedAt: start,
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.LockMember(ctx, u.ID); err != nil {
			return fmt.Errorf("tap: lock member: %w", err)
		}
		replaced, err := s.removePasses(ctx, u.ID)
		if err != nil {
			return err
		}
		if err := s.Store.CreateMethod(ctx, m); err != nil {
			return fmt.Errorf("tap: save pass: %w", err)
		}
		reason := "Temporary Access Pass: " + methodkind.PassDetail(m)
		if replaced > 0 {
			reason += "; replaced the previous pass"
		}
		return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityAdminRegistered, reason,
			"Your organization's admin issued a Temporary Access Pass for your account. "+methodkind.PassDetail(m)+".")
	})
	if err != nil {
		return nil, err
	}
	return &Issued{Method: shown(m), Pass: pass}, nil
}

// window returns when a pass asked for by r at now starts and ends, or a
// field error naming what is out of the policy's bounds.
func window(pol twofold.TAPPolicy, r Request, now time.Time) (start, end time.Time, err error) {
	def, maxLife := pol.Lifetimes()
	life := r.Lifetime
	if life == 0 {
		life = def
	}
	if life < twofold.TAPMinLifetime || life > maxLife {
		return start, end, twofold.FieldError("lifetime", fmt.Sprintf(
			"A Temporary Access Pass must last between 10 minutes and %s, the longest your organization allows.", wording(maxLife)))
	}
	start = now
	if !r.StartAt.IsZero() {
		switch s := r.StartAt.UTC(); {
		case s.Before(now.Add(-startSlack)):
			return start, end, twofold.FieldError("startAt", "The start can't be in the past. Leave it empty to start now.")
		case s.After(now.Add(twofold.TAPMaxLifetime)):
			return start, end, twofold.FieldError("startAt", "The start must be within the next 30 days.")
		case s.After(now):
			start = s
		}
	}
	return start, start.Add(life), nil
}

// wording says a lifetime for people: "8 hours", "30 days", "90 minutes".
func wording(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/time.Minute), "minute")
}

// removePasses deletes every pass of the member (at most one) inside the
// caller's transaction and returns how many it deleted.
func (s *Service) removePasses(ctx context.Context, userID string) (int, error) {
	methods, err := s.Store.ListMethods(ctx, userID, "")
	if err != nil {
		return 0, fmt.Errorf("tap: list methods: %w", err)
	}
	n := 0
	for _, m := range methods {
		if m.Kind != twofold.KindTemporaryAccessPass {
			continue
		}
		if err := s.Store.DeleteMethod(ctx, userID, m.ID); err != nil {
			return 0, fmt.Errorf("tap: remove old pass: %w", err)
		}
		n++
	}
	return n, nil
}

// List returns the member's passes, without their hashes. It needs the
// users.read scope and the right to act on the member.
func (s *Service) List(ctx context.Context, a *twofold.Actor, userID string) ([]*twofold.Method, error) {
	u, err := s.target(ctx, a, userID, twofold.ScopeUsersRead)
	if err != nil {
		return nil, err
	}
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("tap: list methods: %w", err)
	}
	out := []*twofold.Method{}
	for _, m := range methods {
		if m.Kind == twofold.KindTemporaryAccessPass {
			out = append(out, shown(m))
		}
	}
	return out, nil
}

// Delete removes the member's pass methodID, audited and told to the member.
// Returns ENOTFOUND when the member has no such pass (another kind of method
// included: the admin's other method deletion is for those).
func (s *Service) Delete(ctx context.Context, a *twofold.Actor, userID, methodID string) error {
	u, org, err := s.change(ctx, a, userID)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.Store.MethodByID(ctx, u.ID, methodID)
		if twofold.ErrorCode(err) == twofold.ENOTFOUND || (err == nil && m.Kind != twofold.KindTemporaryAccessPass) {
			return twofold.Errorf(twofold.ENOTFOUND, "This member has no such Temporary Access Pass.")
		} else if err != nil {
			return fmt.Errorf("tap: find pass: %w", err)
		}
		if err := s.Store.DeleteMethod(ctx, u.ID, m.ID); err != nil {
			return fmt.Errorf("tap: delete pass: %w", err)
		}
		return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityAdminDeleted, "Temporary Access Pass",
			"Your organization's admin deleted your Temporary Access Pass.")
	})
}

// shown is a copy of pass m without its hash.
func shown(m *twofold.Method) *twofold.Method {
	c := *m
	c.PassHash = ""
	return &c
}

package campaign

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// Store is what the campaign needs from the database.
type Store interface {
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
	twofold.CampaignStore
	// InTx runs fn in one transaction (see twofold.Store), so a step of the
	// campaign is never kept without its audit event.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Service runs the registration campaign.
type Service struct {
	Store Store
	Audit *audit.Recorder
	Now   func() time.Time
}

// New returns a Service.
func New(st Store, a *audit.Recorder, now func() time.Time) *Service {
	return &Service{Store: st, Audit: a, Now: now}
}

// ResetMethods names what the campaign asks for in Status.Required.
const ResetMethods = "resetMethods"

// Status is what the campaign asks of a member now.
type Status struct {
	// Required names what is still needed (ResetMethods); empty when nothing
	// is, or when nothing the member could add would help.
	Required []string
	// ResetMissing is how many more reset methods the member needs.
	ResetMissing int
	// CanAdd are the kinds the member may add that count for reset.
	CanAdd []twofold.MethodKind
	// Due reports whether the campaign asks now: something is required and no
	// snooze runs.
	Due bool
	// SnoozeDays is how long one snooze lasts; 0 allows none.
	SnoozeDays int
	// SnoozesLeft is how many more snoozes the member may take.
	SnoozesLeft int
	// SnoozedUntil is when the running snooze ends; zero when none runs.
	SnoozedUntil time.Time
	// HelpdeskContact is the organization's help desk.
	HelpdeskContact string
}

// CanSnooze reports whether "Not now" is offered: the policy allows snoozes
// and the member has some left.
func (s *Status) CanSnooze() bool { return s.SnoozeDays > 0 && s.SnoozesLeft > 0 }

// Status returns what the campaign asks of the signed-in member. It also keeps
// the campaign's record: the first time something is asked of the member it
// audits "User started security info registration", and once the member has
// everything after that, "User registered all required security info"; racing
// callers record each once.
func (s *Service) Status(ctx context.Context, p *twofold.Principal) (*Status, error) {
	st, c, err := s.status(ctx, p)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	switch {
	case st.ResetMissing == 0 && c != (twofold.CampaignState{}):
		err = s.Store.InTx(ctx, func(ctx context.Context) error {
			done, err := s.Store.FinishCampaign(ctx, p.User.ID)
			if err != nil || !done {
				return err
			}
			return s.Audit.Member(ctx, p, twofold.ActivityRegisteredAll, "registration campaign: reset methods")
		})
	case st.Due && c.StartedAt.IsZero():
		err = s.Store.InTx(ctx, func(ctx context.Context) error {
			started, err := s.Store.StartCampaign(ctx, p.User.ID, now)
			if err != nil || !started {
				return err
			}
			return s.Audit.Member(ctx, p, twofold.ActivityStartedRegister, "registration campaign: reset methods")
		})
	}
	if err != nil {
		return nil, fmt.Errorf("campaign: record: %w", err)
	}
	return st, nil
}

// status reads the member's methods and campaign and says what is asked.
func (s *Service) status(ctx context.Context, p *twofold.Principal) (*Status, twofold.CampaignState, error) {
	methods, err := s.Store.ListMethods(ctx, p.User.ID, twofold.MethodActive)
	if err != nil {
		return nil, twofold.CampaignState{}, fmt.Errorf("campaign: list methods: %w", err)
	}
	c, err := s.Store.CampaignState(ctx, p.User.ID)
	if err != nil {
		return nil, c, fmt.Errorf("campaign: read: %w", err)
	}
	pol := p.Org.Policy
	st := &Status{
		ResetMissing:    methodkind.ResetMissing(pol, p.User, methods),
		SnoozeDays:      pol.Campaign.SnoozeDays,
		SnoozesLeft:     max(0, twofold.MaxSnoozes-c.Snoozes),
		HelpdeskContact: pol.HelpdeskContact,
	}
	if st.ResetMissing == 0 {
		st.SnoozesLeft = twofold.MaxSnoozes
		return st, c, nil
	}
	st.CanAdd = methodkind.ResetAddable(pol, p.User, methods)
	if len(st.CanAdd) == 0 {
		// Nothing the member could add would help: asking would only stop them.
		return st, c, nil
	}
	st.Required = []string{ResetMethods}
	now := s.Now()
	if c.Snoozed(now) {
		st.SnoozedUntil = c.SnoozedUntil
	} else {
		st.Due = true
	}
	return st, c, nil
}

// ErrNothingToSnooze refuses a snooze when the campaign asks for nothing.
var ErrNothingToSnooze = twofold.Errorf(twofold.ECONFLICT, "There's nothing to put off: your account has everything your organization asks for.")

// ErrNoSnooze refuses a snooze the policy does not allow.
var ErrNoSnooze = twofold.Errorf(twofold.EFORBIDDEN, "Your organization asks you to add a way to reset your password now.")

// ErrSnoozesUsed refuses a snooze after the last one allowed.
var ErrSnoozesUsed = &twofold.Error{Code: twofold.EFORBIDDEN,
	Message: fmt.Sprintf("You've put this off %d times already, so it can't wait any longer. Add a way to reset your password now.", twofold.MaxSnoozes)}

// Snooze puts the campaign off for the policy's snooze days ("Not now"). A
// snooze that is already running is kept as it is and not counted again, so a
// double click or racing requests take one snooze. Each snooze taken is audited.
func (s *Service) Snooze(ctx context.Context, p *twofold.Principal) (*Status, error) {
	st, _, err := s.status(ctx, p)
	switch {
	case err != nil:
		return nil, err
	case len(st.Required) == 0:
		return nil, ErrNothingToSnooze
	case !st.Due:
		return st, nil // already snoozed
	case st.SnoozeDays == 0:
		return nil, ErrNoSnooze
	case st.SnoozesLeft == 0:
		return nil, ErrSnoozesUsed
	}
	now := s.Now()
	var c twofold.CampaignState
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		var took bool
		var err error
		c, took, err = s.Store.SnoozeCampaign(ctx, p.User.ID, now, now.Add(time.Duration(st.SnoozeDays)*24*time.Hour), twofold.MaxSnoozes)
		if err != nil || !took {
			return err
		}
		reason := fmt.Sprintf("registration campaign: reset methods put off until %s (snooze %d of %d)",
			c.SnoozedUntil.UTC().Format(time.RFC3339), c.Snoozes, twofold.MaxSnoozes)
		return s.Audit.Member(ctx, p, twofold.ActivityCanceledRegister, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("campaign: snooze: %w", err)
	}
	st.SnoozesLeft = max(0, twofold.MaxSnoozes-c.Snoozes)
	if !c.Snoozed(now) {
		// Another request took the last snooze between the read and the update.
		return nil, ErrSnoozesUsed
	}
	st.Due, st.SnoozedUntil = false, c.SnoozedUntil
	return st, nil
}

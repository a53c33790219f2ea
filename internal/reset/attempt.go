package reset

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// Option is one way left to verify: a method not proven yet, by one proof.
type Option struct {
	// Choice names the option in a form or a request ("<method ID>.<proof>").
	Choice string
	methodkind.ResetOption
}

// NeedsTarget reports whether the member types the full number or address
// before anything is sent.
func (o Option) NeedsTarget() bool { return o.Target != "" }

// Step is the step under way: the option chosen and what it waits for.
type Step struct {
	Option
	// Challenge is the attempt's newest text or call, for a text or call step.
	Challenge *twofold.Challenge
	// CeremonyID and KeyOptions are a security key's login, for a key step,
	// right after it began.
	CeremonyID string
	KeyOptions []byte
	// Questions are the security questions asked, for a questions step.
	Questions []string
}

// View is where an attempt stands, for the pages and the API.
type View struct {
	ID    string
	State twofold.ResetState
	// Eligible is false for everyone who can't reset here, unknown names
	// included; Refusal then says whom to contact.
	Eligible bool
	Refusal  error
	Required int
	Proven   int
	// Options are the ways left to verify, methods proven already left out.
	Options   []Option
	Step      *Step
	ExpiresAt time.Time
	// MinPasswordLength is the shortest new password the policy accepts.
	MinPasswordLength int
	// PasswordWords are the names a new password may not contain (the user
	// name, the display name, the organization's name), given only once the
	// member is verified, so a page can say so while they type.
	PasswordWords []string
}

// state is an attempt loaded with what every step needs.
type state struct {
	a       *twofold.ResetAttempt
	u       *twofold.User
	org     *twofold.Organization
	options []Option // every option of the member's methods, proven or not
	refusal error    // why the member can't go on; nil when they can
}

// load returns the live attempt id (unexpired, not done) with its member,
// organization and options. An unknown name's attempt loads too: its refusal
// is the "contact your administrator" every ineligible member gets.
func (s *Service) load(ctx context.Context, id string) (*state, error) {
	if id == "" || len(id) > 128 {
		return nil, ErrGone
	}
	a, err := s.Store.ResetAttemptByIDHash(ctx, twofold.HashToken(id))
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, ErrGone
	} else if err != nil {
		return nil, fmt.Errorf("reset: load attempt: %w", err)
	}
	now := s.Now()
	if !now.Before(a.ExpiresAt) || a.State == twofold.ResetDone {
		return nil, ErrGone
	}
	st := &state{a: a}
	if a.OrgID != "" {
		if st.org, err = s.Store.OrgByID(ctx, a.OrgID); err != nil {
			return nil, fmt.Errorf("reset: org: %w", err)
		}
	}
	if a.UserID == "" {
		st.refusal = notEligible(st.org)
		return st, nil
	}
	if st.u, err = s.Store.UserByID(ctx, a.UserID); err != nil {
		return nil, fmt.Errorf("reset: user: %w", err)
	}
	if err := s.eligible(ctx, st, now); err != nil {
		return nil, err
	}
	return st, nil
}

// eligible fills st's options and says in st.refusal why the member can't
// reset now: reset off, a disabled account, a blocked second factor (too
// many wrong codes, a fraud report), a reset block, or too few methods left
// to prove. Every reason reads the same to the person at the page.
func (s *Service) eligible(ctx context.Context, st *state, now time.Time) error {
	p := st.org.Policy
	methods, err := s.Store.ListMethods(ctx, st.u.ID, twofold.MethodActive)
	if err != nil {
		return fmt.Errorf("reset: methods: %w", err)
	}
	for _, o := range methodkind.ResetOptions(p, st.u, methods) {
		st.options = append(st.options, Option{Choice: o.MethodID + "." + string(o.Proof), ResetOption: o})
	}
	blockedUntil, err := s.Store.ResetBlockedUntil(ctx, st.u.ID)
	if err != nil {
		return fmt.Errorf("reset: block: %w", err)
	}
	switch {
	case !p.Reset.Enabled, st.u.Disabled, now.Before(st.u.MFABlockedUntil):
		st.refusal = notEligible(st.org)
	case now.Before(blockedUntil):
		st.refusal = ErrBlocked
	case st.a.State == twofold.ResetVerifying && len(st.open()) < st.a.Required-len(st.a.Proven):
		st.refusal = notEligible(st.org)
	}
	return nil
}

// open returns the distinct methods that can still be proven.
func (st *state) open() []string {
	var ids []string
	for _, o := range st.options {
		if !slices.Contains(st.a.Proven, o.MethodID) && !slices.Contains(ids, o.MethodID) {
			ids = append(ids, o.MethodID)
		}
	}
	return ids
}

// stepOption returns the option of the step under way.
func (st *state) stepOption() (Option, bool) {
	if st.a.StepMethodID == "" {
		return Option{}, false
	}
	proof, _, _ := strings.Cut(st.a.StepData, "\n")
	return st.option(st.a.StepMethodID + "." + proof)
}

// stepQuestions returns the security questions the step under way asked.
func stepQuestions(a *twofold.ResetAttempt) []string {
	_, qs, ok := strings.Cut(a.StepData, "\n")
	if !ok || qs == "" {
		return nil
	}
	return strings.Split(qs, "\n")
}

// option returns the option named choice among those not proven yet.
func (st *state) option(choice string) (Option, bool) {
	for _, o := range st.options {
		if o.Choice == choice && !slices.Contains(st.a.Proven, o.MethodID) {
			return o, true
		}
	}
	return Option{}, false
}

// Attempt returns where the attempt id stands: the method step. Unknown and
// ineligible names get the same refusal; eligible members get the ways left.
func (s *Service) Attempt(ctx context.Context, id string) (*View, error) {
	st, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, id, st), nil
}

func (s *Service) view(ctx context.Context, id string, st *state) *View {
	v := &View{ID: id, State: st.a.State, ExpiresAt: st.a.ExpiresAt, Refusal: st.refusal, Eligible: st.refusal == nil}
	if st.org != nil {
		v.MinPasswordLength = st.org.Policy.PasswordMinimum()
	}
	if !v.Eligible {
		// Nothing about the member shows, not even how many steps there were.
		v.State = twofold.ResetVerifying
		return v
	}
	v.Required, v.Proven = st.a.Required, len(st.a.Proven)
	if v.State == twofold.ResetVerified {
		v.PasswordWords = []string{st.u.Username, st.u.DisplayName, st.org.Name}
	}
	for _, o := range st.options {
		if !slices.Contains(st.a.Proven, o.MethodID) {
			v.Options = append(v.Options, o)
		}
	}
	if o, ok := st.stepOption(); ok {
		v.Step = &Step{Option: o, Questions: stepQuestions(st.a)}
		var c *twofold.Challenge
		var err error
		switch o.Proof {
		case methodkind.ProofText, methodkind.ProofCall:
			c, err = s.Phones.Status(ctx, binding(st.a), twofold.PurposeReset)
		case methodkind.ProofEmailCode:
			c, err = s.Mail.Latest(ctx, binding(st.a))
		}
		if err == nil && c != nil && c.MethodID == o.MethodID {
			v.Step.Challenge = c
		}
	}
	return v
}

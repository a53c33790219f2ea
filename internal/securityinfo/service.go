package securityinfo

import (
	"context"
	"fmt"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/totp"
)

// Store is what the Security info page needs from the database.
type Store interface {
	ListMethods(ctx context.Context, userID string, state twofold.MethodState) ([]*twofold.Method, error)
	MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error)
	DeleteMethod(ctx context.Context, userID, methodID string) error
	// LockMember holds the member for the rest of the transaction, so a sign-in
	// finishing with a method cannot interleave with its delete.
	LockMember(ctx context.Context, userID string) error
	CreateMethod(ctx context.Context, m *twofold.Method) error
	UpdatePhoneNumber(ctx context.Context, userID, methodID, number string) error
	SetPreferredMethod(ctx context.Context, userID string, pref twofold.SignInPreference) error
	// InTx runs fn in one transaction (see twofold.Store): a change, its audit
	// event and its notice commit together or not at all.
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Enroller registers authenticator apps.
type Enroller interface {
	Begin(ctx context.Context, userID, issuer, account string) (*totp.Enrolment, error)
	Pending(ctx context.Context, userID, methodID, issuer, account string) (*totp.Enrolment, error)
	Activate(ctx context.Context, userID, methodID, name, code string, limit int) error
}

// Phones sends texts and places calls (internal/phone).
type Phones interface {
	Send(ctx context.Context, r phone.Request) (*twofold.Challenge, error)
	Status(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error)
	TakeCall(ctx context.Context, binding string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error)
	CheckCode(ctx context.Context, binding string, purpose twofold.ChallengePurpose, code string) (*twofold.Challenge, error)
	// CancelCall hangs up the binding's call if it still rings or waits for "#".
	CancelCall(ctx context.Context, binding string, purpose twofold.ChallengePurpose) error
}

// Deps are the collaborators of the Service.
type Deps struct {
	Store    Store
	Enroller Enroller
	Phones   Phones
	Keys     Keys // security keys; Keys.WebAuthn nil when unavailable here
	Checker  *secondfactor.Checker
	Sessions *session.Service
	Audit    *audit.Recorder
	Now      func() time.Time
	// FreshWindow is how recent the session's second factor must be for any change;
	// default 10 minutes.
	FreshWindow time.Duration
	// Questions hash and keep security questions.
	Questions Questions
	// Emails mail and check codes, and keep email methods.
	Emails Emails
}

// saveVerified saves the verified method v for the signed-in member, in one
// transaction with its audit event and notice; methods are their active methods.
func (s *Service) saveVerified(ctx context.Context, p *twofold.Principal, methods []*twofold.Method, v methodkind.Verified) (*twofold.Method, error) {
	var m *twofold.Method
	err := s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		m, err = s.save.Save(ctx, p, methods, v, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Service runs the Security info use cases.
type Service struct {
	Deps
	save *methodkind.Saver
}

// New returns a Service.
func New(d Deps) *Service {
	if d.FreshWindow <= 0 {
		d.FreshWindow = 10 * time.Minute
	}
	return &Service{Deps: d, save: &methodkind.Saver{Store: d.Store, Audit: d.Audit, Sessions: d.Sessions}}
}

// ErrReauth asks the member to prove their second factor again before going on.
var ErrReauth = twofold.Errorf(twofold.EREAUTH, "For your security, verify your identity again to continue.")

// activeMethods lists the member's active methods and checks the fresh-MFA window:
// a member with a usable second factor must have proven one recently.
func (s *Service) activeMethods(ctx context.Context, p *twofold.Principal) ([]*twofold.Method, error) {
	methods, err := s.Store.ListMethods(ctx, p.User.ID, twofold.MethodActive)
	if err != nil {
		return nil, fmt.Errorf("securityinfo: list methods: %w", err)
	}
	if len(methodkind.Usable(p.Org.Policy, methods)) > 0 && !s.fresh(p.Session) {
		return nil, ErrReauth
	}
	return methods, nil
}

func (s *Service) fresh(sess *twofold.Session) bool {
	return !sess.MFAAt.IsZero() && s.Now().Sub(sess.MFAAt) < s.FreshWindow
}

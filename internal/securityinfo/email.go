package securityinfo

import (
	"context"
	"fmt"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// EmailStore saves email methods.
type EmailStore interface {
	CreateMethod(ctx context.Context, m *twofold.Method) error
	MethodByID(ctx context.Context, userID, methodID string) (*twofold.Method, error)
	UpdateEmail(ctx context.Context, userID, methodID, address string) error
}

// Emails are what email methods need: mailing and checking codes
// (internal/email) and the store of methods.
type Emails struct {
	Codes *email.Codes
	Store EmailStore
}

// EmailForm is what the add-or-change email form shows.
type EmailForm struct {
	// Changing is the email whose address is being changed, nil when adding.
	Changing *twofold.Method
	// Username is the member's work address, which cannot be their email method.
	Username string
}

// EmailRequest is the filled-in email form.
type EmailRequest struct {
	Address string // as typed
	// MethodID is the email whose address is being changed; "" to add one.
	MethodID string
}

// emailBinding ties a code mailed from Security info to the session that
// asked for it. It is not the phones' binding, so a text sent meanwhile does
// not hide the mailed code.
func emailBinding(sessionID string) string { return "session:" + sessionID + ":email" }

// ErrEmailTaken refuses a second email address.
var ErrEmailTaken = twofold.Errorf(twofold.ECONFLICT, "You already have an email address. Change it instead.")

// EmailForm returns what the email form may offer; methodID names the email to
// change, "" to add one. Returns ErrReauth, EFORBIDDEN when the organization
// does not allow email, ENOTFOUND for an unknown method, or ErrEmailTaken when
// adding while the member has one.
func (s *Service) EmailForm(ctx context.Context, p *twofold.Principal, methodID string) (*EmailForm, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.emailForm(p, methods, methodID)
}

func (s *Service) emailForm(p *twofold.Principal, methods []*twofold.Method, methodID string) (*EmailForm, error) {
	pol := p.Org.Policy
	if !pol.MethodEnabled(twofold.KindEmail) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow an email address in security info.")
	}
	f := &EmailForm{Username: p.User.Username}
	if methodID == "" {
		if !methodkind.Of(twofold.KindEmail).Room(pol, methods) {
			return nil, ErrEmailTaken
		}
		return f, nil
	}
	for _, m := range methods {
		if m.ID == methodID && m.Kind == twofold.KindEmail {
			f.Changing = m
			return f, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That email address isn't part of your security info.")
}

// BeginEmail checks the form and mails a 6-digit code, valid 10 minutes, to
// the address. Nothing is saved until the code is entered. Returns ErrReauth,
// field errors ("emailAddress"), ERATELIMIT past the member's mail limit, or
// EUNAVAILABLE when the mail could not be queued.
func (s *Service) BeginEmail(ctx context.Context, p *twofold.Principal, req EmailRequest) (*twofold.Challenge, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	f, err := s.emailForm(p, methods, req.MethodID)
	if err != nil {
		return nil, err
	}
	address, err := email.Parse(req.Address)
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(address, p.User.Username) {
		return nil, twofold.FieldError("emailAddress", "That's the address you sign in with. Enter another address, so you can get a code when you can't sign in.")
	}
	if f.Changing != nil && f.Changing.Email == address {
		return nil, twofold.FieldError("emailAddress", "That's already your email address. Enter the new address.")
	}
	return s.sendEmailCode(ctx, p, req.MethodID, address)
}

func (s *Service) sendEmailCode(ctx context.Context, p *twofold.Principal, methodID, address string) (*twofold.Challenge, error) {
	ch, err := s.Emails.Codes.Send(ctx, email.Request{
		UserID: p.User.ID, OrgID: p.Org.ID, OrgName: p.Org.Name, Binding: emailBinding(p.Session.ID),
		Purpose: twofold.PurposeRegister, MethodID: methodID, Address: address,
	})
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Member(ctx, p, twofold.ActivityStartedRegister, "email "+email.Mask(address)+" code mailed"); err != nil {
		return nil, err
	}
	return ch, nil
}

// EmailPending returns the session's newest mailed code, which must be
// challengeID when one is given (a resent code replaces the one before), so a
// page can say where it went.
func (s *Service) EmailPending(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error) {
	if _, err := s.activeMethods(ctx, p); err != nil {
		return nil, err
	}
	return s.currentEmail(ctx, p, challengeID)
}

func (s *Service) currentEmail(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error) {
	ch, err := s.Emails.Codes.Latest(ctx, emailBinding(p.Session.ID))
	if err != nil {
		return nil, err
	}
	if ch.Purpose != twofold.PurposeRegister {
		return nil, email.ErrNoCode
	}
	if challengeID != "" && ch.ID != challengeID {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That code was replaced by a newer one. Use the code in the newest email.")
	}
	return ch, nil
}

// ResendEmail mails a new code to the address of the session's newest mailed
// code; the old code stops working. Limits as BeginEmail.
func (s *Service) ResendEmail(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	ch, err := s.currentEmail(ctx, p, challengeID)
	if err != nil {
		return nil, err
	}
	if _, err := s.emailForm(p, methods, ch.MethodID); err != nil {
		return nil, err
	}
	return s.sendEmailCode(ctx, p, ch.MethodID, ch.Email)
}

// FinishEmail checks the mailed code and saves the address it proved: a new
// email method, or the new address of the one being changed. The change, its
// audit event and its notice commit together. A wrong code counts against the
// mail (5 tries); the code works once.
func (s *Service) FinishEmail(ctx context.Context, p *twofold.Principal, challengeID, code string) (*twofold.Method, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	if _, err := s.currentEmail(ctx, p, challengeID); err != nil {
		return nil, err
	}
	ch, err := s.Emails.Codes.Check(ctx, emailBinding(p.Session.ID), code)
	if err != nil {
		return nil, err
	}
	if ch.Purpose != twofold.PurposeRegister || (challengeID != "" && ch.ID != challengeID) {
		// A newer code arrived between the two reads; this one proved nothing asked for.
		return nil, email.ErrNoCode
	}
	// Allowed when the code was mailed; the policy or the member's methods may
	// have changed since.
	if _, err := s.emailForm(p, methods, ch.MethodID); err != nil {
		return nil, err
	}
	return s.saveVerified(ctx, p, methods, s.verifiedEmail(p, ch))
}

// verifiedEmail is the email ch proved: a new one, or a changed address.
func (s *Service) verifiedEmail(p *twofold.Principal, ch *twofold.Challenge) methodkind.Verified {
	reason := func(m *twofold.Method) string {
		return fmt.Sprintf("email %s %s verified by a mailed code", m.ID, email.Mask(m.Email))
	}
	if ch.MethodID == "" {
		return methodkind.NewEmail(s.Emails.Store, p.User.ID, ch, s.Now, func(m *twofold.Method) (string, string) {
			return reason(m), fmt.Sprintf("An email address (%s) was added to your security info.", email.Mask(m.Email))
		})
	}
	return methodkind.Verified{
		Save: func(ctx context.Context) (*twofold.Method, error) {
			if err := s.Emails.Store.UpdateEmail(ctx, p.User.ID, ch.MethodID, ch.Email); err != nil {
				return nil, err
			}
			m, err := s.Emails.Store.MethodByID(ctx, p.User.ID, ch.MethodID)
			if err != nil {
				return nil, fmt.Errorf("securityinfo: reload email: %w", err)
			}
			return m, nil
		},
		Preference: twofold.PreferenceNone,
		Activity:   twofold.ActivityUpdated,
		Describe: func(m *twofold.Method) (string, string) {
			return reason(m), fmt.Sprintf("The email address in your security info was changed to %s.", email.Mask(m.Email))
		},
	}
}

package api

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// Email test values: the member's email method and the code the fake mails.
const (
	emailID      = "e0123456789abcdef0123456789abcde"
	mailedID     = "mail-0123456789abcdef0123456789a"
	rightMailed  = "246810"
	emailAddress = "ada@fabrikam.com"
)

func emailMethod() *twofold.Method {
	return &twofold.Method{ID: emailID, UserID: "u1", Kind: twofold.KindEmail, State: twofold.MethodActive,
		Name: "Email", Email: emailAddress, CreatedAt: t0, ActivatedAt: t0}
}

func (f *fakeSecurityInfo) BeginEmail(_ context.Context, p *twofold.Principal, req securityinfo.EmailRequest) (*twofold.Challenge, error) {
	f.rec.add("BeginEmail", req.Address, req.MethodID)
	if err := f.errs.of("BeginEmail"); err != nil {
		return nil, err
	}
	address, err := email.Parse(req.Address)
	if err != nil {
		return nil, err
	}
	f.mailed = &twofold.Challenge{ID: mailedID, UserID: p.User.ID, Channel: twofold.ChannelEmail,
		Purpose: twofold.PurposeRegister, MethodID: req.MethodID, Email: address, State: twofold.ChallengeSent,
		CreatedAt: t0, ExpiresAt: t0.Add(10 * time.Minute)}
	return f.mailed, nil
}

func (f *fakeSecurityInfo) EmailPending(_ context.Context, _ *twofold.Principal, id string) (*twofold.Challenge, error) {
	f.rec.add("EmailPending", id)
	if err := f.errs.of("EmailPending"); err != nil {
		return nil, err
	}
	if f.mailed == nil || f.mailed.ID != id {
		return nil, email.ErrNoCode
	}
	return f.mailed, nil
}

func (f *fakeSecurityInfo) FinishEmail(_ context.Context, p *twofold.Principal, id, code string) (*twofold.Method, error) {
	f.rec.add("FinishEmail", id, code)
	if err := f.errs.of("FinishEmail"); err != nil {
		return nil, err
	}
	if f.mailed == nil || f.mailed.ID != id {
		return nil, email.ErrNoCode
	}
	if code != rightMailed {
		return nil, email.ErrWrongCode
	}
	if f.mailed.MethodID != "" {
		m := emailMethod()
		m.Email = f.mailed.Email
		return m, nil
	}
	return &twofold.Method{ID: "e-new", UserID: p.User.ID, Kind: twofold.KindEmail, State: twofold.MethodActive,
		Name: "Email", Email: f.mailed.Email, CreatedAt: t0, ActivatedAt: t0}, nil
}

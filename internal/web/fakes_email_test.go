package web

import (
	"context"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// The fake's email: a method of kind email among f.methods ("e1"); the code
// mailed is always rightEmailCode. Address parsing is the real one, so the form
// shows the real problems.
const rightEmailCode = "246810"

func (f *fakeSecurityInfo) emailMethod() *twofold.Method {
	for _, m := range f.methods {
		if m.Kind == twofold.KindEmail {
			return m
		}
	}
	return nil
}

func (f *fakeSecurityInfo) EmailForm(_ context.Context, p *twofold.Principal, methodID string) (*securityinfo.EmailForm, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	form := &securityinfo.EmailForm{Username: p.User.Username}
	m := f.emailMethod()
	switch {
	case methodID == "" && m != nil:
		return nil, securityinfo.ErrEmailTaken
	case methodID == "":
		return form, nil
	case m == nil || m.ID != methodID:
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That email address isn't part of your security info.")
	}
	form.Changing = m
	return form, nil
}

func (f *fakeSecurityInfo) BeginEmail(ctx context.Context, p *twofold.Principal, req securityinfo.EmailRequest) (*twofold.Challenge, error) {
	if _, err := f.EmailForm(ctx, p, req.MethodID); err != nil {
		return nil, err
	}
	address, err := email.Parse(req.Address)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(address, "busy@") {
		return nil, &twofold.Error{Code: twofold.ERATELIMIT, Message: "You've hit our limit on emails. Try again in a few minutes.",
			Err: waitErr(5 * time.Minute)}
	}
	return f.mail(req.MethodID, address), nil
}

// waitErr carries a throttle's wait, as the email package's refusal does.
type waitErr time.Duration

func (d waitErr) Error() string             { return "wait" }
func (d waitErr) RetryAfter() time.Duration { return time.Duration(d) }

func (f *fakeSecurityInfo) mail(methodID, address string) *twofold.Challenge {
	f.record("mail code to %s", address)
	f.emailN++
	ch := &twofold.Challenge{ID: "mail" + string(rune('0'+f.emailN)), Channel: twofold.ChannelEmail,
		Purpose: twofold.PurposeRegister, MethodID: methodID, Email: address, State: twofold.ChallengeSent}
	f.emailCode = ch
	return ch
}

func (f *fakeSecurityInfo) EmailPending(_ context.Context, p *twofold.Principal, id string) (*twofold.Challenge, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	if f.emailCode == nil {
		return nil, email.ErrNoCode
	}
	if id != "" && f.emailCode.ID != id {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That code was replaced by a newer one. Use the code in the newest email.")
	}
	return f.emailCode, nil
}

func (f *fakeSecurityInfo) ResendEmail(ctx context.Context, p *twofold.Principal, id string) (*twofold.Challenge, error) {
	ch, err := f.EmailPending(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return f.mail(ch.MethodID, ch.Email), nil
}

func (f *fakeSecurityInfo) FinishEmail(ctx context.Context, p *twofold.Principal, id, code string) (*twofold.Method, error) {
	ch, err := f.EmailPending(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if _, err := email.NormalizeCode(code); err != nil {
		return nil, err
	}
	switch {
	case ch.State == twofold.ChallengeUsed:
		return nil, email.ErrCodeUsed
	case code != rightEmailCode:
		return nil, email.ErrWrongCode
	}
	ch.State = twofold.ChallengeUsed
	f.record("save email %s", ch.Email)
	if m := f.emailMethod(); m != nil {
		m.Email = ch.Email
		return m, nil
	}
	m := &twofold.Method{ID: "e1", Kind: twofold.KindEmail, State: twofold.MethodActive, Name: "Email", Email: ch.Email,
		CreatedAt: testNow, ActivatedAt: testNow}
	f.methods = append(f.methods, m)
	return m, nil
}

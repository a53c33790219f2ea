package api

import (
	"context"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
)

// Phone test values. The member's mobile phone is phoneID; its number must
// never appear in full before sign-in, only as mobileMasked.
const (
	phoneID         = "p0123456789abcdef0123456789abcde"
	mobileE164      = "+14255551234"
	mobileDisplay   = "+1 4255551234"
	mobileMasked    = "+1 XXXXXXX234"
	mobileNational  = "4255551234"
	newPhoneE164    = "+14255550100"
	newPhoneDisplay = "+1 4255550100"
	verificationID  = "v0123456789abcdef0123456789abcde"
	startedID       = "v-started-0123456789abcdef012345"
	reverifyID      = "r0123456789abcdef0123456789abcde"
	rightCode       = "123456"
)

// mobilePhone is the member's mobile phone.
func mobilePhone() *twofold.Method {
	return &twofold.Method{ID: phoneID, UserID: "u1", Kind: twofold.KindPhone, State: twofold.MethodActive,
		Name: "Phone", PhoneNumber: mobileE164, PhoneType: twofold.PhoneMobile, CreatedAt: t0, ActivatedAt: t0}
}

// phoneFlow is a sign-in whose default, a text to the mobile phone, went out
// after the password.
func phoneFlow() *signin.Result {
	app := signin.Option{MethodID: "m1", Kind: twofold.KindSoftwareOath, Preference: twofold.PreferenceOath,
		Label: "Use a code from your authenticator app (Phone)", Name: "Phone"}
	call := signin.Option{MethodID: phoneID, Kind: twofold.KindPhone, Preference: twofold.PreferenceVoice,
		Label: "Call " + mobileMasked, Name: "Phone", Channel: twofold.ChannelVoice, Masked: mobileMasked}
	text := signin.Option{MethodID: phoneID, Kind: twofold.KindPhone, Preference: twofold.PreferenceSMS,
		Label: "Text " + mobileMasked, Name: "Phone", Channel: twofold.ChannelSMS, Masked: mobileMasked}
	return &signin.Result{FlowID: flowID, State: twofold.FlowMFARequired, Options: []signin.Option{app, call, text},
		Default: &text, Current: &text, Challenge: challenge("c1", phoneID, twofold.ChannelSMS, mobileE164)}
}

// challenge is a text or call just sent.
func challenge(id, methodID, channel, number string) *twofold.Challenge {
	return &twofold.Challenge{ID: id, UserID: "u1", OrgID: "o1", Channel: channel, MethodID: methodID,
		PhoneType: twofold.PhoneMobile, PhoneNumber: number, State: twofold.ChallengeSent,
		CreatedAt: t0, UpdatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
}

func (f *fakeSignin) Choose(_ context.Context, id, methodID string, pref twofold.SignInPreference, _ twofold.Client) (*signin.Result, error) {
	f.rec.add("Choose", id, methodID, string(pref))
	if err := f.errs.of("Choose"); err != nil {
		return nil, err
	}
	res := *f.result
	for _, o := range res.Options {
		if o.MethodID == methodID && o.Preference == pref {
			res.Current = &o
			res.Challenge = challenge("c2", o.MethodID, o.Channel, mobileE164)
			return &res, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That sign-in method isn't available. Choose another way to sign in.")
}

func (f *fakeSignin) CallStatus(_ context.Context, id string) (*signin.Result, error) {
	f.rec.add("CallStatus", id)
	if err := f.errs.of("CallStatus"); err != nil {
		return nil, err
	}
	if f.result.Challenge == nil || f.result.Challenge.Channel != twofold.ChannelVoice {
		return nil, phone.ErrNoCall
	}
	return &signin.Result{FlowID: id, State: f.result.State, Challenge: f.result.Challenge}, nil
}

func (f *fakeSignin) CompleteCall(_ context.Context, id string, _ twofold.Client) (*signin.Result, error) {
	f.rec.add("CompleteCall", id)
	if err := f.errs.of("CompleteCall"); err != nil {
		return nil, err
	}
	return signedIn(), nil
}

func (f *fakeSecurityInfo) BeginPhone(_ context.Context, p *twofold.Principal, req securityinfo.PhoneRequest) (*securityinfo.PhoneStarted, error) {
	f.rec.add("BeginPhone", string(req.Type), req.Region, req.Number, req.Channel, req.MethodID)
	if err := f.errs.of("BeginPhone"); err != nil {
		return nil, err
	}
	typ := req.Type
	if req.MethodID != "" {
		m := f.method(req.MethodID)
		if m == nil || m.Kind != twofold.KindPhone {
			return nil, twofold.Errorf(twofold.ENOTFOUND, "That phone isn't part of your security info.")
		}
		if req.Type != "" && req.Type != m.PhoneType {
			return nil, twofold.FieldError("phoneType", "Choose which phone this is: mobile, alternate mobile or office.")
		}
		typ = m.PhoneType
	}
	n, err := fakeParse(req.Number, req.Region)
	if err != nil {
		return nil, err
	}
	c := challenge(startedID, req.MethodID, req.Channel, n.E164)
	c.PhoneType = typ
	f.verification = c
	return &securityinfo.PhoneStarted{Challenge: c, Number: n}, nil
}

// fakeParse reads North American numbers only, as "+1…" or national with
// region "US", and removes an extension after "x".
func fakeParse(input, region string) (phone.Number, error) {
	if region != "" && region != "US" {
		return phone.Number{}, twofold.FieldError("country", "Choose your country from the list.")
	}
	number, ext, _ := strings.Cut(strings.ToLower(input), "x")
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
	if !strings.HasPrefix(strings.TrimSpace(number), "+") {
		if region == "" {
			return phone.Number{}, twofold.FieldError("phoneNumber", "Enter the number with its country code, like +1 425 555 1234, or choose your country.")
		}
		digits = "1" + digits
	}
	if len(digits) != 11 || digits[0] != '1' {
		return phone.Number{}, twofold.FieldError("phoneNumber", "That number doesn't look right for the United States.")
	}
	return phone.Number{E164: "+" + digits, CountryCode: 1, Region: "US", National: digits[1:], Extension: ext}, nil
}

func (f *fakeSecurityInfo) PhoneStatus(_ context.Context, p *twofold.Principal, id string) (*twofold.Challenge, error) {
	f.rec.add("PhoneStatus", id)
	if err := f.errs.of("PhoneStatus"); err != nil {
		return nil, err
	}
	return f.current(id)
}

func (f *fakeSecurityInfo) current(id string) (*twofold.Challenge, error) {
	if f.verification == nil || f.verification.ID != id {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That verification was replaced by a newer one. Use the newest text or call.")
	}
	c := *f.verification
	return &c, nil
}

func (f *fakeSecurityInfo) FinishPhone(_ context.Context, p *twofold.Principal, id, code string) (*twofold.Method, error) {
	f.rec.add("FinishPhone", id, code)
	if err := f.errs.of("FinishPhone"); err != nil {
		return nil, err
	}
	c, err := f.current(id)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Channel == twofold.ChannelVoice && c.State != twofold.ChallengeVerified:
		return nil, phone.ErrCallWaiting
	case c.Channel == twofold.ChannelSMS && code != rightCode:
		return nil, phone.ErrWrongCode
	}
	f.verification.State = twofold.ChallengeUsed
	if c.MethodID == "" {
		return &twofold.Method{ID: "p-new", UserID: p.User.ID, Kind: twofold.KindPhone, State: twofold.MethodActive,
			Name: phone.TypeLabel(c.PhoneType), PhoneNumber: c.PhoneNumber, PhoneType: c.PhoneType, CreatedAt: t0}, nil
	}
	m := *f.method(c.MethodID)
	m.PhoneNumber = c.PhoneNumber
	return &m, nil
}

func (f *fakeSecurityInfo) method(id string) *twofold.Method {
	for _, m := range f.methods {
		if m.ID == id {
			return m
		}
	}
	return nil
}

func (f *fakeSecurityInfo) ReverifyOptions(_ context.Context, p *twofold.Principal) ([]methodkind.Option, error) {
	f.rec.add("ReverifyOptions", p.User.ID)
	if err := f.errs.of("ReverifyOptions"); err != nil {
		return nil, err
	}
	return methodkind.Options(p.Org.Policy, f.methods), nil
}

func (f *fakeSecurityInfo) ReverifyByPhone(_ context.Context, p *twofold.Principal, methodID string, pref twofold.SignInPreference) (*twofold.Challenge, error) {
	f.rec.add("ReverifyByPhone", methodID, string(pref))
	if err := f.errs.of("ReverifyByPhone"); err != nil {
		return nil, err
	}
	for _, o := range methodkind.Options(p.Org.Policy, f.methods) {
		if o.Method.ID == methodID && o.Preference == pref && o.Channel() != "" {
			f.reverification = challenge(reverifyID, methodID, o.Channel(), o.Method.PhoneNumber)
			return f.reverification, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That phone isn't one you can use to verify. Choose another method.")
}

func (f *fakeSecurityInfo) ReverifyStatus(_ context.Context, p *twofold.Principal) (*twofold.Challenge, error) {
	f.rec.add("ReverifyStatus", p.User.ID)
	if err := f.errs.of("ReverifyStatus"); err != nil {
		return nil, err
	}
	if f.reverification == nil {
		return nil, phone.ErrNoCode
	}
	return f.reverification, nil
}

func (f *fakeSecurityInfo) ReverifyCall(_ context.Context, p *twofold.Principal) (string, error) {
	f.rec.add("ReverifyCall", p.User.ID)
	return stepUp(p, f.errs.of("ReverifyCall"))
}

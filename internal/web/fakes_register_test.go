package web

import (
	"context"
	"fmt"
	"slices"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
)

// The interrupt side of fakeSignin: what each interrupt flow can set up, and its
// phone, whose newest text or call is kept with the others by flow.

// regKinds are the interrupt flows and what each offers: "flow-reg" only an
// authenticator app (as before phones), "flow-regphone" an app or a phone,
// "flow-regonly" only a phone.
var regKinds = map[string][]twofold.MethodKind{
	"flow-reg":      {twofold.KindSoftwareOath},
	"flow-regphone": {twofold.KindSoftwareOath, twofold.KindPhone},
	"flow-regonly":  {twofold.KindPhone},
}

const flowRegPhone = "__Host-twofold_flow=flow-regphone"

// interruptOffers answers like the use case for flow id setting up kind: ErrFlowGone
// for a flow not in the interrupt, EFORBIDDEN for a kind it does not offer.
func interruptOffers(id string, kind twofold.MethodKind) error {
	kinds, ok := regKinds[id]
	switch {
	case !ok:
		return signin.ErrFlowGone
	case !slices.Contains(kinds, kind):
		return twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow any method you can set up here. Contact your help desk.")
	}
	return nil
}

func (f *fakeSignin) RegistrationKinds(_ context.Context, id string) ([]twofold.MethodKind, error) {
	kinds, ok := regKinds[id]
	if !ok {
		return nil, signin.ErrFlowGone
	}
	return slices.Clone(kinds), nil
}

// PhoneTypes offers a mobile phone (text or call) and an office phone (call).
func (f *fakeSignin) PhoneTypes(_ context.Context, id string) (map[twofold.PhoneType][]string, error) {
	kinds, ok := regKinds[id]
	if !ok {
		return nil, signin.ErrFlowGone
	}
	if !slices.Contains(kinds, twofold.KindPhone) {
		return map[twofold.PhoneType][]string{}, nil
	}
	return map[twofold.PhoneType][]string{
		twofold.PhoneMobile: {twofold.ChannelSMS, twofold.ChannelVoice},
		twofold.PhoneOffice: {twofold.ChannelVoice},
	}, nil
}

// BeginPhoneRegistration refuses by the number typed as fakeSecurityInfo's
// BeginPhone does (see fakeNumber), and otherwise texts or calls testNumber.
func (f *fakeSignin) BeginPhoneRegistration(ctx context.Context, id string, req signin.PhoneRegistration, _ twofold.Client) (*twofold.Challenge, phone.Number, error) {
	f.record("BeginPhoneRegistration %s %s %s %s %s", id, req.Type, req.Region, req.Number, req.Channel)
	if err := interruptOffers(id, twofold.KindPhone); err != nil {
		return nil, phone.Number{}, err
	}
	types, _ := f.PhoneTypes(ctx, id)
	channels, ok := types[req.Type]
	switch {
	case !ok:
		return nil, phone.Number{}, twofold.FieldError("phoneType", "Choose which phone this is: mobile or office.")
	case req.Channel != twofold.ChannelSMS && req.Channel != twofold.ChannelVoice:
		return nil, phone.Number{}, twofold.FieldError("method", "Choose Text me a code or Call me.")
	case !slices.Contains(channels, req.Channel):
		return nil, phone.Number{}, twofold.FieldError("method", "Texts can't be sent to this phone. Choose Call me.")
	}
	n, err := fakeNumber(req.Number)
	if err != nil {
		return nil, phone.Number{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return nil, phone.Number{}, f.sendErr
	}
	f.n++
	ch := &twofold.Challenge{ID: fmt.Sprintf("rg%d", f.n), Channel: req.Channel, PhoneType: req.Type,
		PhoneNumber: n.E164, State: twofold.ChallengeSent}
	f.challenge[id] = ch
	c := *ch
	return &c, n, nil
}

func (f *fakeSignin) PhoneRegistrationStatus(_ context.Context, id string) (*twofold.Challenge, error) {
	if _, ok := regKinds[id]; !ok {
		return nil, signin.ErrFlowGone
	}
	if ch := f.current(id); ch != nil {
		return ch, nil
	}
	return nil, phone.ErrNoCode
}

// FinishPhoneRegistration takes the text (with goodCode) or the call like the
// use case; "000000" is the wrong code that uses up the flow.
func (f *fakeSignin) FinishPhoneRegistration(_ context.Context, id, code string, _ twofold.Client) (*signin.Result, error) {
	f.record("FinishPhoneRegistration %s", id)
	if err := interruptOffers(id, twofold.KindPhone); err != nil {
		return nil, err
	}
	if code == "000000" {
		return nil, signin.ErrTooManyTries
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.challenge[id]
	if ch == nil {
		return nil, phone.ErrNoCode
	}
	if err := take(ch, code); err != nil {
		return nil, err
	}
	return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-reg"}, nil
}

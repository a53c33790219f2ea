package api

import (
	"context"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
)

// The interrupt side of fakeSignin: an app or a phone can be set up, and the
// phone's newest text or call is f.registration.

func (f *fakeSignin) RegistrationKinds(_ context.Context, id string) ([]twofold.MethodKind, error) {
	f.rec.add("RegistrationKinds", id)
	if err := f.errs.of("RegistrationKinds"); err != nil {
		return nil, err
	}
	return []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone}, nil
}

// BeginPhoneRegistration refuses an alternate mobile, as the use case does, and
// reads numbers as fakeParse does.
func (f *fakeSignin) BeginPhoneRegistration(_ context.Context, id string, req signin.PhoneRegistration, _ twofold.Client) (*twofold.Challenge, phone.Number, error) {
	f.rec.add("BeginPhoneRegistration", id, string(req.Type), req.Region, req.Number, req.Channel)
	if err := f.errs.of("BeginPhoneRegistration"); err != nil {
		return nil, phone.Number{}, err
	}
	if req.Type == twofold.PhoneAlternateMobile {
		return nil, phone.Number{}, twofold.FieldError("phoneType", "Choose which phone this is: mobile or office.")
	}
	n, err := fakeParse(req.Number, req.Region)
	if err != nil {
		return nil, phone.Number{}, err
	}
	c := challenge(startedID, "", req.Channel, n.E164)
	c.PhoneType = req.Type
	f.registration = c
	out := *c
	return &out, n, nil
}

func (f *fakeSignin) PhoneRegistrationStatus(_ context.Context, id string) (*twofold.Challenge, error) {
	f.rec.add("PhoneRegistrationStatus", id)
	if err := f.errs.of("PhoneRegistrationStatus"); err != nil {
		return nil, err
	}
	if f.registration == nil {
		return nil, phone.ErrNoCode
	}
	c := *f.registration
	return &c, nil
}

// FinishPhoneRegistration takes the text (with rightCode) or the call that got
// its "#", like the use case, and signs in.
func (f *fakeSignin) FinishPhoneRegistration(_ context.Context, id, code string, _ twofold.Client) (*signin.Result, error) {
	f.rec.add("FinishPhoneRegistration", id, code)
	if err := f.errs.of("FinishPhoneRegistration"); err != nil {
		return nil, err
	}
	c := f.registration
	switch {
	case c == nil:
		return nil, phone.ErrNoCode
	case c.Channel == twofold.ChannelVoice && c.State != twofold.ChallengeVerified:
		return nil, phone.ErrCallWaiting
	case c.Channel == twofold.ChannelSMS && code != rightCode:
		return nil, phone.ErrWrongCode
	}
	c.State = twofold.ChallengeUsed
	return signedIn(), nil
}

package signin

import (
	"context"
	"errors"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/policy"
)

// PhoneRegistration is the interrupt's phone form: which phone, its number, and how
// to verify it.
type PhoneRegistration struct {
	Type    twofold.PhoneType
	Region  string // country picker value ("US"), "" for the international form
	Number  string // as typed
	Channel string // twofold.ChannelSMS or twofold.ChannelVoice
}

// RegistrationKinds lists what the "More information required" interrupt can set
// up for this flow's member: an authenticator app and/or a phone, as the policy
// allows. The flow waits for a second factor, so kinds that can't be one (email,
// security questions) are not listed here.
func (s *Service) RegistrationKinds(ctx context.Context, id string) ([]twofold.MethodKind, error) {
	_, u, org, err := s.loadFlow(ctx, id, twofold.FlowRegistrationRequired)
	if err != nil {
		return nil, err
	}
	var kinds []twofold.MethodKind
	for _, k := range methodkind.AtInterruptFor(org.Policy, u) {
		if (&twofold.Method{Kind: k}).MFACapable() {
			kinds = append(kinds, k)
		}
	}
	return kinds, nil
}

// PhoneTypes lists the phone types the interrupt may register, each with its
// allowed channels (an alternate mobile needs a mobile first, so it is never
// offered here).
func (s *Service) PhoneTypes(ctx context.Context, id string) (map[twofold.PhoneType][]string, error) {
	_, _, org, err := s.loadFlow(ctx, id, twofold.FlowRegistrationRequired)
	if err != nil {
		return nil, err
	}
	out := map[twofold.PhoneType][]string{}
	for _, t := range policy.PhoneTypes(org.Policy, []*twofold.Method{}) {
		if ch := policy.PhoneChannels(org.Policy, t); len(ch) > 0 {
			out[t] = ch
		}
	}
	return out, nil
}

// BeginPhoneRegistration verifies a phone during the interrupt: a texted code or a
// call asking for "#", bound to this flow. Nothing is saved until the number is
// proven. Returns field errors for the form, ERATELIMIT past a throttle or the
// provider's EUNAVAILABLE.
func (s *Service) BeginPhoneRegistration(ctx context.Context, id string, req PhoneRegistration, c twofold.Client) (*twofold.Challenge, phone.Number, error) {
	f, u, org, err := s.loadFlow(ctx, id, twofold.FlowRegistrationRequired)
	if err != nil {
		return nil, phone.Number{}, err
	}
	if err := s.notBlocked(u); err != nil {
		return nil, phone.Number{}, err
	}
	pol := org.Policy
	if !pol.MethodEnabled(twofold.KindPhone) {
		return nil, phone.Number{}, twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow phones for sign-in.")
	}
	if !req.Type.Valid() || req.Type == twofold.PhoneAlternateMobile || !pol.Phone.AllowsType(req.Type) {
		return nil, phone.Number{}, twofold.FieldError("phoneType", "Choose which phone this is: mobile or office.")
	}
	if req.Channel != twofold.ChannelSMS && req.Channel != twofold.ChannelVoice {
		return nil, phone.Number{}, twofold.FieldError("method", "Choose Text me a code or Call me.")
	}
	if !pol.Phone.AllowsChannel(req.Type, req.Channel) {
		if req.Channel == twofold.ChannelSMS {
			return nil, phone.Number{}, twofold.FieldError("method", "Texts can't be sent to this phone. Choose Call me.")
		}
		return nil, phone.Number{}, twofold.FieldError("method", "Your organization doesn't allow calls to this phone. Choose Text me a code.")
	}
	n, err := phone.Parse(req.Number, req.Region, phone.Rules{
		AllowedCountryCodes: pol.Phone.AllowedCountryCodes, ForText: req.Channel == twofold.ChannelSMS,
	})
	if err != nil {
		return nil, phone.Number{}, err
	}
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return nil, phone.Number{}, fmt.Errorf("signin: list methods: %w", err)
	}
	if err := phone.NumberFree(methods, n.E164, ""); err != nil {
		return nil, phone.Number{}, err
	}
	ch, err := s.Phones.Send(ctx, phone.Request{
		User: u, Org: org, Binding: phone.FlowBinding(f.IDHash), Purpose: twofold.PurposeRegister,
		Channel: req.Channel, PhoneType: req.Type, Number: n.E164, Client: c,
	})
	if err != nil {
		return nil, phone.Number{}, err
	}
	p := flowPrincipal(u, org, f)
	p.Client = c
	if err := s.Audit.Member(ctx, p, twofold.ActivityStartedRegister,
		fmt.Sprintf("sign-in interrupt: phone %s %s by %s", req.Type, phone.Mask(n.E164), req.Channel)); err != nil {
		return nil, phone.Number{}, err
	}
	return ch, n, nil
}

// PhoneRegistrationStatus returns the interrupt's newest phone verification. It
// answers for a flow that a fraud report ended, so the page can say why.
func (s *Service) PhoneRegistrationStatus(ctx context.Context, id string) (*twofold.Challenge, error) {
	f, _, _, err := s.loadFlow(ctx, id, "")
	if err != nil {
		return nil, err
	}
	if f.State != twofold.FlowRegistrationRequired && f.State != twofold.FlowFailed {
		return nil, ErrFlowGone
	}
	return s.Phones.Status(ctx, phone.FlowBinding(f.IDHash), twofold.PurposeRegister)
}

// FinishPhoneRegistration saves the verified phone and signs the member in:
// proving the phone proves the second factor. code is the texted code, "" for a
// call that got its "#". A wrong code counts against the flow.
func (s *Service) FinishPhoneRegistration(ctx context.Context, id, code string, c twofold.Client) (*Result, error) {
	f, u, org, err := s.loadFlow(ctx, id, twofold.FlowRegistrationRequired)
	if err != nil {
		return nil, err
	}
	if err := s.notBlocked(u); err != nil {
		return nil, err
	}
	binding := phone.FlowBinding(f.IDHash)
	ch, err := s.Phones.Status(ctx, binding, twofold.PurposeRegister)
	if err != nil {
		return nil, err
	}
	// A texted code is checked before the transaction, so a wrong one stays
	// counted; a call is taken inside it, so it is never used without the phone.
	text := ch.Channel == twofold.ChannelSMS
	if text {
		g, err := s.takeFlowGuess(ctx, f)
		if err != nil {
			return nil, err
		}
		defer g.release(ctx)
		ch, err = s.Phones.CheckCode(ctx, binding, twofold.PurposeRegister, code)
		if err != nil {
			if errors.Is(err, phone.ErrWrongCode) {
				return nil, g.wrong(ctx, err)
			}
			return nil, err
		}
	}
	var r *Result
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if !text {
			var err error
			if ch, err = s.Phones.TakeCall(ctx, binding, twofold.PurposeRegister); err != nil {
				return err
			}
		}
		methods, err := s.stillNeedsRegistration(ctx, u, org)
		if err != nil {
			return err
		}
		if !policy.ChannelAllowed(org.Policy, ch.PhoneType, ch.Channel) {
			return ErrMethodUnavailable
		}
		v := methodkind.NewPhone(s.Store, u.ID, ch, s.Now, func(m *twofold.Method) (string, string) {
			return fmt.Sprintf("phone %s %s %s verified by %s (sign-in interrupt)", m.ID, m.PhoneType, phone.Mask(m.PhoneNumber), ch.Channel),
				fmt.Sprintf("A phone (%s) was added to your account.", phone.Mask(m.PhoneNumber))
		})
		r, err = s.saveAtInterrupt(ctx, f, u, org, methods, v, "password and new phone", c)
		return err
	})
	if err == ErrRegistrationDone {
		s.abandonStale(ctx, f, u, f.PendingMethodID)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

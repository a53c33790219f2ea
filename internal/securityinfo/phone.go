package securityinfo

import (
	"context"
	"fmt"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/policy"
)

// PhoneForm is what the add-or-change phone form offers the member.
type PhoneForm struct {
	// Types are the phone types the member may add now (one for a change: the
	// changed phone's own type).
	Types []PhoneTypeChoice
	// Countries is the country picker; the member may also type "+…".
	Countries []phone.Country
	// Changing is the phone whose number is being changed, nil when adding.
	Changing *twofold.Method
	// methods are the member's active methods, so BeginPhone can refuse a number
	// they already have without reading them twice.
	methods []*twofold.Method
}

// PhoneTypeChoice is one phone type with the ways it can be verified.
type PhoneTypeChoice struct {
	Type     twofold.PhoneType
	Label    string   // "Phone", "Alternate phone", "Office phone"
	Channels []string // twofold.ChannelSMS and/or twofold.ChannelVoice
}

// PhoneRequest is the filled-in phone form.
type PhoneRequest struct {
	Type    twofold.PhoneType
	Region  string // country picker value ("US"), "" for the international form
	Number  string // as typed
	Channel string // twofold.ChannelSMS ("Text me a code") or twofold.ChannelVoice ("Call me")
	// MethodID is the phone whose number is being changed; "" to add one.
	MethodID string
}

// PhoneStarted is a text sent or call placed to verify a number.
type PhoneStarted struct {
	Challenge *twofold.Challenge
	// Number is the number as it will be saved; Number.Extension is the extension
	// that was removed, which the member must be told about.
	Number phone.Number
}

// PhoneForm returns what the phone form may offer; methodID names a phone to
// change, "" to add one. Returns ErrReauth, EFORBIDDEN when phones are off, or
// ECONFLICT when every phone type is taken.
func (s *Service) PhoneForm(ctx context.Context, p *twofold.Principal, methodID string) (*PhoneForm, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	pol := p.Org.Policy
	if !pol.MethodEnabled(twofold.KindPhone) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow phones for sign-in.")
	}
	f := &PhoneForm{methods: methods}
	for _, c := range phone.Countries() {
		if pol.Phone.CountryAllowed(c.CallingCode) {
			f.Countries = append(f.Countries, c)
		}
	}
	if methods == nil {
		// PhoneTypes reads nil as "every type the policy allows"; a member with no
		// methods has no mobile, so an alternate mobile must not be offered.
		methods = []*twofold.Method{}
	}
	types := policy.PhoneTypes(pol, methods)
	if methodID != "" {
		m, err := s.phoneMethod(methods, methodID)
		if err != nil {
			return nil, err
		}
		f.Changing, types = m, []twofold.PhoneType{m.PhoneType}
	}
	for _, t := range types {
		if ch := policy.PhoneChannels(pol, t); len(ch) > 0 {
			f.Types = append(f.Types, PhoneTypeChoice{Type: t, Label: phone.TypeLabel(t), Channels: ch})
		}
	}
	if len(f.Types) == 0 {
		return nil, twofold.Errorf(twofold.ECONFLICT, "You already have every phone your organization allows. Change or delete one instead.")
	}
	return f, nil
}

func (s *Service) phoneMethod(methods []*twofold.Method, id string) (*twofold.Method, error) {
	for _, m := range methods {
		if m.ID == id && m.Kind == twofold.KindPhone {
			return m, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That phone isn't part of your security info.")
}

// BeginPhone checks the form and verifies the number: a 6-digit code by text, or a
// call that asks for "#". Nothing is saved until the number is proven. Returns
// ErrReauth, field errors for the form, ERATELIMIT past a throttle, or the
// provider's EUNAVAILABLE.
func (s *Service) BeginPhone(ctx context.Context, p *twofold.Principal, req PhoneRequest) (*PhoneStarted, error) {
	f, err := s.PhoneForm(ctx, p, req.MethodID)
	if err != nil {
		return nil, err
	}
	var choice *PhoneTypeChoice
	for i := range f.Types {
		if f.Types[i].Type == req.Type || (f.Changing != nil && req.Type == "") {
			choice = &f.Types[i]
		}
	}
	if choice == nil {
		return nil, twofold.FieldError("phoneType", "Choose which phone this is: mobile, alternate mobile or office.")
	}
	if req.Channel != twofold.ChannelSMS && req.Channel != twofold.ChannelVoice {
		return nil, twofold.FieldError("method", "Choose Text me a code or Call me.")
	}
	allowed := false
	for _, ch := range choice.Channels {
		allowed = allowed || ch == req.Channel
	}
	if !allowed {
		if req.Channel == twofold.ChannelSMS {
			return nil, twofold.FieldError("method", "Texts can't be sent to this phone. Choose Call me.")
		}
		return nil, twofold.FieldError("method", "Your organization doesn't allow calls to this phone. Choose Text me a code.")
	}
	n, err := phone.Parse(req.Number, req.Region, phone.Rules{
		AllowedCountryCodes: p.Org.Policy.Phone.AllowedCountryCodes, ForText: req.Channel == twofold.ChannelSMS,
	})
	if err != nil {
		return nil, err
	}
	if f.Changing != nil && f.Changing.PhoneNumber == n.E164 {
		return nil, twofold.FieldError("phoneNumber", "That's already the number of this phone. Enter the new number.")
	}
	if err := phone.NumberFree(f.methods, n.E164, req.MethodID); err != nil {
		return nil, err
	}
	ch, err := s.Phones.Send(ctx, phone.Request{
		User: p.User, Org: p.Org, Binding: phone.SessionBinding(p.Session.ID), Purpose: twofold.PurposeRegister,
		Channel: req.Channel, MethodID: req.MethodID, PhoneType: choice.Type, Number: n.E164, Client: p.Client,
	})
	if err != nil {
		return nil, err
	}
	what := "phone " + string(choice.Type) + " " + phone.Mask(n.E164) + " by " + req.Channel
	if err := s.Audit.Member(ctx, p, twofold.ActivityStartedRegister, what); err != nil {
		return nil, err
	}
	return &PhoneStarted{Challenge: ch, Number: n}, nil
}

// PhoneStatus returns the member's newest phone verification, which must be
// challengeID (an older one was replaced by a newer text or call).
func (s *Service) PhoneStatus(ctx context.Context, p *twofold.Principal, challengeID string) (*twofold.Challenge, error) {
	if _, err := s.activeMethods(ctx, p); err != nil {
		return nil, err
	}
	return s.currentChallenge(ctx, p, challengeID, twofold.PurposeRegister)
}

func (s *Service) currentChallenge(ctx context.Context, p *twofold.Principal, id string, purpose twofold.ChallengePurpose) (*twofold.Challenge, error) {
	ch, err := s.Phones.Status(ctx, phone.SessionBinding(p.Session.ID), purpose)
	if err != nil {
		return nil, err
	}
	if id != "" && ch.ID != id {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That verification was replaced by a newer one. Use the newest text or call.")
	}
	return ch, nil
}

// CancelPhone stops verifying a number at the member's request: a call still
// ringing for it is hung up. challengeID must be the newest verification, as for
// PhoneStatus.
func (s *Service) CancelPhone(ctx context.Context, p *twofold.Principal, challengeID string) error {
	if _, err := s.PhoneStatus(ctx, p, challengeID); err != nil {
		return err
	}
	return s.Phones.CancelCall(ctx, phone.SessionBinding(p.Session.ID), twofold.PurposeRegister)
}

// CancelReverify hangs up the session's re-verification call if it still rings
// (Cancel on its page). It needs no fresh second factor: it only stops a call.
func (s *Service) CancelReverify(ctx context.Context, p *twofold.Principal) error {
	return s.Phones.CancelCall(ctx, phone.SessionBinding(p.Session.ID), twofold.PurposeReverify)
}

// ErrChannelNotAllowed refuses a phone verified over a channel (text or call)
// that the organization stopped allowing after the text or call went out.
var ErrChannelNotAllowed = twofold.Errorf(twofold.EFORBIDDEN, "Your organization no longer allows verifying this phone that way. Start again and choose another way.")

// FinishPhone saves the verified number: for a text, code must be the texted code;
// for a call, the call must have got its "#". A new phone is added (the first
// second factor becomes the default); a changed phone gets its new number. The
// change, its audit event and its notice commit together.
func (s *Service) FinishPhone(ctx context.Context, p *twofold.Principal, challengeID, code string) (*twofold.Method, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	ch, err := s.currentChallenge(ctx, p, challengeID, twofold.PurposeRegister)
	if err != nil {
		return nil, err
	}
	binding := phone.SessionBinding(p.Session.ID)
	// A texted code is checked before the transaction, so a wrong one stays
	// counted; a call is taken inside it, so it is never used without the phone.
	text := ch.Channel == twofold.ChannelSMS
	if text {
		if ch, err = s.Phones.CheckCode(ctx, binding, twofold.PurposeRegister, code); err != nil {
			return nil, err
		}
	}
	var m *twofold.Method
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if !text {
			var err error
			if ch, err = s.Phones.TakeCall(ctx, binding, twofold.PurposeRegister); err != nil {
				return err
			}
		}
		if !policy.ChannelAllowed(p.Org.Policy, ch.PhoneType, ch.Channel) {
			// Allowed when the text or call went out; the policy changed since.
			return ErrChannelNotAllowed
		}
		var err error
		m, err = s.save.Save(ctx, p, methods, s.verifiedPhone(p, ch), nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// verifiedPhone is the phone ch verified: a new one, or a changed number.
func (s *Service) verifiedPhone(p *twofold.Principal, ch *twofold.Challenge) methodkind.Verified {
	verified := func(m *twofold.Method) string {
		return fmt.Sprintf("phone %s %s %s verified by %s", m.ID, m.PhoneType, phone.Mask(m.PhoneNumber), ch.Channel)
	}
	if ch.MethodID == "" {
		return methodkind.NewPhone(s.Store, p.User.ID, ch, s.Now, func(m *twofold.Method) (string, string) {
			return verified(m), fmt.Sprintf("A phone (%s) was added to your security info.", phone.Mask(m.PhoneNumber))
		})
	}
	return methodkind.Verified{
		Save: func(ctx context.Context) (*twofold.Method, error) {
			if err := s.Store.UpdatePhoneNumber(ctx, p.User.ID, ch.MethodID, ch.PhoneNumber); err != nil {
				return nil, err
			}
			m, err := s.Store.MethodByID(ctx, p.User.ID, ch.MethodID)
			if err != nil {
				return nil, fmt.Errorf("securityinfo: reload phone: %w", err)
			}
			return m, nil
		},
		Preference: methodkind.PhonePreference(ch),
		Activity:   twofold.ActivityUpdated,
		Describe: func(m *twofold.Method) (string, string) {
			return verified(m), fmt.Sprintf("The number of your %s was changed to %s.", lower(phone.TypeLabel(m.PhoneType)), phone.Mask(m.PhoneNumber))
		},
	}
}

// lower starts a label with a small letter, for use inside a sentence.
func lower(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

package web

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/policy"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

// The phone side of fakeSecurityInfo: the add-or-change form, number
// verifications, and re-verification by phone.

var testPhone = &twofold.Method{ID: "p1", Kind: twofold.KindPhone, Name: "Phone", State: twofold.MethodActive,
	PhoneNumber: testNumber, PhoneType: twofold.PhoneMobile}

var testCountries = []phone.Country{
	{Region: "FR", Name: "France", CallingCode: 33},
	{Region: "GB", Name: "United Kingdom", CallingCode: 44},
	{Region: "US", Name: "United States", CallingCode: 1},
}

func (f *fakeSecurityInfo) PhoneForm(_ context.Context, p *twofold.Principal, methodID string) (*securityinfo.PhoneForm, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	form := &securityinfo.PhoneForm{Countries: testCountries}
	switch methodID {
	case "":
		form.Types = []securityinfo.PhoneTypeChoice{
			{Type: twofold.PhoneMobile, Label: "Phone", Channels: []string{twofold.ChannelSMS, twofold.ChannelVoice}},
			{Type: twofold.PhoneAlternateMobile, Label: "Alternate phone", Channels: []string{twofold.ChannelVoice}},
			{Type: twofold.PhoneOffice, Label: "Office phone", Channels: []string{twofold.ChannelVoice}},
		}
	case testPhone.ID:
		form.Changing = testPhone
		form.Types = []securityinfo.PhoneTypeChoice{
			{Type: twofold.PhoneMobile, Label: "Phone", Channels: []string{twofold.ChannelSMS, twofold.ChannelVoice}},
		}
	default:
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That phone isn't part of your security info.")
	}
	return form, nil
}

// BeginPhone refuses like the real one does, by the number typed (fakeNumber).
func (f *fakeSecurityInfo) BeginPhone(ctx context.Context, p *twofold.Principal, req securityinfo.PhoneRequest) (*securityinfo.PhoneStarted, error) {
	f.record("BeginPhone %s %s %s %s %s", req.Type, req.Region, req.Number, req.Channel, req.MethodID)
	form, err := f.PhoneForm(ctx, p, req.MethodID)
	if err != nil {
		return nil, err
	}
	var choice *securityinfo.PhoneTypeChoice
	for i := range form.Types {
		if form.Types[i].Type == req.Type {
			choice = &form.Types[i]
		}
	}
	switch {
	case choice == nil:
		return nil, twofold.FieldError("phoneType", "Choose which phone this is: mobile, alternate mobile or office.")
	case req.Channel != twofold.ChannelSMS && req.Channel != twofold.ChannelVoice:
		return nil, twofold.FieldError("method", "Choose Text me a code or Call me.")
	case req.Channel == twofold.ChannelSMS && !choice.Type.CanText():
		return nil, twofold.FieldError("method", "Texts can't be sent to this phone. Choose Call me.")
	}
	n, err := fakeNumber(req.Number)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	ch := &twofold.Challenge{ID: fmt.Sprintf("pc%d", f.n), Channel: req.Channel, MethodID: req.MethodID,
		PhoneType: choice.Type, PhoneNumber: testNumber, State: twofold.ChallengeSent}
	if f.phones == nil {
		f.phones = map[string]*twofold.Challenge{}
	}
	f.phones[ch.ID], f.newest = ch, ch.ID
	c := *ch
	return &securityinfo.PhoneStarted{Challenge: &c, Number: n}, nil
}

// fakeNumber reads any number as testNumber, but refuses like phone.Parse and the
// sender do: "" (empty), "12" (too short), "limit" (a throttle) and "down" (the
// provider). An "x" starts an extension, which is removed.
func fakeNumber(typed string) (phone.Number, error) {
	number, ext, _ := strings.Cut(strings.ToLower(typed), "x")
	switch strings.TrimSpace(number) {
	case "":
		return phone.Number{}, twofold.FieldError("phoneNumber", "Enter a phone number.")
	case "12":
		return phone.Number{}, twofold.FieldError("phoneNumber", "That doesn't look like a phone number: it has too few digits.")
	case "limit":
		return phone.Number{}, twofold.Errorf(twofold.ERATELIMIT, "You've hit our limit on verification texts. Try again later.")
	case "down":
		return phone.Number{}, phone.ErrUnavailable
	}
	return phone.Number{E164: testNumber, CountryCode: 1, Region: "US", National: "4255551234", Extension: strings.TrimSpace(ext)}, nil
}

// startPhone puts a number verification on channel in place, as if the form
// had been sent.
func (f *fakeSecurityInfo) startPhone(channel, methodID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	ch := &twofold.Challenge{ID: fmt.Sprintf("pc%d", f.n), Channel: channel, MethodID: methodID,
		PhoneType: twofold.PhoneMobile, PhoneNumber: testNumber, State: twofold.ChallengeSent}
	if f.phones == nil {
		f.phones = map[string]*twofold.Challenge{}
	}
	f.phones[ch.ID], f.newest = ch, ch.ID
	return ch.ID
}

func (f *fakeSecurityInfo) CancelPhone(ctx context.Context, p *twofold.Principal, id string) error {
	if _, err := f.PhoneStatus(ctx, p, id); err != nil {
		return err
	}
	f.record("CancelPhone %s", id)
	return nil
}

func (f *fakeSecurityInfo) setPhone(id string, state twofold.ChallengeState, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.phones[id].State, f.phones[id].Reason = state, reason
}

func (f *fakeSecurityInfo) PhoneStatus(_ context.Context, p *twofold.Principal, id string) (*twofold.Challenge, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.phones[id]
	if ch == nil || id != f.newest {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That verification was replaced by a newer one. Use the newest text or call.")
	}
	c := *ch
	return &c, nil
}

func (f *fakeSecurityInfo) FinishPhone(_ context.Context, p *twofold.Principal, id, code string) (*twofold.Method, error) {
	f.record("FinishPhone %s", id)
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.phones[id]
	if ch == nil || id != f.newest {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That verification was replaced by a newer one. Use the newest text or call.")
	}
	if err := take(ch, code); err != nil {
		return nil, err
	}
	return &twofold.Method{ID: "p-new", Kind: twofold.KindPhone, PhoneNumber: ch.PhoneNumber, PhoneType: ch.PhoneType}, nil
}

// take uses the text (with code) or the call ch, answering like the phone use
// case does.
func take(ch *twofold.Challenge, code string) error {
	switch {
	case ch.State == twofold.ChallengeUsed:
		return twofold.Errorf(twofold.ENOTFOUND, "There's no call waiting here. Ask for a new call.")
	case ch.State == twofold.ChallengeFraud:
		return twofold.Errorf(twofold.EFORBIDDEN, "You reported this call as fraud, so we stopped here. Contact your help desk.")
	case ch.State == twofold.ChallengeFailed:
		return twofold.Errorf(twofold.EEXPIRED, "%s Try again, or choose another method.", ch.Reason)
	case ch.Channel == twofold.ChannelSMS && code != goodCode:
		return phone.ErrWrongCode
	case ch.Channel == twofold.ChannelVoice && ch.State != twofold.ChallengeVerified:
		return twofold.Errorf(twofold.ECONFLICT, "We're still waiting for you to answer the call and press #.")
	}
	ch.State = twofold.ChallengeUsed
	return nil
}

func (f *fakeSecurityInfo) ReverifyOptions(context.Context, *twofold.Principal) ([]methodkind.Option, error) {
	app := f.methods[0]
	opts := []methodkind.Option{
		{Method: app, Preference: twofold.PreferenceOath, Label: "Use a code from your authenticator app (" + app.Name + ")"},
		{Method: testPhone, Preference: twofold.PreferenceVoice, Label: "Call +1 XXXXXXX234"},
		{Method: testPhone, Preference: twofold.PreferenceSMS, Label: "Text +1 XXXXXXX234"},
	}
	return append(opts, f.keyOptions()...), nil
}

func (f *fakeSecurityInfo) ReverifyByPhone(_ context.Context, _ *twofold.Principal, methodID string, pref twofold.SignInPreference) (*twofold.Challenge, error) {
	f.record("ReverifyByPhone %s %s", methodID, pref)
	if methodID != testPhone.ID || policy.Channel(pref) == "" {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That phone isn't one you can use to verify. Choose another method.")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	f.reverify = &twofold.Challenge{ID: fmt.Sprintf("rc%d", f.n), Channel: policy.Channel(pref), MethodID: methodID,
		PhoneType: twofold.PhoneMobile, PhoneNumber: testNumber, State: twofold.ChallengeSent, CreatedAt: testNow}
	c := *f.reverify
	return &c, nil
}

func (f *fakeSecurityInfo) setReverify(state twofold.ChallengeState, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reverify.State, f.reverify.Reason = state, reason
}

func (f *fakeSecurityInfo) ReverifyStatus(context.Context, *twofold.Principal) (*twofold.Challenge, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reverify == nil {
		return nil, phone.ErrNoCode
	}
	c := *f.reverify
	return &c, nil
}

func (f *fakeSecurityInfo) reverifyText(code string) (string, error) {
	f.record("ReverifyText")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reverify == nil || f.reverify.Channel != twofold.ChannelSMS {
		return "", phone.ErrNoCode
	}
	return steppedUp(take(f.reverify, code))
}

func (f *fakeSecurityInfo) ReverifyCall(context.Context, *twofold.Principal) (string, error) {
	f.record("ReverifyCall")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reverify == nil || f.reverify.Channel != twofold.ChannelVoice {
		return "", twofold.Errorf(twofold.ENOTFOUND, "There's no call waiting here. Ask for a new call.")
	}
	return steppedUp(take(f.reverify, ""))
}

func (f *fakeSecurityInfo) CancelReverify(context.Context, *twofold.Principal) error {
	f.record("CancelReverify")
	return nil
}

// fakeOutbox holds a text, a ringing call and a mail, newest first, and records
// every button pressed.
type fakeOutbox struct {
	*recorder
	mu   sync.Mutex
	msgs []*twofold.Message
}

func newFakeOutbox(rec *recorder) *fakeOutbox {
	return &fakeOutbox{recorder: rec, msgs: []*twofold.Message{
		{ID: "msg-call", Channel: twofold.ChannelVoice, To: testNumber, ChallengeID: "sc9", CallState: twofold.CallRinging,
			Body: "Hello, this is Contoso. Please press the pound key to finish your verification.", CreatedAt: testNow},
		{ID: "msg-text", Channel: twofold.ChannelSMS, To: testNumber, ChallengeID: "",
			Body: "482913 is your Contoso verification code. It expires in 5 minutes. Don't share it with anyone.", CreatedAt: testNow.Add(-time.Minute)},
		{ID: "msg-mail", Channel: twofold.ChannelEmail, To: "ada@contoso.test", Subject: "A phone was added to your account",
			Body: "Hello Ada,\n\nA phone (+1 XXXXXXX234) was added.\n<script>alert(1)</script>", CreatedAt: testNow.Add(-2 * time.Minute)},
	}}
}

func (f *fakeOutbox) List(_ context.Context, to string, limit int) ([]*twofold.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*twofold.Message
	for _, m := range f.msgs {
		if (to == "" || m.To == to) && len(out) < limit {
			c := *m
			out = append(out, &c)
		}
	}
	return out, nil
}

func (f *fakeOutbox) call(id string) (*twofold.Message, error) {
	for _, m := range f.msgs {
		if m.ID == id && m.Channel == twofold.ChannelVoice {
			return m, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "There is no such call in the outbox.")
}

func (f *fakeOutbox) move(id string, from, to twofold.CallState) error {
	m, err := f.call(id)
	if err != nil {
		return err
	}
	if m.CallState != from {
		return twofold.Errorf(twofold.ECONFLICT, "This call has already ended.")
	}
	m.CallState = to
	return nil
}

func (f *fakeOutbox) Answer(_ context.Context, id string) error {
	f.record("Answer %s", id)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.move(id, twofold.CallRinging, twofold.CallAnswered)
}

func (f *fakeOutbox) Press(_ context.Context, id, digits string) error {
	f.record("Press %s %s", id, digits)
	if digits == "" || strings.Trim(digits, "0123456789*#") != "" || len(digits) > 8 {
		return twofold.FieldError("digits", "Press 1 to 8 keys: digits, * or #.")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.move(id, twofold.CallAnswered, twofold.CallEnded)
}

func (f *fakeOutbox) HangUp(_ context.Context, id string) error {
	f.record("HangUp %s", id)
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.call(id)
	if err != nil {
		return err
	}
	if m.CallState == twofold.CallEnded {
		return twofold.Errorf(twofold.ECONFLICT, "This call has already ended.")
	}
	m.CallState = twofold.CallEnded
	return nil
}

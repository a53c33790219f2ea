package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sync"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/totp"
)

// The fakes below play the use cases with fixed data, and record every call that
// would change state, so tests can prove GET requests never do.

var testNow = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

const goodCode = "123456"

type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) record(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, fmt.Sprintf(format, args...))
}

func (r *recorder) changes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

var (
	testOrg  = &twofold.Organization{ID: "o1", Name: "Contoso", Policy: twofold.DefaultPolicy()}
	testUser = &twofold.User{ID: "u1", OrgID: "o1", Username: "ada@contoso.test", DisplayName: "Ada Lovelace"}
)

var errInternal = errors.New("store: select flows: disk I/O error at /var/lib/secret.db")

// fakeSignin knows the flows "flow-mfa" (two authenticator apps), "flow-reg",
// "flow-regphone" and "flow-regonly" (the interrupt; see regKinds) and
// "flow-phone" (a mobile phone, texted by default, and an app), whose newest
// text or call the tests move through its states.
type fakeSignin struct {
	*recorder
	mu        sync.Mutex
	challenge map[string]*twofold.Challenge // flow → newest text or call
	fraud     map[string]bool               // flows a fraud report ended
	sendErr   error                         // what the next send answers
	n         int
}

func newFakeSignin(rec *recorder) *fakeSignin {
	return &fakeSignin{recorder: rec, challenge: map[string]*twofold.Challenge{}, fraud: map[string]bool{}}
}

func (f *fakeSignin) Password(_ context.Context, username, password string, _ twofold.Client) (*signin.Result, error) {
	f.record("Password %s", username)
	switch {
	case password == "boom":
		return nil, fmt.Errorf("signin: %w", errInternal)
	case password == "busy":
		return nil, twofold.Errorf(twofold.EUNAVAILABLE, "busy")
	case password != "right":
		return nil, signin.ErrCredentials
	case username == "ada@contoso.test":
		return &signin.Result{FlowID: "flow-mfa", State: twofold.FlowMFARequired, User: testUser, Org: testOrg}, nil
	case username == "phone@contoso.test", username == "limit@contoso.test":
		f.mu.Lock()
		f.sendErr = nil
		if username == "limit@contoso.test" {
			f.sendErr = errTextLimit
		}
		f.mu.Unlock()
		res, _ := f.Resume(context.Background(), "flow-phone")
		res.SendError = f.send("flow-phone", res.Default)
		res.Challenge = f.current("flow-phone")
		return res, nil
	case username == "new@contoso.test":
		return &signin.Result{FlowID: "flow-reg", State: twofold.FlowRegistrationRequired, User: testUser, Org: testOrg}, nil
	default:
		return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-new"}, nil
	}
}

func (f *fakeSignin) Resume(_ context.Context, id string) (*signin.Result, error) {
	switch id {
	case "flow-mfa":
		opts := []signin.Option{
			{MethodID: "m1", Kind: twofold.KindSoftwareOath, Preference: twofold.PreferenceOath, Label: "Use a code from your authenticator app (Work phone)", Name: "Work phone"},
			{MethodID: "m2", Kind: twofold.KindSoftwareOath, Preference: twofold.PreferenceOath, Label: "Use a code from your authenticator app (Tablet)", Name: "Tablet"},
		}
		d := opts[0]
		return &signin.Result{FlowID: id, State: twofold.FlowMFARequired, User: testUser, Org: testOrg, Options: opts, Default: &d}, nil
	case "flow-key":
		return keyFlow(id), nil
	case "flow-reg", "flow-regphone", "flow-regonly":
		return &signin.Result{FlowID: id, State: twofold.FlowRegistrationRequired, User: testUser, Org: testOrg}, nil
	case "flow-phone":
		if f.ended(id) {
			return nil, signin.ErrFlowGone
		}
		opts := phoneOptions()
		d := opts[0]
		res := &signin.Result{FlowID: id, State: twofold.FlowMFARequired, User: testUser, Org: testOrg, Options: opts, Default: &d, Current: &d}
		if ch := f.current(id); ch != nil {
			res.Challenge = ch
			for _, o := range opts {
				if o.MethodID == ch.MethodID && o.Channel == ch.Channel {
					res.Current = &o
				}
			}
		}
		return res, nil
	}
	return nil, signin.ErrFlowGone
}

const testNumber = "+14255551234"

var errTextLimit = twofold.Errorf(twofold.ERATELIMIT, "You've hit our limit on verification texts. Try again later.")

// phoneOptions are flow-phone's ways: text and call a mobile phone, or an app.
func phoneOptions() []signin.Option {
	return []signin.Option{
		{MethodID: "p1", Kind: twofold.KindPhone, Preference: twofold.PreferenceSMS, Label: "Text +1 XXXXXXX234", Name: "Phone",
			Channel: twofold.ChannelSMS, Masked: "+1 XXXXXXX234"},
		{MethodID: "p1", Kind: twofold.KindPhone, Preference: twofold.PreferenceVoice, Label: "Call +1 XXXXXXX234", Name: "Phone",
			Channel: twofold.ChannelVoice, Masked: "+1 XXXXXXX234"},
		{MethodID: "m1", Kind: twofold.KindSoftwareOath, Preference: twofold.PreferenceOath,
			Label: "Use a code from your authenticator app (Work phone)", Name: "Work phone"},
	}
}

func (f *fakeSignin) ended(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fraud[id]
}

// current returns a copy of the flow's newest text or call.
func (f *fakeSignin) current(id string) *twofold.Challenge {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ch := f.challenge[id]; ch != nil {
		c := *ch
		return &c
	}
	return nil
}

// send texts or calls for option o, unless sendErr says the send fails.
func (f *fakeSignin) send(id string, o *signin.Option) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("Send %s %s", id, o.Channel)
	if f.sendErr != nil {
		return f.sendErr
	}
	f.n++
	f.challenge[id] = &twofold.Challenge{ID: fmt.Sprintf("sc%d", f.n), Channel: o.Channel, MethodID: o.MethodID,
		PhoneType: twofold.PhoneMobile, PhoneNumber: testNumber, State: twofold.ChallengeSent}
	return nil
}

// setCall moves flow's newest challenge to state; fraud also ends the flow.
func (f *fakeSignin) setCall(id string, state twofold.ChallengeState, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.challenge[id].State, f.challenge[id].Reason = state, reason
	if state == twofold.ChallengeFraud {
		f.fraud[id] = true
	}
}

func (f *fakeSignin) Choose(ctx context.Context, id, methodID string, pref twofold.SignInPreference, _ twofold.Client) (*signin.Result, error) {
	f.record("Choose %s %s %s", id, methodID, pref)
	res, err := f.Resume(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, o := range res.Options {
		if o.MethodID == methodID && o.Preference == pref {
			res.Current = &o
			if o.Channel == "" {
				return res, nil
			}
			if err := f.send(id, &o); err != nil {
				return nil, err
			}
			res.Challenge = f.current(id)
			return res, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That sign-in method isn't available. Choose another way to sign in.")
}

func (f *fakeSignin) CallStatus(_ context.Context, id string) (*signin.Result, error) {
	if id != "flow-phone" {
		return nil, signin.ErrFlowGone
	}
	ch := f.current(id)
	if ch == nil || ch.Channel != twofold.ChannelVoice {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "There's no call waiting here. Ask for a new call.")
	}
	return &signin.Result{FlowID: id, State: twofold.FlowMFARequired, User: testUser, Org: testOrg, Challenge: ch}, nil
}

func (f *fakeSignin) CompleteCall(_ context.Context, id string, _ twofold.Client) (*signin.Result, error) {
	f.record("CompleteCall %s", id)
	if id != "flow-phone" || f.ended(id) {
		return nil, signin.ErrFlowGone
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := f.challenge[id]
	switch {
	case ch == nil || ch.Channel != twofold.ChannelVoice || ch.State == twofold.ChallengeUsed:
		return nil, twofold.Errorf(twofold.ENOTFOUND, "There's no call waiting here. Ask for a new call.")
	case ch.State == twofold.ChallengeSent || ch.State == twofold.ChallengeAnswered:
		return nil, twofold.Errorf(twofold.ECONFLICT, "We're still waiting for you to answer the call and press #.")
	case ch.State == twofold.ChallengeFailed:
		return nil, twofold.Errorf(twofold.EEXPIRED, "%s Try again, or choose another method.", ch.Reason)
	}
	ch.State = twofold.ChallengeUsed
	return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-call"}, nil
}

func (f *fakeSignin) Verify(ctx context.Context, id, methodID, code string, _ twofold.Client) (*signin.Result, error) {
	f.record("Verify %s %s", id, methodID)
	if _, err := f.Resume(ctx, id); err != nil {
		return nil, err
	}
	if methodID == "p1" {
		switch code {
		case goodCode:
			return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-text"}, nil
		case "000001":
			f.setCall(id, twofold.ChallengeFailed, "That was too many wrong codes.")
			return nil, phone.ErrTooManyTries
		}
		return nil, phone.ErrWrongCode
	}
	switch code {
	case goodCode:
		return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-mfa"}, nil
	case "000000":
		return nil, twofold.Errorf(twofold.EEXPIRED, "That was too many wrong codes. Please sign in again.")
	}
	return nil, twofold.FieldError("code", "That code didn't work. Check the code in your authenticator app and try again.")
}

// testPNG is a small real PNG, so previews of the setup page show an image.
func testPNG() []byte {
	img := image.NewGray(image.Rect(0, 0, 29, 29))
	for y := 0; y < 29; y++ {
		for x := 0; x < 29; x++ {
			if (x*7+y*13)%5 < 2 || ((x < 7 || x > 21) && y < 7) || (x < 7 && y > 21) {
				img.SetGray(x, y, color.Gray{})
			} else {
				img.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func testEnrolment(id string) *totp.Enrolment {
	return &totp.Enrolment{
		MethodID: id, Secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", GroupedSecret: "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP",
		URI: "otpauth://totp/Contoso:ada@contoso.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Contoso", QRCodePNG: testPNG(),
	}
}

func (f *fakeSignin) BeginRegistration(ctx context.Context, id string) (*totp.Enrolment, error) {
	f.record("BeginRegistration %s", id)
	if err := interruptOffers(id, twofold.KindSoftwareOath); err != nil {
		return nil, err
	}
	return testEnrolment("pend1"), nil
}

func (f *fakeSignin) FinishRegistration(_ context.Context, id, methodID, name, code string, _ twofold.Client) (*signin.Result, error) {
	f.record("FinishRegistration %s %s %s", id, methodID, name)
	if err := interruptOffers(id, twofold.KindSoftwareOath); err != nil {
		return nil, err
	}
	if code == staleTabCode {
		return nil, signin.ErrRegistrationDone
	}
	if code != goodCode {
		return nil, twofold.FieldError("code", "That code didn't work. Check the code in your authenticator app and try again.")
	}
	return &signin.Result{State: twofold.FlowSignedIn, User: testUser, Org: testOrg, SessionToken: "tok-reg"}, nil
}

func (f *fakeSignin) Cancel(_ context.Context, id string, _ twofold.Client) error {
	f.record("Cancel %s", id)
	return nil
}

// fakeSessions knows three tokens: "tok" (second factor proven just now),
// "tok-stale" (proven an hour ago) and "tok-boom" (the store fails).
type fakeSessions struct{ *recorder }

func principal(sessionID string, mfaAt time.Time) *twofold.Principal {
	u, o := *testUser, *testOrg
	return &twofold.Principal{User: &u, Org: &o, Session: &twofold.Session{ID: sessionID, UserID: u.ID, MFAAt: mfaAt}}
}

func (f fakeSessions) Authenticate(_ context.Context, token string, _ twofold.Client) (*twofold.Principal, error) {
	switch token {
	case "tok", "tok-new", "tok-mfa", "tok-reg", "tok-text", "tok-call":
		return principal("s1", testNow.Add(-time.Minute)), nil
	case "tok-stale":
		return principal("s1", testNow.Add(-time.Hour)), nil
	case "tok-boom":
		return nil, fmt.Errorf("session: authenticate: %w", errInternal)
	}
	return nil, twofold.Errorf(twofold.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
}

func (f fakeSessions) SignOut(_ context.Context, p *twofold.Principal) error {
	f.record("SignOut %s", p.Session.ID)
	return nil
}

func (f fakeSessions) SignOutEverywhere(_ context.Context, p *twofold.Principal) (int, error) {
	f.record("SignOutEverywhere %s", p.User.ID)
	return 2, nil
}

func (f fakeSessions) List(_ context.Context, p *twofold.Principal) ([]*twofold.Session, error) {
	return []*twofold.Session{
		{ID: "s1", CreatedAt: testNow.Add(-time.Hour), LastSeenAt: testNow, IP: "192.0.2.10",
			UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"},
		{ID: "s2", CreatedAt: testNow.Add(-20 * time.Hour), LastSeenAt: testNow.Add(-3 * time.Hour), IP: "198.51.100.7",
			UserAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"},
	}, nil
}

// fakeSecurityInfo holds one authenticator app, m1, and a pending one, pend1; a
// test may add the mobile phone p1. Number verifications and re-verifications
// by phone are kept by ID, the newest last, and tests move them through states.
type fakeSecurityInfo struct {
	*recorder
	methods   []*twofold.Method
	noDefault bool
	// phoneChoices adds a phone's call and text to the default choices.
	phoneChoices bool
	// deleteNotes are the rows' DeleteNote, by method ID.
	deleteNotes map[string]string
	// emailCode is the newest code mailed (fakes_email_test.go); emailN counts them.
	emailCode *twofold.Challenge
	emailN    int
	// canAdd replaces the one method the member may add (an app).
	canAdd []securityinfo.AddOption
	// keyRefusal is what BeginKey answers instead of a ceremony.
	keyRefusal error

	mu       sync.Mutex
	n        int
	phones   map[string]*twofold.Challenge // number verifications by ID
	newest   string                        // the newest number verification
	reverify *twofold.Challenge            // the session's newest re-verification
}

func (f *fakeSecurityInfo) fresh(p *twofold.Principal) error {
	if testNow.Sub(p.Session.MFAAt) > 10*time.Minute {
		return twofold.Errorf(twofold.EREAUTH, "For your security, verify your identity again to continue.")
	}
	return nil
}

func (f *fakeSecurityInfo) MethodCount(context.Context, *twofold.Principal) (int, error) {
	return len(f.methods), nil
}

func (f *fakeSecurityInfo) Overview(_ context.Context, p *twofold.Principal) (*securityinfo.Overview, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	o := &securityinfo.Overview{
		Default: twofold.PreferenceOath, DefaultLabel: "Authenticator app – code",
		CanAdd: []securityinfo.AddOption{{Kind: twofold.KindSoftwareOath, Label: "Authenticator app",
			Description: "Use an app on your phone to get sign-in codes."}},
	}
	if f.canAdd != nil {
		o.CanAdd = f.canAdd
	}
	for _, m := range f.methods {
		if m.Kind == twofold.KindPhone {
			o.Methods = append(o.Methods, securityinfo.Row{Method: m, Label: "Phone", Detail: phone.DisplayE164(m.PhoneNumber),
				Deletable: true, Changeable: true})
			continue
		}
		if m.Kind == twofold.KindFido2 {
			o.Methods = append(o.Methods, securityinfo.Row{Method: m, Label: "Security key", Detail: m.Name, Deletable: true})
			continue
		}
		if m.Kind == twofold.KindEmail {
			o.Methods = append(o.Methods, securityinfo.Row{Method: m, Label: "Email", Detail: m.Email, Deletable: true, Changeable: true})
			continue
		}
		o.Methods = append(o.Methods, securityinfo.Row{Method: m, Label: "Authenticator app", Detail: m.Name, Deletable: true,
			DeleteNote: f.deleteNotes[m.ID]})
	}
	if f.noDefault {
		o.Default, o.DefaultLabel, o.NoDefaultNotice = twofold.PreferenceNone, "", true
		o.NotOffered = []string{"Phone"}
	} else {
		o.Choices = append(o.Choices, methodkind.Choice{Preference: twofold.PreferenceOath, Label: "Authenticator app – code"})
		if f.phoneChoices {
			o.Choices = append(o.Choices,
				methodkind.Choice{Preference: twofold.PreferenceVoice, Label: "Phone – call +1 4255551234"},
				methodkind.Choice{Preference: twofold.PreferenceSMS, Label: "Phone – text +1 4255551234"})
		}
	}
	return o, nil
}

// Reverify fakes the use case's dispatch: no method is an app code, a method is
// this fake's phone and its texted code.
func (f *fakeSecurityInfo) Reverify(_ context.Context, p *twofold.Principal, methodID, code string) (string, error) {
	if methodID != "" {
		return f.reverifyText(code)
	}
	f.record("Reverify")
	if code != goodCode {
		return "", twofold.FieldError("code", "That code didn't work. Check the code in your authenticator app and try again.")
	}
	return steppedUpToken, nil
}

func (f *fakeSecurityInfo) BeginApp(_ context.Context, p *twofold.Principal) (*totp.Enrolment, error) {
	f.record("BeginApp")
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	return testEnrolment("pend1"), nil
}

func (f *fakeSecurityInfo) PendingApp(_ context.Context, p *twofold.Principal, id string) (*totp.Enrolment, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	if id != "pend1" {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That setup has expired. Start again.")
	}
	return testEnrolment(id), nil
}

func (f *fakeSecurityInfo) ActivateApp(_ context.Context, p *twofold.Principal, id, name, code string) (*twofold.Method, error) {
	f.record("ActivateApp %s %s", id, name)
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	if code != goodCode {
		return nil, twofold.FieldError("code", "That code didn't work. Check the code in your authenticator app and try again.")
	}
	return &twofold.Method{ID: id, Kind: twofold.KindSoftwareOath, Name: name, State: twofold.MethodActive}, nil
}

func (f *fakeSecurityInfo) Method(_ context.Context, p *twofold.Principal, id string) (*twofold.Method, error) {
	if err := f.fresh(p); err != nil {
		return nil, err
	}
	for _, m := range f.methods {
		if m.ID == id {
			return m, nil
		}
	}
	if id == "pend1" {
		return &twofold.Method{ID: id, Kind: twofold.KindSoftwareOath, Name: "Authenticator app", State: twofold.MethodActive}, nil
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of your security info.")
}

func (f *fakeSecurityInfo) Delete(_ context.Context, p *twofold.Principal, id string) error {
	f.record("Delete %s", id)
	if err := f.fresh(p); err != nil {
		return err
	}
	return nil
}

func (f *fakeSecurityInfo) SetDefault(_ context.Context, p *twofold.Principal, pref twofold.SignInPreference) error {
	f.record("SetDefault %s", pref)
	if err := f.fresh(p); err != nil {
		return err
	}
	if pref != twofold.PreferenceOath {
		return twofold.FieldError("preference", "Choose one of your sign-in methods.")
	}
	return nil
}

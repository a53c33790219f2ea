package api

import (
	"net/http"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/totp"
)

// flowView is a sign-in that needs another step: status mfa_required, with the
// second factors offered, or registration_required, with none yet. Before the
// member is signed in, phone numbers appear only masked ("+1 XXXXXXX234").
type flowView struct {
	FlowID        string             `json:"flowId"`
	Status        twofold.FlowState  `json:"status"`
	Methods       []signinMethodView `json:"methods"`
	DefaultMethod string             `json:"defaultMethod"` // a signInPreferences value, "none" without one
	// Challenge is the flow's newest text or call, when one was sent.
	Challenge *challengeView `json:"challenge,omitempty"`
	// SendError says why the default's text or call did not go out after the
	// password; the member can choose another way.
	SendError *sendErrorView `json:"sendError,omitempty"`
}

// optionView is one way to prove the second factor: an authenticator app, or a
// phone with a text or a call (a mobile phone gives two options with one id).
type optionView struct {
	ID           string                   `json:"id"`
	MethodType   twofold.MethodKind       `json:"methodType"`
	DisplayName  string                   `json:"displayName"`
	Preference   twofold.SignInPreference `json:"preference"`
	Label        string                   `json:"label"`
	Channel      string                   `json:"channel,omitempty"`      // sms or voice, phones only
	MaskedNumber string                   `json:"maskedNumber,omitempty"` // phones only
}

// signinMethodView is one second factor offered at sign-in.
type signinMethodView struct {
	optionView
	IsDefault bool `json:"isDefault"`
}

// challengeView is a text or call as shown to someone who has not (recently)
// proven the second factor: the number masked. ID is set for re-verification only.
type challengeView struct {
	ID              string                 `json:"id,omitempty"`
	MethodID        string                 `json:"methodId"`
	Channel         string                 `json:"channel"`
	State           twofold.ChallengeState `json:"state"`
	Reason          string                 `json:"reason,omitempty"`
	MaskedNumber    string                 `json:"maskedNumber"`
	ExpiresDateTime string                 `json:"expiresDateTime"`
}

func newChallengeView(c *twofold.Challenge) *challengeView {
	return &challengeView{
		MethodID: c.MethodID, Channel: c.Channel, State: c.State, Reason: c.Reason,
		MaskedNumber: phone.Mask(c.PhoneNumber), ExpiresDateTime: dateTime(c.ExpiresAt),
	}
}

// sendErrorView is an error that did not fail the call it came with.
type sendErrorView struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// signedInView is a finished sign-in. The session token appears only here, in the
// answer to the call that issued it.
type signedInView struct {
	Status          twofold.FlowState `json:"status"`
	SessionToken    string            `json:"sessionToken"`
	ExpiresDateTime string            `json:"expiresDateTime"`
	// RegistrationRequired names what the member is asked to register now that
	// they are signed in ("resetMethods"; see GET /me/registration), absent when
	// nothing is.
	RegistrationRequired []string `json:"registrationRequired,omitempty"`
}

// resultView renders a sign-in result as a flowView or a signedInView. A send
// error that is our fault is logged and shown with the request's reference, like
// any internal error.
func (h *handler) resultView(r *http.Request, res *signin.Result) any {
	if res.State == twofold.FlowSignedIn {
		v := signedInView{Status: res.State, SessionToken: res.SessionToken}
		if res.Session != nil {
			v.ExpiresDateTime = dateTime(res.Session.ExpiresAt)
		}
		v.RegistrationRequired = h.registrationRequired(r, res)
		return v
	}
	v := flowView{FlowID: res.FlowID, Status: res.State, Methods: []signinMethodView{},
		DefaultMethod: string(twofold.PreferenceNone)}
	if res.Default != nil {
		v.DefaultMethod = string(res.Default.Preference)
	}
	for _, o := range res.Options {
		v.Methods = append(v.Methods, signinMethodView{
			optionView: optionView{
				ID: o.MethodID, MethodType: o.Kind, DisplayName: o.Name, Preference: o.Preference,
				Label: o.Label, Channel: o.Channel, MaskedNumber: o.Masked,
			},
			IsDefault: res.Default != nil && o.MethodID == res.Default.MethodID && o.Preference == res.Default.Preference,
		})
	}
	if res.Challenge != nil {
		v.Challenge = newChallengeView(res.Challenge)
	}
	if res.SendError != nil {
		httpx.LogError(r.Context(), h.log, res.SendError)
		v.SendError = &sendErrorView{Code: twofold.ErrorCode(res.SendError), Message: httpx.Message(r, res.SendError)}
	}
	return v
}

// newOptionView renders a re-verification option.
func newOptionView(o methodkind.Option) optionView {
	v := optionView{
		ID: o.Method.ID, MethodType: o.Method.Kind, DisplayName: o.Method.Name,
		Preference: o.Preference, Label: o.Label, Channel: o.Channel(),
	}
	if o.Method.Kind == twofold.KindPhone {
		v.MaskedNumber = phone.Mask(o.Method.PhoneNumber)
	}
	return v
}

// enrolmentView is an authenticator app being set up. It carries the secret, so
// it is written only to the member setting it up and never logged.
type enrolmentView struct {
	ID         string `json:"id"`
	SecretKey  string `json:"secretKey"`
	OtpauthURI string `json:"otpauthUri"`
}

func newEnrolmentView(e *totp.Enrolment) enrolmentView {
	return enrolmentView{ID: e.MethodID, SecretKey: e.Secret, OtpauthURI: e.URI}
}

// methodView is one registered method, Graph style; a phone also carries the
// properties of Graph's phoneAuthenticationMethod.
type methodView struct {
	ID              string            `json:"id"`
	ODataType       string            `json:"@odata.type"`
	DisplayName     string            `json:"displayName"`
	CreatedDateTime string            `json:"createdDateTime"`
	PhoneNumber     string            `json:"phoneNumber,omitempty"`
	PhoneType       twofold.PhoneType `json:"phoneType,omitempty"`
	SMSSignInState  string            `json:"smsSignInState,omitempty"`
}

func newMethodView(m *twofold.Method) methodView {
	v := methodView{
		ID:              m.ID,
		ODataType:       "#microsoft.graph." + string(m.Kind) + "AuthenticationMethod",
		DisplayName:     m.Name,
		CreatedDateTime: dateTime(m.CreatedAt),
	}
	if m.Kind == twofold.KindPhone {
		p := newPhoneView(m)
		v.PhoneNumber, v.PhoneType, v.SMSSignInState = p.PhoneNumber, p.PhoneType, p.SMSSignInState
	}
	return v
}

// phoneView is Graph's phoneAuthenticationMethod. The number is shown in full:
// only the member sees it, with a fresh second factor.
type phoneView struct {
	ID          string            `json:"id"`
	PhoneNumber string            `json:"phoneNumber"` // "+1 4255551234"
	PhoneType   twofold.PhoneType `json:"phoneType"`
	// SMSSignInState is always "notSupported": a text is a second factor here,
	// never a way to sign in without the password.
	SMSSignInState string `json:"smsSignInState"`
}

// smsSignInNotSupported is Graph's smsSignInState for a phone that cannot be used
// to sign in with a text alone.
const smsSignInNotSupported = "notSupported"

func newPhoneView(m *twofold.Method) phoneView {
	return phoneView{ID: m.ID, PhoneNumber: phone.DisplayE164(m.PhoneNumber), PhoneType: m.PhoneType,
		SMSSignInState: smsSignInNotSupported}
}

// verificationView is a text or call that verifies a number being added or
// changed, shown to the member who typed it.
type verificationView struct {
	ID          string                 `json:"id"`
	Channel     string                 `json:"channel"`
	State       twofold.ChallengeState `json:"state"`
	Reason      string                 `json:"reason,omitempty"`
	PhoneNumber string                 `json:"phoneNumber"`
	// ExtensionRemoved is the extension cut off the typed number, so the
	// client can tell the member; only in the answer to the call that started it.
	ExtensionRemoved string `json:"extensionRemoved,omitempty"`
	ExpiresDateTime  string `json:"expiresDateTime"`
}

func newVerificationView(c *twofold.Challenge, extension string) verificationView {
	return verificationView{
		ID: c.ID, Channel: c.Channel, State: c.State, Reason: c.Reason,
		PhoneNumber: phone.DisplayE164(c.PhoneNumber), ExtensionRemoved: extension,
		ExpiresDateTime: dateTime(c.ExpiresAt),
	}
}

// collection is Graph's list envelope.
type collection[T any] struct {
	Value []T `json:"value"`
}

// meView is the signed-in member.
type meView struct {
	ID                string  `json:"id"`
	UserPrincipalName string  `json:"userPrincipalName"`
	DisplayName       string  `json:"displayName"`
	Organization      orgView `json:"organization"`
}

type orgView struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// preferencesView is Graph's signInPreferences resource.
type preferencesView struct {
	UserPreferredMethodForSecondaryAuthentication twofold.SignInPreference `json:"userPreferredMethodForSecondaryAuthentication"`
	IsSystemPreferredAuthenticationMethodEnabled  bool                     `json:"isSystemPreferredAuthenticationMethodEnabled"`
}

// sessionView is one live session. Its ID is not a credential; the token is
// never shown again after sign-in.
type sessionView struct {
	ID                   string `json:"id"`
	CreatedDateTime      string `json:"createdDateTime"`
	LastActivityDateTime string `json:"lastActivityDateTime"`
	ExpiresDateTime      string `json:"expiresDateTime"`
	MFADateTime          string `json:"mfaDateTime,omitempty"`
	IPAddress            string `json:"ipAddress"`
	UserAgent            string `json:"userAgent"`
	IsCurrent            bool   `json:"isCurrent"`
}

func newSessionView(s *twofold.Session, current string) sessionView {
	return sessionView{
		ID:                   s.ID,
		CreatedDateTime:      dateTime(s.CreatedAt),
		LastActivityDateTime: dateTime(s.LastSeenAt),
		ExpiresDateTime:      dateTime(s.ExpiresAt),
		MFADateTime:          dateTime(s.MFAAt),
		IPAddress:            s.IP,
		UserAgent:            s.UserAgent,
		IsCurrent:            s.ID == current,
	}
}

// dateTime writes t as Graph does (RFC 3339 in UTC, whole seconds), or "" for zero.
func dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

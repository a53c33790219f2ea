package api

import (
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/totp"
)

// flowView is a sign-in that needs another step: status mfa_required, with the
// second factors offered, or registration_required, with none yet.
type flowView struct {
	FlowID        string             `json:"flowId"`
	Status        twofold.FlowState  `json:"status"`
	Methods       []signinMethodView `json:"methods"`
	DefaultMethod string             `json:"defaultMethod"` // a signInPreferences value, "none" without one
}

// signinMethodView is one second factor offered at sign-in.
type signinMethodView struct {
	ID          string             `json:"id"`
	MethodType  twofold.MethodKind `json:"methodType"`
	DisplayName string             `json:"displayName"`
	IsDefault   bool               `json:"isDefault"`
}

// signedInView is a finished sign-in. The session token appears only here, in the
// answer to the call that issued it.
type signedInView struct {
	Status          twofold.FlowState `json:"status"`
	SessionToken    string            `json:"sessionToken"`
	ExpiresDateTime string            `json:"expiresDateTime"`
}

// resultView renders a sign-in result as a flowView or a signedInView.
func resultView(r *signin.Result) any {
	if r.State == twofold.FlowSignedIn {
		v := signedInView{Status: r.State, SessionToken: r.SessionToken}
		if r.Session != nil {
			v.ExpiresDateTime = dateTime(r.Session.ExpiresAt)
		}
		return v
	}
	v := flowView{FlowID: r.FlowID, Status: r.State, Methods: []signinMethodView{},
		DefaultMethod: string(twofold.PreferenceNone)}
	if r.Default != nil {
		v.DefaultMethod = string(r.Default.Preference)
	}
	for _, o := range r.Options {
		v.Methods = append(v.Methods, signinMethodView{
			ID: o.MethodID, MethodType: o.Kind, DisplayName: o.Name,
			IsDefault: r.Default != nil && o.MethodID == r.Default.MethodID,
		})
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

// methodView is one registered method, Graph style.
type methodView struct {
	ID              string `json:"id"`
	ODataType       string `json:"@odata.type"`
	DisplayName     string `json:"displayName"`
	CreatedDateTime string `json:"createdDateTime"`
}

func newMethodView(m *twofold.Method) methodView {
	return methodView{
		ID:              m.ID,
		ODataType:       "#microsoft.graph." + string(m.Kind) + "AuthenticationMethod",
		DisplayName:     m.Name,
		CreatedDateTime: dateTime(m.CreatedAt),
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

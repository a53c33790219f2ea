package twofold

import (
	"slices"
	"time"
)

// MethodKind names a kind of security info. The values follow the Microsoft Graph
// authentication-method resource names without the "Method" suffix.
type MethodKind string

// The method kinds. Only SoftwareOath is registrable today; the others are named so
// policy and storage keep one vocabulary as methods are added.
const (
	KindSoftwareOath      MethodKind = "softwareOath" // authenticator app (TOTP)
	KindPhone             MethodKind = "phone"
	KindFido2             MethodKind = "fido2"
	KindEmail             MethodKind = "email"
	KindSecurityQuestions MethodKind = "securityQuestions"
	KindPassword          MethodKind = "password"
)

// Policy is an organization's rules for security info and sign-in. The zero value is
// not useful; start from DefaultPolicy.
type Policy struct {
	// EnabledMethods lists the kinds members may register and use. A kind that is not
	// listed is neither offered nor accepted.
	EnabledMethods []MethodKind `json:"enabledMethods"`
	// MFARequired makes every sign-in ask for a second factor, and sends members who
	// have none to register one before they get a session.
	MFARequired bool `json:"mfaRequired"`
	// MaxAuthenticatorApps caps authenticator apps per member (1–5).
	MaxAuthenticatorApps int `json:"maxAuthenticatorApps"`
	// MaxSecurityKeys caps security keys per member (1–10).
	MaxSecurityKeys int `json:"maxSecurityKeys"`
	// PasskeySignIn lets members sign in with a passkey alone (a discoverable
	// key that verified them), without their password; security keys must be
	// enabled too.
	PasskeySignIn bool `json:"passkeySignIn"`
	// AllowedAAGUIDs limits security keys to these authenticator models (AAGUIDs
	// in UUID form); empty allows every model.
	AllowedAAGUIDs []string `json:"allowedAAGUIDs"`
	// LockoutThreshold is how many consecutive wrong passwords lock an account (3–100).
	LockoutThreshold int `json:"lockoutThreshold"`
	// LockoutDuration is the first lock's length; each further lock doubles it, up to
	// a day.
	LockoutDuration Duration `json:"lockoutDuration"`
	// MFAFailureLimit is how many consecutive wrong second-factor codes, across all
	// sessions, block MFA for a member (10–100).
	MFAFailureLimit int `json:"mfaFailureLimit"`
	// MFABlockDuration is how long that block lasts.
	MFABlockDuration Duration `json:"mfaBlockDuration"`
	// HelpdeskContact is shown to members who cannot help themselves.
	HelpdeskContact string `json:"helpdeskContact"`
	// MinPasswordLength is the shortest new password allowed (8–64); see
	// PasswordMinimum for the minimum actually applied.
	MinPasswordLength int `json:"minPasswordLength"`
	// Reset is self-service password reset.
	Reset ResetPolicy `json:"reset"`
	// Questions holds the security-question settings; they apply when
	// KindSecurityQuestions is enabled.
	Questions QuestionsPolicy `json:"securityQuestions"`
	// Campaign is the registration campaign's snooze.
	Campaign CampaignPolicy `json:"registrationCampaign"`
	// Phone holds the phone settings; they apply when KindPhone is enabled.
	Phone PhonePolicy `json:"phone"`
	// TemporaryAccessPass holds the pass settings; they apply when
	// KindTemporaryAccessPass is enabled.
	TemporaryAccessPass TAPPolicy `json:"temporaryAccessPass"`
}

// PhonePolicy is how members may use phones, and the throttles that protect them
// (and the organization's bill) from harassment and toll fraud.
type PhonePolicy struct {
	Text            bool `json:"text"`            // codes by text to a mobile phone
	Call            bool `json:"call"`            // verification calls to a mobile phone
	AlternateMobile bool `json:"alternateMobile"` // an alternate mobile, called only
	Office          bool `json:"office"`          // an office phone, called only
	// AllowedCountryCodes limits numbers to these calling codes (1, 44, …); empty
	// allows every country.
	AllowedCountryCodes []int `json:"allowedCountryCodes"`
	// FraudBlockDuration is how long a fraud report (0# during a call) blocks the
	// member's second factor; 0 blocks it until an admin lifts the block.
	FraudBlockDuration Duration `json:"fraudBlockDuration"`
	// Texts and calls allowed per day: to one member, to one number, to one country
	// calling code from this organization, and from the whole organization.
	SendsPerMemberPerDay  int `json:"sendsPerMemberPerDay"`
	SendsPerNumberPerDay  int `json:"sendsPerNumberPerDay"`
	SendsPerCountryPerDay int `json:"sendsPerCountryPerDay"`
	SendsPerOrgPerDay     int `json:"sendsPerOrgPerDay"`
}

// CountryAllowed reports whether numbers with calling code cc may be registered.
func (p PhonePolicy) CountryAllowed(cc int) bool {
	if len(p.AllowedCountryCodes) == 0 {
		return true
	}
	for _, c := range p.AllowedCountryCodes {
		if c == cc {
			return true
		}
	}
	return false
}

// AllowsType reports whether members may register a phone of type t.
func (p PhonePolicy) AllowsType(t PhoneType) bool {
	switch t {
	case PhoneMobile:
		return p.Text || p.Call
	case PhoneAlternateMobile:
		return p.AlternateMobile
	case PhoneOffice:
		return p.Office
	}
	return false
}

// AllowsChannel reports whether a phone of type t may be sent a text (ChannelSMS)
// or called (ChannelVoice).
func (p PhonePolicy) AllowsChannel(t PhoneType, channel string) bool {
	if !p.AllowsType(t) {
		return false
	}
	switch channel {
	case ChannelSMS:
		return t.CanText() && p.Text
	case ChannelVoice:
		return t != PhoneMobile || p.Call
	}
	return false
}

// problems lists every phone setting out of range.
func (p PhonePolicy) problems() []error {
	var out problemList
	out.add(!p.Text && !p.Call && !p.Office, "phone", "With phones enabled, allow at least texts, calls or office phones.")
	out.add(p.AlternateMobile && !p.Call && !p.Text, "phone.alternateMobile", "An alternate mobile needs mobile phones to be allowed too.")
	fraud := time.Duration(p.FraudBlockDuration)
	out.add(fraud != 0 && (fraud < time.Hour || fraud > 365*24*time.Hour), "phone.fraudBlockDuration", "The fraud block must last between 1 hour and 365 days, or 0s to last until an admin lifts it.")
	out.add(p.SendsPerMemberPerDay < 1 || p.SendsPerMemberPerDay > 100, "phone.sendsPerMemberPerDay", "Texts and calls per member per day must be between 1 and 100.")
	out.add(p.SendsPerNumberPerDay < 1 || p.SendsPerNumberPerDay > 100, "phone.sendsPerNumberPerDay", "Texts and calls per number per day must be between 1 and 100.")
	out.add(p.SendsPerCountryPerDay < 1 || p.SendsPerCountryPerDay > 1000000, "phone.sendsPerCountryPerDay", "Texts and calls per country per day must be between 1 and 1000000.")
	out.add(p.SendsPerOrgPerDay < 1 || p.SendsPerOrgPerDay > 1000000, "phone.sendsPerOrgPerDay", "Texts and calls per organization per day must be between 1 and 1000000.")
	out.add(slices.ContainsFunc(p.AllowedCountryCodes, func(cc int) bool { return cc < 1 || cc > 999 }),
		"phone.allowedCountryCodes", "Country calling codes are numbers from 1 to 999, such as 1 or 44.")
	return out
}

// problemList collects a policy's problems, one field error each.
type problemList []error

// add notes the problem with field when bad holds.
func (l *problemList) add(bad bool, field, message string) {
	if bad {
		*l = append(*l, FieldError(field, message))
	}
}

// addErr notes err, when there is one.
func (l *problemList) addErr(err error) {
	if err != nil {
		*l = append(*l, err)
	}
}

// DefaultPolicy returns the policy a new organization starts with.
func DefaultPolicy() Policy {
	return Policy{
		EnabledMethods:       []MethodKind{KindSoftwareOath, KindPhone, KindFido2, KindEmail, KindSecurityQuestions},
		MFARequired:          true,
		MaxAuthenticatorApps: 5,
		MaxSecurityKeys:      10,
		PasskeySignIn:        true,
		LockoutThreshold:     10,
		LockoutDuration:      Duration(time.Minute),
		MFAFailureLimit:      100,
		MFABlockDuration:     Duration(time.Hour),
		MinPasswordLength:    MinPasswordLengthFloor,
		Reset: ResetPolicy{Enabled: true, MethodsRequired: 1,
			Methods: []MethodKind{KindSoftwareOath, KindPhone, KindFido2, KindEmail, KindSecurityQuestions}},
		Questions:           QuestionsPolicy{ToRegister: 5, ToReset: 3},
		Campaign:            CampaignPolicy{SnoozeDays: 1},
		TemporaryAccessPass: TAPPolicy{DefaultLifetime: Duration(TAPDefaultLifetime), MaxLifetime: Duration(8 * time.Hour)},
		Phone: PhonePolicy{
			Text: true, Call: true, AlternateMobile: true, Office: true,
			SendsPerMemberPerDay: 20, SendsPerNumberPerDay: 10,
			SendsPerCountryPerDay: 1000, SendsPerOrgPerDay: 5000,
		},
	}
}

// MethodEnabled reports whether the policy lets members register and use kind.
func (p Policy) MethodEnabled(kind MethodKind) bool {
	for _, k := range p.EnabledMethods {
		if k == kind {
			return true
		}
	}
	return false
}

// Validate returns an EINVALID *Error naming the first setting out of range,
// the first of Problems.
func (p Policy) Validate() error {
	if all := p.Problems(); len(all) > 0 {
		return all[0]
	}
	return nil
}

// Problems returns every setting out of range at once, each an EINVALID *Error
// with its Field (the setting's JSON path), so a form or a command line can
// list them all instead of one per attempt; nil when the policy is valid.
func (p Policy) Problems() []error {
	var out problemList
	out.add(p.MaxAuthenticatorApps < 1 || p.MaxAuthenticatorApps > 5, "maxAuthenticatorApps", "The number of authenticator apps must be between 1 and 5.")
	out.add(p.MaxSecurityKeys < 1 || p.MaxSecurityKeys > 10, "maxSecurityKeys", "The number of security keys must be between 1 and 10.")
	out.add(p.LockoutThreshold < 3 || p.LockoutThreshold > 100, "lockoutThreshold", "The lockout threshold must be between 3 and 100 failed attempts.")
	lock := time.Duration(p.LockoutDuration)
	out.add(lock < 10*time.Second || lock > 24*time.Hour, "lockoutDuration", "The lockout duration must be between 10 seconds and 24 hours.")
	out.add(p.MFAFailureLimit < 10 || p.MFAFailureLimit > 100, "mfaFailureLimit", "The second-factor failure limit must be between 10 and 100.")
	block := time.Duration(p.MFABlockDuration)
	out.add(block < time.Minute || block > 90*24*time.Hour, "mfaBlockDuration", "The second-factor block must last between 1 minute and 90 days.")
	out.add(len(p.HelpdeskContact) > 200, "helpdeskContact", "The help-desk contact must be at most 200 characters.")
	mfa := false
	for _, k := range p.EnabledMethods {
		switch k {
		case KindSoftwareOath, KindPhone, KindFido2:
			mfa = true
		case KindEmail, KindSecurityQuestions, KindTemporaryAccessPass:
		default:
			out.add(true, "enabledMethods", "Unknown method "+string(k)+".")
		}
	}
	for _, a := range p.AllowedAAGUIDs {
		if _, ok := ParseAAGUID(a); !ok {
			out.add(true, "allowedAAGUIDs", "Each allowed key model must be an AAGUID, such as cb69481e-8ff7-4039-93ec-0a2729a154a8.")
			break
		}
	}
	if p.MethodEnabled(KindPhone) {
		out = append(out, p.Phone.problems()...)
	}
	out.addErr(p.validatePasswords())
	out = append(out, p.Reset.problems()...)
	out = append(out, p.Questions.problems()...)
	out.addErr(p.Campaign.validate())
	out.addErr(p.TemporaryAccessPass.validate())
	out.add(p.MFARequired && !mfa, "enabledMethods", "Two-step verification is required, so at least one method that can be a second factor (authenticator app, phone or security key) must be enabled.")
	if len(out) == 0 {
		return nil
	}
	return out
}

// Duration is a time.Duration that reads and writes JSON as a Go duration string
// ("1m30s"), so stored policies stay readable.
type Duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return FieldError("duration", "Durations look like 90s, 10m or 24h.")
	}
	*d = Duration(v)
	return nil
}

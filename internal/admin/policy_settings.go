package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// policySetting is one setting of the policy as people read it: its JSON
// path, its name, and its value in words.
type policySetting struct {
	field, label string
	show         func(twofold.Policy) string
}

// policySettings lists every setting in the order the policy form shows them.
var policySettings = []policySetting{
	{"enabledMethods", "Methods members may use", func(p twofold.Policy) string { return kindNames(p.EnabledMethods) }},
	{"mfaRequired", "Two-step verification required", func(p twofold.Policy) string { return yesNo(p.MFARequired) }},
	{"maxAuthenticatorApps", "Authenticator apps per member", func(p twofold.Policy) string { return strconv.Itoa(p.MaxAuthenticatorApps) }},
	{"maxSecurityKeys", "Security keys per member", func(p twofold.Policy) string { return strconv.Itoa(p.MaxSecurityKeys) }},
	{"passkeySignIn", "Sign in with a passkey alone", func(p twofold.Policy) string { return yesNo(p.PasskeySignIn) }},
	{"allowedAAGUIDs", "Allowed security-key models", func(p twofold.Policy) string { return anyIfEmpty(strings.Join(p.AllowedAAGUIDs, ", ")) }},
	{"phone.text", "Texts to mobile phones", func(p twofold.Policy) string { return yesNo(p.Phone.Text) }},
	{"phone.call", "Calls to mobile phones", func(p twofold.Policy) string { return yesNo(p.Phone.Call) }},
	{"phone.alternateMobile", "Alternate mobile phones", func(p twofold.Policy) string { return yesNo(p.Phone.AlternateMobile) }},
	{"phone.office", "Office phones", func(p twofold.Policy) string { return yesNo(p.Phone.Office) }},
	{"phone.allowedCountryCodes", "Allowed country calling codes", func(p twofold.Policy) string { return anyIfEmpty(CountryCodes(p.Phone.AllowedCountryCodes)) }},
	{"phone.fraudBlockDuration", "Fraud report blocks sign-in codes for", func(p twofold.Policy) string {
		if p.Phone.FraudBlockDuration == 0 {
			return "until an admin lifts it"
		}
		return Lasting(p.Phone.FraudBlockDuration)
	}},
	{"phone.sendsPerMemberPerDay", "Texts and calls per member per day", func(p twofold.Policy) string { return strconv.Itoa(p.Phone.SendsPerMemberPerDay) }},
	{"phone.sendsPerNumberPerDay", "Texts and calls per number per day", func(p twofold.Policy) string { return strconv.Itoa(p.Phone.SendsPerNumberPerDay) }},
	{"phone.sendsPerCountryPerDay", "Texts and calls per country per day", func(p twofold.Policy) string { return strconv.Itoa(p.Phone.SendsPerCountryPerDay) }},
	{"phone.sendsPerOrgPerDay", "Texts and calls per organization per day", func(p twofold.Policy) string { return strconv.Itoa(p.Phone.SendsPerOrgPerDay) }},
	{"reset.enabled", "Self-service password reset", func(p twofold.Policy) string { return onOff(p.Reset.Enabled) }},
	{"reset.methodsRequired", "Methods a reset needs", func(p twofold.Policy) string { return strconv.Itoa(p.Reset.MethodsRequired) }},
	{"reset.methods", "Methods that count for reset", func(p twofold.Policy) string { return kindNames(p.Reset.Methods) }},
	{"securityQuestions.toRegister", "Security questions to register", func(p twofold.Policy) string { return strconv.Itoa(p.Questions.ToRegister) }},
	{"securityQuestions.toReset", "Security questions a reset asks", func(p twofold.Policy) string { return strconv.Itoa(p.Questions.ToReset) }},
	{"securityQuestions.custom", "The organization's own questions", func(p twofold.Policy) string {
		if len(p.Questions.Custom) == 0 {
			return "none"
		}
		return strings.Join(p.Questions.Custom, " | ")
	}},
	{"registrationCampaign.snoozeDays", "Days one snooze of the registration campaign lasts", func(p twofold.Policy) string { return strconv.Itoa(p.Campaign.SnoozeDays) }},
	{"minPasswordLength", "Shortest password", func(p twofold.Policy) string { return strconv.Itoa(p.MinPasswordLength) }},
	{"lockoutThreshold", "Wrong passwords before a lockout", func(p twofold.Policy) string { return strconv.Itoa(p.LockoutThreshold) }},
	{"lockoutDuration", "First lockout lasts", func(p twofold.Policy) string { return Lasting(p.LockoutDuration) }},
	{"mfaFailureLimit", "Wrong codes before sign-in codes are blocked", func(p twofold.Policy) string { return strconv.Itoa(p.MFAFailureLimit) }},
	{"mfaBlockDuration", "Sign-in codes stay blocked for", func(p twofold.Policy) string { return Lasting(p.MFABlockDuration) }},
	{"temporaryAccessPass.defaultLifetime", "Temporary Access Pass default lifetime", func(p twofold.Policy) string {
		def, _ := p.TemporaryAccessPass.Lifetimes()
		return Lasting(twofold.Duration(def))
	}},
	{"temporaryAccessPass.maxLifetime", "Temporary Access Pass longest lifetime", func(p twofold.Policy) string {
		_, maxLife := p.TemporaryAccessPass.Lifetimes()
		return Lasting(twofold.Duration(maxLife))
	}},
	{"temporaryAccessPass.oneTimeOnly", "Temporary Access Passes usable once only", func(p twofold.Policy) string { return yesNo(p.TemporaryAccessPass.OneTimeOnly) }},
	{"helpdeskContact", "Help-desk contact", func(p twofold.Policy) string {
		if p.HelpdeskContact == "" {
			return "none"
		}
		return p.HelpdeskContact
	}},
}

// PolicyLabel names the setting at a JSON path for people ("Shortest
// password"), or returns the path when it names no setting.
func PolicyLabel(field string) string {
	for _, s := range policySettings {
		if s.field == field {
			return s.label
		}
	}
	return field
}

// KindName names a method kind for the policy's readers.
func KindName(k twofold.MethodKind) string {
	switch k {
	case twofold.KindSoftwareOath:
		return "Authenticator app"
	case twofold.KindPhone:
		return "Phone"
	case twofold.KindFido2:
		return "Security key"
	case twofold.KindEmail:
		return "Email"
	case twofold.KindSecurityQuestions:
		return "Security questions"
	case twofold.KindTemporaryAccessPass:
		return "Temporary Access Pass"
	}
	return string(k)
}

func kindNames(kinds []twofold.MethodKind) string {
	if len(kinds) == 0 {
		return "none"
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = KindName(k)
	}
	return strings.Join(names, ", ")
}

// CountryCodes writes calling codes as the policy form takes them: "1, 44".
func CountryCodes(codes []int) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = strconv.Itoa(c)
	}
	return strings.Join(s, ", ")
}

// Lasting writes a duration in the policy form's words: "1h", "90m", "30s",
// "7d" — the largest whole unit.
func Lasting(d twofold.Duration) string {
	v := time.Duration(d)
	switch {
	case v == 0:
		return "0s"
	case v%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(v/(24*time.Hour)), 10) + "d"
	case v%time.Hour == 0:
		return strconv.FormatInt(int64(v/time.Hour), 10) + "h"
	case v%time.Minute == 0:
		return strconv.FormatInt(int64(v/time.Minute), 10) + "m"
	}
	return v.String()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func anyIfEmpty(s string) string {
	if s == "" {
		return "any"
	}
	return s
}

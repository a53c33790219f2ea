package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
)

// policyField is one input of the policy form. Name is the setting's JSON
// path ("phone.sendsPerMemberPerDay"), which the use case's field errors
// name; ID is the same with dashes, a fragment the error summary can link to.
type policyField struct {
	Name, ID, Label, Hint string
	Kind                  string // "number", "text", "textarea", "checkbox", "checks", "select"
	Value                 string
	Checked               bool
	Options               []policyOption // "checks" and "select"
	Min, Max              int            // "number"
	Error                 string
}

// policyOption is one checkbox of a "checks" field, or one choice of a select.
type policyOption struct {
	ID, Value, Label string
	Checked          bool
}

// policySection is one fieldset of the form.
type policySection struct {
	ID, Legend, Hint string
	Fields           []policyField
}

// policyKinds are the methods the form can switch on and off.
var policyKinds = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2,
	twofold.KindEmail, twofold.KindSecurityQuestions, twofold.KindTemporaryAccessPass}

// resetKinds are the methods that can count for password reset.
var resetKinds = policyKinds[:5]

// phonesHint explains the rule about phones the form enforces.
const phonesHint = "Texts and calls can be intercepted or redirected to another phone (NIST SP 800-63B calls them " +
	"restricted), so phones can never be the only second factor: keep the authenticator app or security keys on as well."

func fieldID(name string) string { return strings.ReplaceAll(name, ".", "-") }

func number(name, label, hint string, v, lo, hi int) policyField {
	return policyField{Name: name, Label: label, Hint: hint, Kind: "number", Value: strconv.Itoa(v), Min: lo, Max: hi}
}

func text(name, label, hint, v string) policyField {
	return policyField{Name: name, Label: label, Hint: hint, Kind: "text", Value: v}
}

func checkbox(name, label, hint string, v bool) policyField {
	return policyField{Name: name, Label: label, Hint: hint, Kind: "checkbox", Checked: v}
}

func checks(name, label, hint string, kinds []twofold.MethodKind, on []twofold.MethodKind) policyField {
	f := policyField{Name: name, Label: label, Hint: hint, Kind: "checks"}
	for _, k := range kinds {
		f.Options = append(f.Options, policyOption{ID: fieldID(name) + "-" + string(k), Value: string(k),
			Label: admin.KindName(k), Checked: slices.Contains(on, k)})
	}
	return f
}

func lasting(d twofold.Duration) string { return admin.Lasting(d) }

// policySections lays out every setting of p, in the order the diff lists them.
func policySections(p twofold.Policy) []policySection {
	tapDef, tapMax := p.TemporaryAccessPass.Lifetimes()
	resetRequired := policyField{Name: "reset.methodsRequired", Label: "Methods a reset needs", Kind: "select",
		Hint: "Admins always prove two, and never with security questions.", Value: strconv.Itoa(p.Reset.MethodsRequired),
		Options: []policyOption{{Value: "1", Label: "One method"}, {Value: "2", Label: "Two methods"}}}
	return []policySection{
		{ID: "methods", Legend: "Methods", Hint: phonesHint, Fields: []policyField{
			checks("enabledMethods", "Methods members may use", "A method that is off is neither offered nor accepted.", policyKinds, p.EnabledMethods),
			checkbox("mfaRequired", "Require two-step verification", "Every sign-in asks for a second method; members who have none register one first.", p.MFARequired),
		}},
		{ID: "keys", Legend: "Authenticator apps and security keys", Fields: []policyField{
			number("maxAuthenticatorApps", "Authenticator apps per member", "1 to 5.", p.MaxAuthenticatorApps, 1, 5),
			number("maxSecurityKeys", "Security keys per member", "1 to 10.", p.MaxSecurityKeys, 1, 10),
			checkbox("passkeySignIn", "Members may sign in with a passkey alone", "A passkey that verified the member replaces the password and the second step.", p.PasskeySignIn),
			{Name: "allowedAAGUIDs", Label: "Allowed security-key models", Kind: "textarea", Value: strings.Join(p.AllowedAAGUIDs, "\n"),
				Hint: "One AAGUID a line, such as cb69481e-8ff7-4039-93ec-0a2729a154a8. Empty allows every model."},
		}},
		{ID: "phones", Legend: "Phones", Hint: "These apply while phones are on.", Fields: []policyField{
			checkbox("phone.text", "Texts to mobile phones", "", p.Phone.Text),
			checkbox("phone.call", "Calls to mobile phones", "", p.Phone.Call),
			checkbox("phone.alternateMobile", "Alternate mobile phones (called)", "Needs mobile phones too.", p.Phone.AlternateMobile),
			checkbox("phone.office", "Office phones (called)", "", p.Phone.Office),
			text("phone.allowedCountryCodes", "Allowed country calling codes", "Comma-separated, such as 1, 44. Empty allows every country.", admin.CountryCodes(p.Phone.AllowedCountryCodes)),
			text("phone.fraudBlockDuration", "A fraud report blocks sign-in codes for", "Such as 90d or 24h, between 1 hour and 365 days; 0s blocks until an admin lifts it.", lasting(p.Phone.FraudBlockDuration)),
			number("phone.sendsPerMemberPerDay", "Texts and calls per member per day", "1 to 100.", p.Phone.SendsPerMemberPerDay, 1, 100),
			number("phone.sendsPerNumberPerDay", "Texts and calls per number per day", "1 to 100.", p.Phone.SendsPerNumberPerDay, 1, 100),
			number("phone.sendsPerCountryPerDay", "Texts and calls per country per day", "1 to 1000000.", p.Phone.SendsPerCountryPerDay, 1, 1000000),
			number("phone.sendsPerOrgPerDay", "Texts and calls per organization per day", "1 to 1000000.", p.Phone.SendsPerOrgPerDay, 1, 1000000),
		}},
		{ID: "reset", Legend: "Self-service password reset", Fields: []policyField{
			checkbox("reset.enabled", "Members may reset a forgotten password themselves", "", p.Reset.Enabled),
			resetRequired,
			checks("reset.methods", "Methods that count for reset", "A method must also be on above.", resetKinds, p.Reset.Methods),
			number("securityQuestions.toRegister", "Security questions to register", "3 to 5.", p.Questions.ToRegister, 3, 5),
			number("securityQuestions.toReset", "Security questions a reset asks", "3 to 5, at most as many as members register.", p.Questions.ToReset, 3, 5),
			{Name: "securityQuestions.custom", Label: "The organization's own questions", Kind: "textarea", Value: strings.Join(p.Questions.Custom, "\n"),
				Hint: "One question a line, 3 to 200 characters, at most 20."},
			number("registrationCampaign.snoozeDays", "Days one snooze of the registration campaign lasts", "0 to 14; 0 allows no snooze. After 3 snoozes registering is no longer optional.", p.Campaign.SnoozeDays, 0, 14),
		}},
		{ID: "passwords", Legend: "Passwords and lockout", Fields: []policyField{
			number("minPasswordLength", "Shortest password", "8 to 64 characters; at least 15 when two-step verification is not required.", p.MinPasswordLength, 8, 64),
			number("lockoutThreshold", "Wrong passwords before a lockout", "3 to 100.", p.LockoutThreshold, 3, 100),
			text("lockoutDuration", "First lockout lasts", "Such as 1m or 30s, between 10 seconds and 24 hours; each further lock doubles it.", lasting(p.LockoutDuration)),
			number("mfaFailureLimit", "Wrong codes before sign-in codes are blocked", "10 to 100, counted across sessions.", p.MFAFailureLimit, 10, 100),
			text("mfaBlockDuration", "Sign-in codes stay blocked for", "Such as 1h, between 1 minute and 90 days.", lasting(p.MFABlockDuration)),
		}},
		{ID: "passes", Legend: "Temporary Access Passes", Hint: "These apply while Temporary Access Passes are on.", Fields: []policyField{
			text("temporaryAccessPass.defaultLifetime", "Default lifetime", "Such as 1h, between 10 minutes and the longest lifetime.", lasting(twofold.Duration(tapDef))),
			text("temporaryAccessPass.maxLifetime", "Longest lifetime", "Such as 8h or 30d, between 10 minutes and 30 days.", lasting(twofold.Duration(tapMax))),
			checkbox("temporaryAccessPass.oneTimeOnly", "Every pass is usable once only", "", p.TemporaryAccessPass.OneTimeOnly),
		}},
		{ID: "help", Legend: "Help", Fields: []policyField{
			text("helpdeskContact", "Help-desk contact", "Shown to members who can't help themselves, such as a phone number or a web address. At most 200 characters.", p.HelpdeskContact),
		}},
	}
}

// withIDs sets every field's ID from its name.
func withIDs(sections []policySection) []policySection {
	for i := range sections {
		for j := range sections[i].Fields {
			f := &sections[i].Fields[j]
			f.ID = fieldID(f.Name)
		}
	}
	return sections
}

// fillFrom sets the fields to what the admin typed, so a refused form keeps it.
func fillFrom(sections []policySection, form url.Values) []policySection {
	for i := range sections {
		for j := range sections[i].Fields {
			f := &sections[i].Fields[j]
			switch f.Kind {
			case "checkbox":
				f.Checked = form.Has(f.Name)
			case "checks":
				for k := range f.Options {
					f.Options[k].Checked = slices.Contains(form[f.Name], f.Options[k].Value)
				}
			default:
				f.Value = form.Get(f.Name)
			}
		}
	}
	return sections
}

// firstInput is the ID of the input a problem with field should focus: a
// group's first checkbox, else the field's own input.
func firstInput(sections []policySection, name string) string {
	for _, s := range sections {
		for _, f := range s.Fields {
			if f.Name == name && len(f.Options) > 0 && f.Kind == "checks" {
				return f.Options[0].ID
			}
		}
	}
	return fieldID(name)
}

// parsePolicy reads the form into a copy of current: every setting the form
// holds, and every value that doesn't parse as a field error.
func parsePolicy(current twofold.Policy, form url.Values) (twofold.Policy, formErrors) {
	p := current
	var errs formErrors
	bad := func(name, msg string) { errs = append(errs, fieldError{Field: name, Message: msg}) }
	integer := func(name, label string, dst *int) {
		v, err := strconv.Atoi(strings.TrimSpace(form.Get(name)))
		if err != nil {
			bad(name, label+": enter a whole number.")
			return
		}
		*dst = v
	}
	duration := func(name, label string, dst *twofold.Duration) {
		d, ok := parseLasting(form.Get(name))
		if !ok {
			bad(name, label+": enter a length such as 30s, 10m, 1h or 7d.")
			return
		}
		*dst = twofold.Duration(d)
	}
	kinds := func(name string, allowed []twofold.MethodKind) []twofold.MethodKind {
		var out []twofold.MethodKind
		for _, k := range allowed {
			if slices.Contains(form[name], string(k)) {
				out = append(out, k)
			}
		}
		return out
	}
	p.EnabledMethods = kinds("enabledMethods", policyKinds)
	p.MFARequired = form.Has("mfaRequired")
	integer("maxAuthenticatorApps", "Authenticator apps per member", &p.MaxAuthenticatorApps)
	integer("maxSecurityKeys", "Security keys per member", &p.MaxSecurityKeys)
	p.PasskeySignIn = form.Has("passkeySignIn")
	p.AllowedAAGUIDs = lines(form.Get("allowedAAGUIDs"), true)
	p.Phone.Text, p.Phone.Call = form.Has("phone.text"), form.Has("phone.call")
	p.Phone.AlternateMobile, p.Phone.Office = form.Has("phone.alternateMobile"), form.Has("phone.office")
	p.Phone.AllowedCountryCodes = nil
	for _, c := range lines(form.Get("phone.allowedCountryCodes"), true) {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "+"))
		if err != nil {
			bad("phone.allowedCountryCodes", fmt.Sprintf("Allowed country calling codes: %q is not a calling code such as 1 or 44.", c))
			break
		}
		p.Phone.AllowedCountryCodes = append(p.Phone.AllowedCountryCodes, n)
	}
	duration("phone.fraudBlockDuration", "A fraud report blocks sign-in codes for", &p.Phone.FraudBlockDuration)
	integer("phone.sendsPerMemberPerDay", "Texts and calls per member per day", &p.Phone.SendsPerMemberPerDay)
	integer("phone.sendsPerNumberPerDay", "Texts and calls per number per day", &p.Phone.SendsPerNumberPerDay)
	integer("phone.sendsPerCountryPerDay", "Texts and calls per country per day", &p.Phone.SendsPerCountryPerDay)
	integer("phone.sendsPerOrgPerDay", "Texts and calls per organization per day", &p.Phone.SendsPerOrgPerDay)
	p.Reset.Enabled = form.Has("reset.enabled")
	integer("reset.methodsRequired", "Methods a reset needs", &p.Reset.MethodsRequired)
	p.Reset.Methods = kinds("reset.methods", resetKinds)
	integer("securityQuestions.toRegister", "Security questions to register", &p.Questions.ToRegister)
	integer("securityQuestions.toReset", "Security questions a reset asks", &p.Questions.ToReset)
	p.Questions.Custom = lines(form.Get("securityQuestions.custom"), false)
	integer("registrationCampaign.snoozeDays", "Days one snooze lasts", &p.Campaign.SnoozeDays)
	integer("minPasswordLength", "Shortest password", &p.MinPasswordLength)
	integer("lockoutThreshold", "Wrong passwords before a lockout", &p.LockoutThreshold)
	duration("lockoutDuration", "First lockout lasts", &p.LockoutDuration)
	integer("mfaFailureLimit", "Wrong codes before sign-in codes are blocked", &p.MFAFailureLimit)
	duration("mfaBlockDuration", "Sign-in codes stay blocked for", &p.MFABlockDuration)
	duration("temporaryAccessPass.defaultLifetime", "Default lifetime of a pass", &p.TemporaryAccessPass.DefaultLifetime)
	duration("temporaryAccessPass.maxLifetime", "Longest lifetime of a pass", &p.TemporaryAccessPass.MaxLifetime)
	p.TemporaryAccessPass.OneTimeOnly = form.Has("temporaryAccessPass.oneTimeOnly")
	p.HelpdeskContact = strings.TrimSpace(form.Get("helpdeskContact"))
	return p, errs
}

// lines splits a textarea into its non-empty lines, trimmed; with commas
// true, commas separate items too.
func lines(s string, commas bool) []string {
	sep := func(r rune) bool { return r == '\n' || r == '\r' || (commas && r == ',') }
	var out []string
	for _, item := range strings.FieldsFunc(s, sep) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// parseLasting reads a length of time as Go writes it ("90s", "1h30m"), or
// whole days ("7d"), which Go's own syntax lacks.
func parseLasting(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3650 {
			return 0, false
		}
		return time.Duration(n) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d >= 0
}

// Describe is the field's aria-describedby: its error, then its hint.
func (f policyField) Describe() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

// policyFingerprint names one state of a policy. The form carries the
// fingerprint of the policy it was filled from, so a save can tell that
// someone else changed the policy meanwhile instead of silently undoing
// their change with the form's older values.
func policyFingerprint(p twofold.Policy) string {
	b, _ := json.Marshal(p) // a policy is plain data: it always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

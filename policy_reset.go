package twofold

import (
	"strings"
	"unicode/utf8"
)

// ResetPolicy is how members of an organization may reset a forgotten password
// themselves (self-service password reset).
type ResetPolicy struct {
	// Enabled lets members reset their password from the reset page.
	Enabled bool `json:"enabled"`
	// MethodsRequired is how many different methods a member proves at reset (1
	// or 2). Admins always prove two, and never with security questions.
	MethodsRequired int `json:"methodsRequired"`
	// Methods lists the kinds that count for reset; a kind must also be enabled
	// in EnabledMethods to be used.
	Methods []MethodKind `json:"methods"`
}

// Counts reports whether kind may prove a member at reset under this policy.
func (r ResetPolicy) Counts(kind MethodKind) bool {
	for _, k := range r.Methods {
		if k == kind {
			return true
		}
	}
	return false
}

// QuestionsPolicy is how security questions are registered and answered.
type QuestionsPolicy struct {
	// ToRegister is how many questions a member answers when registering (3–5).
	ToRegister int `json:"toRegister"`
	// ToReset is how many of them, chosen at random, a reset asks (3–5, at most
	// ToRegister).
	ToReset int `json:"toReset"`
	// Custom are the organization's own questions, offered after the predefined
	// ones.
	Custom []string `json:"custom"`
}

// CampaignPolicy is the registration campaign: how long a member may put off
// registering what the interrupt asks for beyond a second factor.
type CampaignPolicy struct {
	// SnoozeDays is how many days one snooze lasts (0–14); 0 allows no snooze.
	SnoozeDays int `json:"snoozeDays"`
}

// MaxSnoozes is how many times in a row a member may snooze the registration
// campaign; after that, registering is no longer optional.
const MaxSnoozes = 3

// Password length bounds an organization may choose between for its minimum.
// Without two-step verification a password is the only factor, so the minimum
// is then at least MinPasswordLengthSingleFactor.
const (
	MinPasswordLengthFloor        = 8
	MinPasswordLengthCeiling      = 64
	MinPasswordLengthSingleFactor = 15
)

// PasswordMinimum is the shortest new password the policy accepts: its own
// minimum, raised to 15 characters when two-step verification is not required.
func (p Policy) PasswordMinimum() int {
	n := max(p.MinPasswordLength, MinPasswordLengthFloor)
	if !p.MFARequired {
		n = max(n, MinPasswordLengthSingleFactor)
	}
	return n
}

// problems lists every reset setting out of range.
func (r ResetPolicy) problems() []error {
	var out problemList
	out.add(r.MethodsRequired < 1 || r.MethodsRequired > 2, "reset.methodsRequired", "Password reset needs 1 or 2 methods.")
	out.add(r.Enabled && len(r.Methods) == 0, "reset.methods", "With password reset on, choose at least one method that counts for reset.")
	for _, k := range r.Methods {
		switch k {
		case KindSoftwareOath, KindPhone, KindFido2, KindEmail, KindSecurityQuestions:
		default:
			out.add(true, "reset.methods", "Unknown reset method "+string(k)+".")
		}
	}
	return out
}

// Bounds on the organization's own security questions.
const (
	MaxCustomQuestions      = 20
	MaxCustomQuestionLength = 200
)

// problems lists every security-question setting out of range; the custom
// questions are judged once the counts are right, as one setting.
func (q QuestionsPolicy) problems() []error {
	var out problemList
	out.add(q.ToRegister < 3 || q.ToRegister > 5, "securityQuestions.toRegister", "Members register between 3 and 5 security questions.")
	switch {
	case q.ToReset < 3 || q.ToReset > 5:
		out.add(true, "securityQuestions.toReset", "A reset asks between 3 and 5 security questions.")
	case q.ToReset > q.ToRegister:
		out.add(true, "securityQuestions.toReset", "A reset can't ask more security questions than members register.")
	}
	if len(q.Custom) > MaxCustomQuestions {
		out.add(true, "securityQuestions.custom", "An organization may add at most 20 questions of its own.")
		return out
	}
	seen := map[string]bool{}
	for _, c := range q.Custom {
		t := strings.TrimSpace(c)
		n := utf8.RuneCountInString(t)
		switch {
		case t != c || n < 3 || n > MaxCustomQuestionLength || !PrintableName(c):
			out.add(true, "securityQuestions.custom", "Each question of your own must be 3 to 200 printable characters, without spaces around it.")
			return out
		case seen[strings.ToLower(t)]:
			out.add(true, "securityQuestions.custom", "The question \""+t+"\" is listed twice.")
			return out
		}
		seen[strings.ToLower(t)] = true
	}
	return out
}

func (c CampaignPolicy) validate() error {
	if c.SnoozeDays < 0 || c.SnoozeDays > 14 {
		return FieldError("registrationCampaign.snoozeDays", "A snooze lasts between 0 and 14 days.")
	}
	return nil
}

func (p Policy) validatePasswords() error {
	if p.MinPasswordLength < MinPasswordLengthFloor || p.MinPasswordLength > MinPasswordLengthCeiling {
		return FieldError("minPasswordLength", "The shortest password allowed must be between 8 and 64 characters.")
	}
	return nil
}

package methodkind

import (
	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/phone"
)

// ResetProof is how one step of a password reset proves a method. Reset
// dispatches on the proof, never on the kind, and a kind says which proofs its
// methods offer.
type ResetProof string

// The reset proofs.
const (
	ProofAppCode   ResetProof = "appCode"   // a code from an authenticator app
	ProofText      ResetProof = "text"      // a code texted to a mobile
	ProofCall      ResetProof = "call"      // a call answered with #
	ProofKey       ResetProof = "key"       // a security key's assertion
	ProofEmailCode ResetProof = "emailCode" // a code mailed to the email method
	ProofQuestions ResetProof = "questions" // answers to security questions
)

// ResetOption is one way a reset step can prove a method: a mobile gives two
// (a text and a call).
type ResetOption struct {
	MethodID string
	Kind     twofold.MethodKind
	Proof    ResetProof
	// Label says what choosing it does, for someone not signed in: numbers and
	// addresses masked ("Text my mobile phone +1 XXXXXXX234").
	Label string
	// Masked is the number or address as shown; "" for proofs that send nothing.
	Masked string
	// Target is the full number or address the member must type before
	// anything is sent to it; "" when nothing is sent. It never leaves the
	// server.
	Target string
}

// ResetProver is implemented by kinds whose methods can take a reset step. A
// kind without it offers no step, whatever ProvesReset says.
type ResetProver interface {
	// ResetOptions lists how m can be proven at reset under p.
	ResetOptions(p twofold.Policy, m *twofold.Method) []ResetOption
}

// ResetOptions lists every way u's methods can prove them at reset under p, in
// the order of ResetMethods.
func ResetOptions(p twofold.Policy, u *twofold.User, methods []*twofold.Method) []ResetOption {
	var out []ResetOption
	for _, m := range ResetMethods(p, u, methods) {
		if r, ok := Of(m.Kind).(ResetProver); ok {
			out = append(out, r.ResetOptions(p, m)...)
		}
	}
	return out
}

// ResetOptions: an authenticator app proves itself with a code.
func (appKind) ResetOptions(_ twofold.Policy, m *twofold.Method) []ResetOption {
	return []ResetOption{{MethodID: m.ID, Kind: m.Kind, Proof: ProofAppCode,
		Label: "Enter a code from my authenticator app" + quotedName(m, appKind{}.Label())}}
}

// ResetOptions: a security key proves itself with an assertion.
func (keyKind) ResetOptions(_ twofold.Policy, m *twofold.Method) []ResetOption {
	return []ResetOption{{MethodID: m.ID, Kind: m.Kind, Proof: ProofKey,
		Label: "Use my security key" + quotedName(m, keyKind{}.Label())}}
}

// ResetOptions: a mobile by a text and a call, an office phone by a call, as
// far as the policy allows each.
func (phoneKind) ResetOptions(p twofold.Policy, m *twofold.Method) []ResetOption {
	masked := phone.Mask(m.PhoneNumber)
	which := "mobile phone"
	if m.PhoneType == twofold.PhoneOffice {
		which = "office phone"
	}
	var out []ResetOption
	if m.PhoneType.CanText() && p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelSMS) {
		out = append(out, ResetOption{MethodID: m.ID, Kind: m.Kind, Proof: ProofText,
			Label: "Text my " + which + " " + masked, Masked: masked, Target: m.PhoneNumber})
	}
	if p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelVoice) {
		out = append(out, ResetOption{MethodID: m.ID, Kind: m.Kind, Proof: ProofCall,
			Label: "Call my " + which + " " + masked, Masked: masked, Target: m.PhoneNumber})
	}
	return out
}

// ResetOptions: an email method by a mailed code, once the member typed the
// whole address.
func (emailKind) ResetOptions(_ twofold.Policy, m *twofold.Method) []ResetOption {
	masked := email.Mask(m.Email)
	return []ResetOption{{MethodID: m.ID, Kind: m.Kind, Proof: ProofEmailCode,
		Label: "Email a code to " + masked, Masked: masked, Target: m.Email}}
}

// ResetOptions: security questions are answered.
func (questionsKind) ResetOptions(_ twofold.Policy, m *twofold.Method) []ResetOption {
	return []ResetOption{{MethodID: m.ID, Kind: m.Kind, Proof: ProofQuestions,
		Label: "Answer my security questions"}}
}

// quotedName adds the member's own name of a method, when it has one other
// than the kind's label.
func quotedName(m *twofold.Method, kindLabel string) string {
	if m.Name == "" || m.Name == kindLabel {
		return ""
	}
	return " (\u201c" + m.Name + "\u201d)"
}

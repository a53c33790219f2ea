package methodkind

import (
	"strings"

	"github.com/twofold-id/twofold"
)

// questionsKind is a member's one set of security questions. They only prove
// a member at password reset: never a second factor, never a default, and
// never for an admin, whose account deserves more than things others may
// find out.
type questionsKind struct{}

func (questionsKind) Name() twofold.MethodKind { return twofold.KindSecurityQuestions }
func (questionsKind) Label() string            { return "Security questions" }
func (questionsKind) Description() string {
	return "Answer questions only you know the answers to, so you can reset your password if you forget it."
}
func (questionsKind) PreferenceLabel(twofold.SignInPreference) string { return "" }
func (q questionsKind) OptionLabel(*twofold.Method, twofold.SignInPreference) string {
	return q.Label()
}
func (q questionsKind) ChoiceLabel(*twofold.Method, twofold.SignInPreference) string {
	return q.Label()
}

// Describe names the set without its questions: a notice may be read by
// someone else, and the questions hint at the answers.
func (q questionsKind) Describe(*twofold.Method) string { return q.Label() }

// Row shows how many questions the set holds; the method's name says it
// ("5 questions"), written when the set is saved.
func (q questionsKind) Row(m *twofold.Method) (string, string) { return q.Label(), m.Name }

func (questionsKind) Preferences(twofold.Policy, *twofold.Method) []twofold.SignInPreference {
	return nil
}
func (questionsKind) Limit(twofold.Policy) int { return 1 }
func (q questionsKind) Room(p twofold.Policy, methods []*twofold.Method) bool {
	return room(q, q.Name(), p, methods)
}
func (questionsKind) Restricted() bool  { return false }
func (questionsKind) AtInterrupt() bool { return true }

// ProvesReset: security questions never prove an admin.
func (q questionsKind) ProvesReset(_ twofold.Policy, u *twofold.User, _ *twofold.Method) bool {
	return q.For(u)
}

// For: security questions are not for admins.
func (questionsKind) For(u *twofold.User) bool { return u == nil || u.Role != twofold.RoleAdmin }

// memberRule is implemented by a kind that is not for every member.
type memberRule interface {
	// For reports whether member u may register and use the kind.
	For(u *twofold.User) bool
}

// For reports whether member u may register and use kind at all (security
// questions are not for admins); every other kind is for everyone.
func For(kind twofold.MethodKind, u *twofold.User) bool {
	if r, ok := Of(kind).(memberRule); ok {
		return r.For(u)
	}
	return true
}

// RegistrableFor is Registrable for member u: the kinds they may add now,
// leaving out those not for them.
func RegistrableFor(p twofold.Policy, u *twofold.User, methods []*twofold.Method) []twofold.MethodKind {
	var out []twofold.MethodKind
	for _, k := range Registrable(p, methods) {
		if For(k, u) {
			out = append(out, k)
		}
	}
	return out
}

// AtInterruptFor is AtInterrupt for member u: the kinds the interrupt may
// offer them, leaving out those not for them.
func AtInterruptFor(p twofold.Policy, u *twofold.User) []twofold.MethodKind {
	var out []twofold.MethodKind
	for _, k := range AtInterrupt(p) {
		if For(k, u) {
			out = append(out, k)
		}
	}
	return out
}

// Noun: one set of questions is deleted at once.
func (questionsKind) Noun() string { return "set of security questions" }

// nouner is implemented by a kind whose label does not read as one thing to
// delete ("Security questions").
type nouner interface{ Noun() string }

// Noun names one method of kind in a sentence such as "Delete this …?":
// the kind's label in lower case unless the kind says otherwise.
func Noun(kind twofold.MethodKind) string {
	if n, ok := Of(kind).(nouner); ok {
		return n.Noun()
	}
	return strings.ToLower(Label(kind))
}

package methodkind

import "github.com/twofold-id/twofold"

// Resetter is what a kind says about self-service password reset. Every kind
// implements it; reset and the registration interrupt only iterate kinds.
type Resetter interface {
	// ProvesReset reports whether m can prove member u at a password reset under
	// p, leaving aside whether the policy counts the kind for reset (Eligible
	// checks that): an alternate mobile can't, security questions can't for an
	// admin, a phone only by a text or call the policy allows.
	ProvesReset(p twofold.Policy, u *twofold.User, m *twofold.Method) bool
}

// ResetRequired is how many different methods member u proves at a reset under
// p: the policy's number, but always two for an admin.
func ResetRequired(p twofold.Policy, u *twofold.User) int {
	if u.Role == twofold.RoleAdmin {
		return 2
	}
	return p.Reset.MethodsRequired
}

// ResetMethods returns u's active methods that may prove them at a reset under
// p: enabled by the policy, counted by its reset settings, and able to prove
// the member by their kind's rule.
func ResetMethods(p twofold.Policy, u *twofold.User, methods []*twofold.Method) []*twofold.Method {
	var out []*twofold.Method
	for _, m := range methods {
		if m.State == twofold.MethodActive && p.MethodEnabled(m.Kind) && p.Reset.Counts(m.Kind) &&
			Of(m.Kind).ProvesReset(p, u, m) {
			out = append(out, m)
		}
	}
	return out
}

// ResetMissing is how many more reset methods u must register before they can
// reset their password under p; 0 when reset is off or they have enough.
func ResetMissing(p twofold.Policy, u *twofold.User, methods []*twofold.Method) int {
	if !p.Reset.Enabled {
		return 0
	}
	return max(0, ResetRequired(p, u)-len(ResetMethods(p, u, methods)))
}

// ProvesReset: an authenticator app or a security key proves a member at reset
// like at sign-in.
func (appKind) ProvesReset(twofold.Policy, *twofold.User, *twofold.Method) bool { return true }
func (keyKind) ProvesReset(twofold.Policy, *twofold.User, *twofold.Method) bool { return true }

// ProvesReset: a mobile by a text or a call, an office phone by a call; an
// alternate mobile never counts for reset.
func (phoneKind) ProvesReset(p twofold.Policy, _ *twofold.User, m *twofold.Method) bool {
	if m.PhoneType == twofold.PhoneAlternateMobile {
		return false
	}
	return p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelSMS) || p.Phone.AllowsChannel(m.PhoneType, twofold.ChannelVoice)
}

// ProvesReset: a kind that is only named proves nothing.
func (named) ProvesReset(twofold.Policy, *twofold.User, *twofold.Method) bool { return false }

package methodkind

import "github.com/twofold-id/twofold"

// ResetAddable lists the kinds member u may add now (Registrable) that would
// count towards ResetMissing under p, in the Add page's order: counted by the
// reset settings, and able to prove u at a reset by their kind's rule (so never
// security questions for an admin, and a phone only as a type that can be texted
// or called for reset).
func ResetAddable(p twofold.Policy, u *twofold.User, methods []*twofold.Method) []twofold.MethodKind {
	var out []twofold.MethodKind
	for _, k := range Registrable(p, methods) {
		if !p.Reset.Counts(k) {
			continue
		}
		for _, m := range prototypes(p, k) {
			if Of(k).ProvesReset(p, u, m) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// prototypes are the methods of kind k a member could add under p, as
// ProvesReset sees them: one per phone type the policy allows, else one.
func prototypes(p twofold.Policy, k twofold.MethodKind) []*twofold.Method {
	if k != twofold.KindPhone {
		return []*twofold.Method{{Kind: k, State: twofold.MethodActive}}
	}
	var out []*twofold.Method
	for _, t := range []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneOffice, twofold.PhoneAlternateMobile} {
		if p.Phone.AllowsType(t) {
			out = append(out, &twofold.Method{Kind: k, State: twofold.MethodActive, PhoneType: t})
		}
	}
	return out
}

package policy

import "github.com/twofold-id/twofold"

// VoicePreference is the default-sign-in value of a call to a phone of type t.
func VoicePreference(t twofold.PhoneType) twofold.SignInPreference {
	switch t {
	case twofold.PhoneAlternateMobile:
		return twofold.PreferenceVoiceAlternate
	case twofold.PhoneOffice:
		return twofold.PreferenceVoiceOffice
	}
	return twofold.PreferenceVoice
}

// Channel returns how a default-sign-in value reaches the member: ChannelSMS,
// ChannelVoice, or "" for methods that send nothing.
func Channel(pref twofold.SignInPreference) string {
	switch pref {
	case twofold.PreferenceSMS:
		return twofold.ChannelSMS
	case twofold.PreferenceVoice, twofold.PreferenceVoiceAlternate, twofold.PreferenceVoiceOffice:
		return twofold.ChannelVoice
	}
	return ""
}

// ChannelAllowed reports whether p lets a phone of type t be verified or used
// over channel (ChannelSMS or ChannelVoice) now: phones enabled and the channel
// allowed for the type. A flow checks it again when it finishes, since the
// policy may have changed after its text or call went out.
func ChannelAllowed(p twofold.Policy, t twofold.PhoneType, channel string) bool {
	return p.MethodEnabled(twofold.KindPhone) && p.Phone.AllowsChannel(t, channel)
}

// CountKind returns how many active methods of kind the member has.
func CountKind(methods []*twofold.Method, kind twofold.MethodKind) int {
	n := 0
	for _, m := range methods {
		if m.Kind == kind && m.State == twofold.MethodActive {
			n++
		}
	}
	return n
}

// PhoneTypes lists the phone types the member may add now: allowed by p, not
// registered yet, and, for an alternate mobile, only once a mobile exists.
func PhoneTypes(p twofold.Policy, methods []*twofold.Method) []twofold.PhoneType {
	have := map[twofold.PhoneType]bool{}
	for _, m := range methods {
		if m.Kind == twofold.KindPhone && m.State == twofold.MethodActive {
			have[m.PhoneType] = true
		}
	}
	var out []twofold.PhoneType
	for _, t := range []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneAlternateMobile, twofold.PhoneOffice} {
		if !p.Phone.AllowsType(t) || have[t] {
			continue
		}
		if t == twofold.PhoneAlternateMobile && !have[twofold.PhoneMobile] {
			continue
		}
		out = append(out, t)
	}
	return out
}

// PhoneChannels lists how a phone of type t may be verified under p: ChannelVoice
// and ChannelSMS, each only if allowed.
func PhoneChannels(p twofold.Policy, t twofold.PhoneType) []string {
	var out []string
	for _, ch := range []string{twofold.ChannelSMS, twofold.ChannelVoice} {
		if p.Phone.AllowsChannel(t, ch) {
			out = append(out, ch)
		}
	}
	return out
}

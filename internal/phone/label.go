package phone

import (
	"strings"

	"github.com/twofold-id/twofold"
)

// TypeLabel names a phone type for people.
func TypeLabel(t twofold.PhoneType) string {
	switch t {
	case twofold.PhoneAlternateMobile:
		return "Alternate phone"
	case twofold.PhoneOffice:
		return "Office phone"
	}
	return "Phone"
}

// NumberFree refuses a number the member already has as any of their phones,
// except the phone exceptID (the one whose number is being changed). The same
// number under two phone types would give sign-in two identical "Call +1 …"
// choices and no second way in. Returns an EINVALID error on "phoneNumber".
func NumberFree(methods []*twofold.Method, e164, exceptID string) error {
	for _, m := range methods {
		if m.Kind == twofold.KindPhone && m.ID != exceptID && m.PhoneNumber == e164 {
			return twofold.FieldError("phoneNumber", "You already use "+DisplayE164(e164)+" as your "+
				strings.ToLower(TypeLabel(m.PhoneType))+". Enter a different number.")
		}
	}
	return nil
}

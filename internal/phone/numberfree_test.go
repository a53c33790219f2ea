package phone_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
)

// A number is refused when the member already has it under any phone type, and
// the phone being changed does not clash with itself.
func TestNumberFree(t *testing.T) {
	office := &twofold.Method{ID: "office", Kind: twofold.KindPhone, PhoneType: twofold.PhoneOffice, PhoneNumber: "+14255551234"}
	mobile := &twofold.Method{ID: "mobile", Kind: twofold.KindPhone, PhoneType: twofold.PhoneMobile, PhoneNumber: "+14255550142"}
	app := &twofold.Method{ID: "app", Kind: twofold.KindSoftwareOath}
	methods := []*twofold.Method{office, mobile, app}
	for _, tc := range []struct {
		name, number, except, want string
	}{
		{"new number", "+14255550199", "", ""},
		{"office number as a new phone", "+14255551234", "", "You already use +1 4255551234 as your office phone. Enter a different number."},
		{"mobile number as a new phone", "+14255550142", "", "You already use +1 4255550142 as your phone. Enter a different number."},
		{"office number for the mobile", "+14255551234", "mobile", "You already use +1 4255551234 as your office phone. Enter a different number."},
		{"own number of the changed phone", "+14255551234", "office", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := phone.NumberFree(methods, tc.number, tc.except)
			if got := message(err); got != tc.want {
				t.Fatalf("NumberFree = %v; want %q", err, tc.want)
			}
			if err != nil && twofold.ErrorField(err) != "phoneNumber" {
				t.Errorf("field %q, want phoneNumber", twofold.ErrorField(err))
			}
		})
	}
}

func message(err error) string {
	if err == nil {
		return ""
	}
	return twofold.ErrorMessage(err)
}

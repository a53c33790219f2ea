package securityinfo_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// Before a delete, each row says where the default would go: nowhere for a
// method that doesn't carry it, the strongest remaining choice for the one that
// does, and no default at all for the last. The notice after the delete names
// the deleted method and the new default.
func TestDeleteNoteNamesTheNextDefault(t *testing.T) {
	k, m := setup(t)
	p := k.Principal(m.token, client)
	mobile := addPhone(t, k, p, twofold.PhoneMobile, testkit.Mobile, twofold.ChannelSMS)
	k.SetDefault(m.Member, twofold.PreferenceVoice)
	p = k.Principal(m.token, client)
	app := m.app
	notes := func() map[string]string {
		t.Helper()
		o, err := k.SecInfo.Overview(k.Ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, r := range o.Methods {
			out[r.Method.ID] = r.DeleteNote
		}
		return out
	}
	got := notes()
	if want := "Your default sign-in method will become Authenticator app – code."; got[mobile.ID] != want {
		t.Errorf("note for deleting the default phone %q, want %q", got[mobile.ID], want)
	}
	if got[app.MethodID] != "" {
		t.Errorf("note for deleting the app %q, want none: the default stays", got[app.MethodID])
	}
	if err := k.SecInfo.Delete(k.Ctx, p, mobile.ID); err != nil {
		t.Fatal(err)
	}
	if !hasNotice(k, m.Member, "Phone (+1 XXXXXXX234) was deleted from your security info. Your default sign-in method is now Authenticator app – code.") {
		t.Errorf("the delete notice doesn't name the deleted phone and the new default: %v", k.Messages(m.Member))
	}
	if want := "You will have no default sign-in method, and your organization may ask you to register again."; notes()[app.MethodID] != want {
		t.Errorf("note for deleting the last method %q, want %q", notes()[app.MethodID], want)
	}
}

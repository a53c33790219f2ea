package signin_test

import (
	"context"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// saturatedHasher refuses every hash as a full hashing queue does.
type saturatedHasher struct{ signin.Hasher }

var errBusy = twofold.Errorf(twofold.EUNAVAILABLE, "We're busy right now. Please try again in a moment.")

func (saturatedHasher) Verify(context.Context, string, string) (bool, bool, error) {
	return false, false, errBusy
}
func (saturatedHasher) VerifyDummy(context.Context, string) error { return errBusy }

// TestSaturatedHasherAnswersEveryNameAlike: when hashing is saturated, unknown,
// locked, disabled, wrong and right passwords all get the same refusal, so the
// status cannot tell which names exist; and a refused attempt was never a
// guess, so it uses up neither the account's nor the network's places.
func TestSaturatedHasherAnswersEveryNameAlike(t *testing.T) {
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	known := k.NewMember(org, "ada")
	locked := k.NewMember(org, "lin")
	lock(t, k, locked, org.Policy.LockoutThreshold)
	disabled := k.NewMember(org, "dee")
	k.DisableUser(disabled.User.ID)

	d := k.SignIn.Deps
	d.Hasher = saturatedHasher{k.SignIn.Hasher}
	svc := signin.New(d, signin.Config{IPFailureLimit: 3})
	c := testkit.Client("198.51.100.77")
	for _, tc := range []struct{ name, username, password string }{
		{"unknown name", "nobody@contoso.com", "whatever it is"},
		{"unknown domain", "ada@fabrikam.com", "whatever it is"},
		{"wrong password", known.Username(), "not the password"},
		{"right password", known.Username(), known.Password},
		{"locked account", locked.Username(), locked.Password},
		{"disabled account", disabled.Username(), disabled.Password},
	} {
		for range 5 { // more than the network's 3 places: refusals give theirs back
			_, err := svc.Password(k.Ctx, tc.username, tc.password, c)
			wantCode(t, tc.name, err, twofold.EUNAVAILABLE)
		}
	}
	if u := k.User(known.User.ID); u.FailedPasswords != 0 {
		t.Errorf("%d failures counted for passwords never checked, want 0", u.FailedPasswords)
	}
}

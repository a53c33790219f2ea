package signin_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// TestUserNamesWithControlCharactersAreRefused: a user name that could forge a
// line or hide text where it is printed (audit log, CLI, notices) is refused at
// the edge with a field error, before any lookup, hash or audit row.
func TestUserNamesWithControlCharactersAreRefused(t *testing.T) {
	k := testkit.New(t)
	k.NewMember(k.NewOrg("contoso.com"), "ada")
	for _, name := range []string{
		"ada@contoso.com\n2026-01-01 admin signed in",
		"ada\r@contoso.com",
		"\x1b[31mada@contoso.com",
		"ada@contoso.com\x00",
		"ada\u202e@contoso.com", // right-to-left override
		"ada\u200b@contoso.com", // zero-width space
	} {
		_, err := k.SignIn.Password(k.Ctx, name, "whatever it is", testkit.Client("198.51.100.5"))
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "username" {
			t.Errorf("Password(%q): %v, want a field error on username", name, err)
		}
	}
	es, err := k.Store.ListAudit(k.Ctx, twofold.AuditFilter{Activity: twofold.ActivitySignIn, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 0 {
		t.Errorf("%d sign-in events audited for refused names, want none", len(es))
	}
}

package securityinfo_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
	"github.com/twofold-id/twofold/internal/testkit/softkey"
)

// eachBackend runs fn on SQLite, and on PostgreSQL when it is configured, with a
// signed-in member who has an authenticator app.
func eachBackend(t *testing.T, fn func(t *testing.T, k *testkit.Kit, m *member)) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			fn(t, k, newMember(t, k, k.NewOrg("contoso.com"), "ada"))
		})
	}
}

// addKey registers key through BeginKey and FinishKey as the browser would.
func addKey(t *testing.T, k *testkit.Kit, p *twofold.Principal, key *softkey.Authenticator, name string) (*twofold.Method, error) {
	t.Helper()
	c, err := k.SecInfo.BeginKey(k.Ctx, p)
	if err != nil {
		return nil, err
	}
	resp, err := key.Create(c.Options, testkit.KeyOrigin)
	if err != nil {
		t.Fatalf("softkey Create: %v", err)
	}
	return k.SecInfo.FinishKey(k.Ctx, p, c.ID, name, string(resp))
}

func TestFinishKeySavesAuditsAndNotifies(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		p := k.Principal(m.token, client)
		before := count(k, m)
		meth, err := addKey(t, k, p, softkey.New(softkey.Options{}), "  Blue YubiKey ")
		if err != nil {
			t.Fatalf("add key: %v", err)
		}
		if meth.Kind != twofold.KindFido2 || meth.Name != "Blue YubiKey" || meth.State != twofold.MethodActive {
			t.Fatalf("saved %+v", meth)
		}
		creds, err := k.Store.CredentialsOf(k.Ctx, m.User.ID)
		if err != nil || len(creds) != 1 || creds[0].MethodID != meth.ID {
			t.Fatalf("credentials %v, %v; want one for method %s", creds, err, meth.ID)
		}
		after := count(k, m)
		if after.events[twofold.ActivityRegistered] != before.events[twofold.ActivityRegistered]+1 {
			t.Errorf("registered events %d → %d", before.events[twofold.ActivityRegistered], after.events[twofold.ActivityRegistered])
		}
		if after.messages != before.messages+1 {
			t.Errorf("notices %d → %d", before.messages, after.messages)
		}
		// The app was the default; a key does not take it over.
		if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceOath {
			t.Errorf("default %q, want the app's", u.PreferredMethod)
		}
	})
}

func TestFinishKeyNeedsAName(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		p := k.Principal(m.token, client)
		_, err := addKey(t, k, p, softkey.New(softkey.Options{}), " ")
		wantCode(t, "FinishKey without a name", err, twofold.EINVALID)
		if got := twofold.ErrorMessage(err); got != "Give your security key a name, such as YubiKey 5." {
			t.Errorf("message %q", got)
		}
		_, err = addKey(t, k, p, softkey.New(softkey.Options{}), strings.Repeat("k", 65))
		wantCode(t, "FinishKey with a long name", err, twofold.EINVALID)
	})
}

func TestBeginKeyRefusals(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		// A principal carries its organization's policy as read when it is
		// made, so each step takes a fresh one after changing the policy.
		k.SetPolicy(m.Org, func(pol *twofold.Policy) {
			pol.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath}
		})
		_, err := k.SecInfo.BeginKey(k.Ctx, k.Principal(m.token, client))
		wantCode(t, "BeginKey with keys off", err, twofold.EFORBIDDEN)

		k.SetPolicy(m.Org, func(pol *twofold.Policy) {
			pol.EnabledMethods = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindFido2}
			pol.MaxSecurityKeys = 1
		})
		p := k.Principal(m.token, client)
		if _, err := addKey(t, k, p, softkey.New(softkey.Options{}), "First"); err != nil {
			t.Fatalf("first key: %v", err)
		}
		_, err = k.SecInfo.BeginKey(k.Ctx, p)
		wantCode(t, "BeginKey at the limit", err, twofold.ECONFLICT)
		if got := twofold.ErrorMessage(err); got != "You already have 1 security keys, the most your organization allows. Delete one to add another." {
			t.Errorf("limit message %q", got)
		}

		// A member with no method but keys must add another way first.
		if err := k.SecInfo.Delete(k.Ctx, p, m.app.MethodID); err != nil {
			t.Fatalf("delete app: %v", err)
		}
		k.SetPolicy(m.Org, func(pol *twofold.Policy) { pol.MaxSecurityKeys = 5 })
		_, err = k.SecInfo.BeginKey(k.Ctx, k.Principal(m.token, client))
		wantCode(t, "BeginKey with keys only", err, twofold.EFORBIDDEN)
		if got := twofold.ErrorMessage(err); got != "Add another way to sign in before you add a security key." {
			t.Errorf("message %q", got)
		}
	})
}

func TestSameKeyTwiceRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		p := k.Principal(m.token, client)
		key := softkey.New(softkey.Options{})
		if _, err := addKey(t, k, p, key, "Blue"); err != nil {
			t.Fatalf("first: %v", err)
		}
		// The options exclude the key, so the authenticator refuses to make a
		// second credential, as a browser does.
		c, err := k.SecInfo.BeginKey(k.Ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := key.Create(c.Options, testkit.KeyOrigin); err == nil {
			t.Fatal("the key made a second credential although the options exclude it")
		}
	})
}

func TestRenameKey(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		p := k.Principal(m.token, client)
		meth, err := addKey(t, k, p, softkey.New(softkey.Options{}), "Blue")
		if err != nil {
			t.Fatal(err)
		}
		before := count(k, m)
		if err := k.SecInfo.RenameKey(k.Ctx, p, meth.ID, "Green"); err != nil {
			t.Fatalf("RenameKey: %v", err)
		}
		got, err := k.SecInfo.Method(k.Ctx, p, meth.ID)
		if err != nil || got.Name != "Green" {
			t.Fatalf("after rename %+v, %v", got, err)
		}
		if after := count(k, m); after.events[twofold.ActivityUpdated] != before.events[twofold.ActivityUpdated]+1 {
			t.Errorf("updated events %d → %d", before.events[twofold.ActivityUpdated], after.events[twofold.ActivityUpdated])
		}
		wantCode(t, "rename the app", k.SecInfo.RenameKey(k.Ctx, p, m.app.MethodID, "X"), twofold.ENOTFOUND)
		wantCode(t, "rename to nothing", k.SecInfo.RenameKey(k.Ctx, p, meth.ID, ""), twofold.EINVALID)
	})
}

func TestDeleteKeyRemovesCredential(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		p := k.Principal(m.token, client)
		meth, err := addKey(t, k, p, softkey.New(softkey.Options{}), "Blue")
		if err != nil {
			t.Fatal(err)
		}
		if err := k.SecInfo.Delete(k.Ctx, p, meth.ID); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if creds, err := k.Store.CredentialsOf(k.Ctx, m.User.ID); err != nil || len(creds) != 0 {
			t.Fatalf("credentials after delete: %v, %v", creds, err)
		}
	})
}

// TestParallelKeyRegistrationsKeepLimit begins 50 registrations under a limit of
// two, then finishes them all at once: each passed the early check, so only
// the count made with the save can keep the limit.
func TestParallelKeyRegistrationsKeepLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		k.SetPolicy(m.Org, func(pol *twofold.Policy) { pol.MaxSecurityKeys = 2 })
		const n = 200
		principals := make([]*twofold.Principal, n)
		answers := make([]string, n)
		ids := make([]string, n)
		for i := range n {
			principals[i] = k.Principal(m.token, client)
			c, err := k.SecInfo.BeginKey(k.Ctx, principals[i])
			if err != nil {
				t.Fatalf("BeginKey %d: %v", i, err)
			}
			resp, err := softkey.New(softkey.Options{}).Create(c.Options, testkit.KeyOrigin)
			if err != nil {
				t.Fatal(err)
			}
			ids[i], answers[i] = c.ID, string(resp)
		}
		var won atomic.Int32
		errs := testkit.Simultaneously(n, func(i int) error {
			_, err := k.SecInfo.FinishKey(k.Ctx, principals[i], ids[i], "Key", answers[i])
			if err == nil {
				won.Add(1)
			}
			return err
		})
		for i, err := range errs {
			if err != nil && twofold.ErrorCode(err) != twofold.ECONFLICT {
				t.Errorf("finish %d: %v", i, err)
			}
		}
		if won.Load() != 2 {
			t.Errorf("%d registrations succeeded, want 2", won.Load())
		}
		creds, err := k.Store.CredentialsOf(k.Ctx, m.User.ID)
		if err != nil || len(creds) != 2 {
			t.Errorf("%d credentials stored (%v), want 2", len(creds), err)
		}
	})
}

// A key added by a member whose other methods can't be used any more becomes
// their default.
func TestFirstUsableKeyBecomesDefault(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		k.SetPolicy(m.Org, func(pol *twofold.Policy) {
			pol.EnabledMethods, pol.MFARequired = []twofold.MethodKind{twofold.KindFido2}, false
		})
		p := k.Principal(m.token, client)
		if _, err := addKey(t, k, p, softkey.New(softkey.Options{}), "Blue"); err != nil {
			t.Fatalf("add key: %v", err)
		}
		if u := k.User(m.User.ID); u.PreferredMethod != twofold.PreferenceFido2 {
			t.Errorf("default %q, want the key", u.PreferredMethod)
		}
	})
}

// A registration ceremony expires by the service's clock.
func TestKeyCeremonyExpires(t *testing.T) {
	eachBackend(t, func(t *testing.T, k *testkit.Kit, m *member) {
		p := k.Principal(m.token, client)
		c, err := k.SecInfo.BeginKey(k.Ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := softkey.New(softkey.Options{}).Create(c.Options, testkit.KeyOrigin)
		if err != nil {
			t.Fatal(err)
		}
		k.Clock.Advance(5*time.Minute + time.Second)
		_, err = k.SecInfo.FinishKey(k.Ctx, k.Principal(m.token, client), c.ID, "Late", string(resp))
		wantCode(t, "FinishKey after the timeout", err, twofold.EEXPIRED)
	})
}

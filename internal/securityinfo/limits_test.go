package securityinfo_test

import (
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

// TestParallelAppActivationsKeepLimit starts several app setups while the member
// is below the limit, then finishes them all at once: each passed the early
// check, so only the count made with the activation can keep the limit.
func TestParallelAppActivationsKeepLimit(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			org := k.NewOrg("contoso.com")
			k.SetPolicy(org, func(p *twofold.Policy) { p.MaxAuthenticatorApps = 2 })
			m := newMember(t, k, org, "ada") // one app already
			p := k.Principal(m.token, client)
			const setups = 20
			apps := make([]*testkit.App, setups)
			for i := range apps {
				e, err := k.SecInfo.BeginApp(k.Ctx, p)
				if err != nil {
					t.Fatalf("BeginApp %d: %v", i, err)
				}
				secret, err := testkit.ParseSecret(e.Secret)
				if err != nil {
					t.Fatal(err)
				}
				apps[i] = &testkit.App{MethodID: e.MethodID, Secret: secret}
			}
			principals := make([]*twofold.Principal, setups)
			for i := range principals {
				principals[i] = k.Principal(m.token, client)
			}
			errs := testkit.Simultaneously(setups, func(i int) error {
				_, err := k.SecInfo.ActivateApp(k.Ctx, principals[i], apps[i].MethodID, "", apps[i].Code(k.Clock.Now()))
				return err
			})
			won := 0
			for i, err := range errs {
				switch twofold.ErrorCode(err) {
				case "":
					won++
				case twofold.ECONFLICT:
					if got := twofold.ErrorMessage(err); got != "You already have 2 authenticator apps, the most your organization allows. Delete one to add another." {
						t.Errorf("activation %d refused with %q", i, got)
					}
				default:
					t.Errorf("activation %d: %v", i, err)
				}
			}
			if won != 1 {
				t.Errorf("%d activations succeeded, want 1", won)
			}
			ms, err := k.Store.ListMethods(k.Ctx, m.User.ID, twofold.MethodActive)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != 2 {
				t.Errorf("%d active apps, want 2 (the limit)", len(ms))
			}
			if n := len(k.Events(m.User.ID, twofold.ActivityRegistered)); n != 2 {
				t.Errorf("%d registrations audited, want 2", n)
			}
		})
	}
}

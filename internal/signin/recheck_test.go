package signin_test

import (
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// twoTabs gives a member with no second factor two "More information required"
// flows, as two browser tabs would, with an app setup begun in the first.
func twoTabs(t *testing.T, backend string) (k *testkit.Kit, m *testkit.Member, first, stale *signin.Result, app1 *testkit.App) {
	t.Helper()
	k = testkit.NewWith(t, testkit.Options{Backend: backend})
	m = k.NewMember(k.NewOrg("contoso.com"), "ada")
	first = startFlow(t, k, m, phoneClient, twofold.FlowRegistrationRequired)
	stale = startFlow(t, k, m, phoneClient, twofold.FlowRegistrationRequired)
	return k, m, first, stale, begin(t, k, first.FlowID)
}

// finishFirst finishes the app setup of the first of two interrupt tabs, which
// makes the other tab's flow stale.
func finishFirst(t *testing.T, k *testkit.Kit, m *testkit.Member, first string, app *testkit.App) {
	t.Helper()
	if _, err := k.SignIn.FinishRegistration(k.Ctx, first, app.MethodID, "", k.FreshCode(app), phoneClient); err != nil {
		t.Fatalf("first tab's FinishRegistration: %v", err)
	}
}

// wantOnlyOneMethod checks that the member has exactly the first tab's method
// and no session beyond the first tab's.
func wantOnlyOneMethod(t *testing.T, k *testkit.Kit, m *testkit.Member, keep string) {
	t.Helper()
	ms, err := k.Store.ListMethods(k.Ctx, m.User.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].ID != keep {
		t.Errorf("methods after the stale flow: %+v; want only %s", ms, keep)
	}
	if n := len(k.Events(m.User.ID, twofold.ActivitySignIn)); n != 1 {
		t.Errorf("%d sign-ins audited, want 1 (the first tab's)", n)
	}
}

func TestStaleInterruptAppRefused(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k, m, first, stale, app1 := twoTabs(t, backend)
			app2 := begin(t, k, stale.FlowID)
			finishFirst(t, k, m, first.FlowID, app1)

			r, err := k.SignIn.FinishRegistration(k.Ctx, stale.FlowID, app2.MethodID, "", k.FreshCode(app2), phoneClient)
			if !errors.Is(err, signin.ErrRegistrationDone) || r != nil {
				t.Fatalf("stale tab's FinishRegistration = %+v, %v; want ErrRegistrationDone", r, err)
			}
			wantCode(t, "stale tab", err, twofold.EEXPIRED)
			wantOnlyOneMethod(t, k, m, app1.MethodID)
			// The stale flow is over: trying again is just "expired".
			_, err = k.SignIn.FinishRegistration(k.Ctx, stale.FlowID, app2.MethodID, "", k.FreshCode(app2), phoneClient)
			if !errors.Is(err, signin.ErrFlowGone) {
				t.Errorf("stale flow again: %v, want ErrFlowGone", err)
			}
		})
	}
}

func TestStaleInterruptPhoneRefused(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k, m, first, stale, app1 := twoTabs(t, backend)
			ch, _, err := k.SignIn.BeginPhoneRegistration(k.Ctx, stale.FlowID, signin.PhoneRegistration{
				Type: twofold.PhoneMobile, Number: testkit.Mobile, Channel: twofold.ChannelSMS}, phoneClient)
			if err != nil {
				t.Fatalf("BeginPhoneRegistration: %v", err)
			}
			finishFirst(t, k, m, first.FlowID, app1)

			r, err := k.SignIn.FinishPhoneRegistration(k.Ctx, stale.FlowID, k.Code(ch), phoneClient)
			if !errors.Is(err, signin.ErrRegistrationDone) || r != nil {
				t.Fatalf("stale tab's FinishPhoneRegistration = %+v, %v; want ErrRegistrationDone", r, err)
			}
			wantOnlyOneMethod(t, k, m, app1.MethodID)
		})
	}
}

// begin starts the interrupt's app setup on flow id.
func begin(t *testing.T, k *testkit.Kit, id string) *testkit.App {
	t.Helper()
	e, err := k.SignIn.BeginRegistration(k.Ctx, id)
	if err != nil {
		t.Fatalf("BeginRegistration: %v", err)
	}
	secret, err := testkit.ParseSecret(e.GroupedSecret)
	if err != nil {
		t.Fatal(err)
	}
	return &testkit.App{MethodID: e.MethodID, Secret: secret}
}

// Several interrupt tabs finishing at once: the member lock makes them take
// turns, so the first registers and signs in and every other one finds the
// member needs nothing more.
func TestParallelInterruptsRegisterOnce(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			const tabs = 20
			flows := make([]string, tabs)
			apps := make([]*testkit.App, tabs)
			codes := make([]string, tabs)
			for i := range tabs {
				flows[i] = startFlow(t, k, m, phoneClient, twofold.FlowRegistrationRequired).FlowID
				apps[i] = begin(t, k, flows[i])
				codes[i] = k.FreshCode(apps[i])
			}
			// Open the pool's connections first, so the tabs meet in the
			// database rather than queue for connections.
			testkit.Simultaneously(tabs, func(int) error { return k.Store.Ping(k.Ctx) })
			errs := testkit.Simultaneously(tabs, func(i int) error {
				_, err := k.SignIn.FinishRegistration(k.Ctx, flows[i], apps[i].MethodID, "", codes[i], phoneClient)
				return err
			})
			won := 0
			for i, err := range errs {
				switch {
				case err == nil:
					won++
				case errors.Is(err, signin.ErrRegistrationDone):
				default:
					t.Errorf("tab %d: %v", i, err)
				}
			}
			ms, err := k.Store.ListMethods(k.Ctx, m.User.ID, twofold.MethodActive)
			if won != 1 || err != nil || len(ms) != 1 {
				t.Fatalf("%d tabs signed in, %d active methods (%v); want 1 and 1", won, len(ms), err)
			}
		})
	}
}

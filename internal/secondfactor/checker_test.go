package secondfactor_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/testkit"
)

var client = testkit.Client("198.51.100.90")

func setup(t *testing.T, limit int) (*testkit.Kit, *testkit.Member, *testkit.App, twofold.Policy) {
	t.Helper()
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	m := k.NewMember(org, "ada")
	app, _ := k.Enrol(m, client)
	org = k.SetPolicy(org, func(p *twofold.Policy) { p.MFAFailureLimit = limit })
	return k, m, app, org.Policy
}

func TestBlockAtLimit(t *testing.T) {
	k, m, app, pol := setup(t, 10)
	for i := 1; i < 10; i++ {
		_, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), pol, "", testkit.WrongCode(app.Secret, k.Clock.Now()))
		if !errors.Is(err, secondfactor.ErrWrongCode) {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	_, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), pol, "", testkit.WrongCode(app.Secret, k.Clock.Now()))
	if !errors.Is(err, secondfactor.ErrBlocked) {
		t.Fatalf("10th wrong code: %v, want ErrBlocked", err)
	}
	u := k.User(m.User.ID)
	if want := k.Clock.Now().Add(time.Duration(pol.MFABlockDuration)); !u.MFABlockedUntil.Equal(want) {
		t.Errorf("MFABlockedUntil = %v, want %v", u.MFABlockedUntil, want)
	}
	code := k.FreshCode(app)
	if _, err := k.Checker.Check(k.Ctx, u, pol, app.MethodID, code); !errors.Is(err, secondfactor.ErrBlocked) {
		t.Fatalf("right code while blocked: %v", err)
	}
	k.Clock.Advance(time.Duration(pol.MFABlockDuration))
	if got, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), pol, "", k.FreshCode(app)); err != nil || got.ID != app.MethodID {
		t.Fatalf("right code after the block: %v, %v", got, err)
	}
}

// Parallel guesses each take a number before they are checked, so a burst cannot
// check more codes than the limit allows.
func TestParallelGuessesRespectLimit(t *testing.T) {
	k, m, app, pol := setup(t, 10)
	u := k.User(m.User.ID)
	wrong := testkit.WrongCode(app.Secret, k.Clock.Now())
	var (
		wg         sync.WaitGroup
		mu         sync.Mutex
		checked    int
		start      = make(chan struct{})
		unexpected []error
	)
	for range 50 {
		wg.Go(func() {
			<-start
			_, err := k.Checker.Check(k.Ctx, u, pol, "", wrong)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, secondfactor.ErrWrongCode):
				checked++
			case errors.Is(err, secondfactor.ErrBlocked):
			default:
				unexpected = append(unexpected, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if len(unexpected) > 0 || checked >= pol.MFAFailureLimit {
		t.Fatalf("%d of 50 parallel guesses answered 'wrong code' (limit %d); unexpected %v", checked, pol.MFAFailureLimit, unexpected)
	}
}

func TestCheckErrors(t *testing.T) {
	k, m, app, pol := setup(t, 100)
	bob := k.NewMember(m.Org, "bob")
	bobApp, _ := k.Enrol(bob, client)
	pending, err := k.Apps.Begin(k.Ctx, m.User.ID, "Org", m.Username())
	if err != nil {
		t.Fatal(err)
	}
	noApps := pol
	noApps.EnabledMethods = []twofold.MethodKind{twofold.KindPhone}
	for _, tc := range []struct {
		name     string
		pol      twofold.Policy
		methodID string
		code     string
		want     string
		field    string
	}{
		{"another member's method", pol, bobApp.MethodID, "123456", twofold.ENOTFOUND, ""},
		{"unknown method", pol, "no-such-method", "123456", twofold.ENOTFOUND, ""},
		{"pending method", pol, pending.MethodID, "123456", twofold.ENOTFOUND, ""},
		{"apps disabled by policy", noApps, "", "123456", twofold.ENOTFOUND, ""},
		{"empty code", pol, app.MethodID, "", twofold.EINVALID, "code"},
		{"short code", pol, app.MethodID, "12345", twofold.EINVALID, "code"},
		{"letters", pol, app.MethodID, "abcdef", twofold.EINVALID, "code"},
		{"not UTF-8", pol, app.MethodID, "\xff\xff\xff\xff\xff\xff", twofold.EINVALID, "code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), tc.pol, tc.methodID, tc.code)
			if twofold.ErrorCode(err) != tc.want || twofold.ErrorField(err) != tc.field {
				t.Fatalf("Check: %v, want %s on %q", err, tc.want, tc.field)
			}
			if n := k.User(m.User.ID).FailedMFA; n != 0 {
				t.Errorf("FailedMFA = %d, want 0: this was not a guess", n)
			}
		})
	}
}

func TestEmptyMethodTriesEveryApp(t *testing.T) {
	k, m, _, pol := setup(t, 100)
	e, err := k.Apps.Begin(k.Ctx, m.User.ID, "Org", m.Username())
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := testkit.ParseSecret(e.Secret)
	second := &testkit.App{MethodID: e.MethodID, Secret: secret}
	if err := k.Apps.Activate(k.Ctx, m.User.ID, e.MethodID, "Second", k.FreshCode(second), 5); err != nil {
		t.Fatal(err)
	}
	got, err := k.Checker.Check(k.Ctx, k.User(m.User.ID), pol, "", k.FreshCode(second))
	if err != nil || got.ID != second.MethodID {
		t.Fatalf("Check with the second app's code = %v, %v; want the second app", got, err)
	}
}

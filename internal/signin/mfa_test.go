package signin_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

func TestSecondFactorSignsIn(t *testing.T) {
	k, m, app := enrolled(t)
	c := testkit.Client("198.51.100.40")
	r := startFlow(t, k, m, c, twofold.FlowMFARequired)
	if len(r.Options) != 1 || r.Default == nil || r.Default.MethodID != app.MethodID ||
		r.Default.Preference != twofold.PreferenceOath || r.Default.Name != "Authenticator app" ||
		r.Default.Label != "Use a code from your authenticator app" || r.Default.Channel != "" || r.Default.Masked != "" {
		t.Fatalf("options %+v default %+v, want the one app as default", r.Options, r.Default)
	}
	done, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, k.FreshCode(app), c)
	if err != nil || done.State != twofold.FlowSignedIn || done.SessionToken == "" {
		t.Fatalf("Verify = %+v, %v; want signed in", done, err)
	}
	if done.Session.MFAMethod != app.MethodID || !done.Session.MFAAt.Equal(k.Clock.Now()) {
		t.Errorf("session MFA %q at %v", done.Session.MFAMethod, done.Session.MFAAt)
	}
	if es := k.Events(m.User.ID, twofold.ActivitySignIn); len(es) != 2 || es[0].Reason != "password and authenticator app" {
		t.Errorf("sign-in events %d, newest reason %q", len(es), es[0].Reason)
	}
}

func TestSecondFactorReplay(t *testing.T) {
	c := testkit.Client("198.51.100.41")
	for _, tc := range []struct {
		name string
		used func(k *testkit.Kit, m *testkit.Member, app *testkit.App) string
	}{
		{"code that activated the app", func(k *testkit.Kit, _ *testkit.Member, app *testkit.App) string {
			return app.Code(k.Clock.Now()) // Enrol left the clock in the activation step
		}},
		{"code that signed in", func(k *testkit.Kit, m *testkit.Member, app *testkit.App) string {
			k.SignInMFA(m, app, c)
			return app.Code(k.Clock.Now())
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, m, app := enrolled(t)
			code := tc.used(k, m, app)
			step := testkit.Step(k.Clock.Now())
			k.Clock.Advance(10 * time.Second) // later, but in the same 30-s step
			if testkit.Step(k.Clock.Now()) != step {
				t.Fatal("test setup: the clock left the step")
			}
			r := startFlow(t, k, m, c, twofold.FlowMFARequired)
			res, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, code, c)
			if res != nil || twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "code" {
				t.Fatalf("replayed code: %v, %v; want it refused with EINVALID on code", res, err)
			}
		})
	}
}

// 200 wrong codes over 20 fresh flows: the member is blocked no later than the
// 100th, nothing succeeds while blocked, and the block ends on time.
func TestSecondFactorBlocksAcrossFlows(t *testing.T) {
	k, m, app := enrolled(t)
	c := testkit.Client("198.51.100.42")
	p := &prober{t: t, k: k, m: m, c: c}
	limit := twofold.DefaultPolicy().MFAFailureLimit
	checked, firstBlocked := 0, 0
	for i := 1; i <= 200; i++ {
		p.flow = map[bool]string{true: "", false: p.flow}[(i-1)%5 == 0] // a fresh flow every 5 tries
		_, err := p.try(app.MethodID, testkit.WrongCode(app.Secret, k.Clock.Now()))
		switch {
		case isBlocked(err):
			if firstBlocked == 0 {
				firstBlocked = i
			}
		case isWrongCode(err):
			if firstBlocked != 0 {
				t.Fatalf("attempt %d was checked after the block began at %d", i, firstBlocked)
			}
			checked++
		default:
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if firstBlocked == 0 || firstBlocked > limit || checked >= limit {
		t.Fatalf("first blocked at attempt %d with %d codes checked; want blocked by %d with fewer checked", firstBlocked, checked, limit)
	}
	if es := k.Events(m.User.ID, twofold.ActivitySignIn); !strings.Contains(es[0].Reason, "blocked") {
		t.Errorf("newest sign-in event reason %q, want the block", es[0].Reason)
	}

	block := time.Duration(twofold.DefaultPolicy().MFABlockDuration)
	k.Clock.Advance(block - time.Minute)
	p.flow = ""
	if _, err := p.try(app.MethodID, k.FreshCode(app)); !isBlocked(err) {
		t.Fatalf("right code a minute before the block ends: %v, want blocked", err)
	}
	k.Clock.Advance(time.Minute)
	p.flow = ""
	if r, err := p.try(app.MethodID, k.FreshCode(app)); err != nil || r.State != twofold.FlowSignedIn {
		t.Fatalf("right code after the block: %v, %v", r, err)
	}
}

func TestRightCodeResetsFailureCount(t *testing.T) {
	k, m, app := enrolled(t)
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.MFAFailureLimit = 10 })
	p := &prober{t: t, k: k, m: m, c: testkit.Client("198.51.100.43")}
	wrong := func(n int) {
		t.Helper()
		for i := 1; i <= n; i++ {
			if _, err := p.try(app.MethodID, testkit.WrongCode(app.Secret, k.Clock.Now())); !isWrongCode(err) {
				t.Fatalf("wrong code %d of %d: %v", i, n, err)
			}
		}
	}
	wrong(9)
	if r, err := p.try(app.MethodID, k.FreshCode(app)); err != nil || r.State != twofold.FlowSignedIn {
		t.Fatalf("right code after 9 wrong: %v, %v", r, err)
	}
	if n := k.User(m.User.ID).FailedMFA; n != 0 {
		t.Fatalf("FailedMFA after a success = %d, want 0", n)
	}
	wrong(9) // would pass the limit of 10 without the reset
	if _, err := p.try(app.MethodID, testkit.WrongCode(app.Secret, k.Clock.Now())); !isBlocked(err) {
		t.Fatalf("10th consecutive wrong code: %v, want blocked", err)
	}
}

func TestOtherMembersMethodIsNotFound(t *testing.T) {
	k, ada, adaApp := enrolled(t)
	bob := k.NewMember(ada.Org, "bob")
	c := testkit.Client("198.51.100.44")
	bobApp, _ := k.Enrol(bob, c)
	before, _ := k.Store.MethodByID(k.Ctx, bob.User.ID, bobApp.MethodID)

	r := startFlow(t, k, ada, c, twofold.FlowMFARequired)
	code := k.FreshCode(bobApp)
	_, err := k.SignIn.Verify(k.Ctx, r.FlowID, bobApp.MethodID, code, c)
	wantCode(t, "Verify with another member's method", err, twofold.ENOTFOUND)
	after, _ := k.Store.MethodByID(k.Ctx, bob.User.ID, bobApp.MethodID)
	if after.LastStep != before.LastStep {
		t.Errorf("bob's app LastStep moved from %d to %d", before.LastStep, after.LastStep)
	}
	// Bob's code still works for Bob, and Ada's flow is still alive for Ada.
	rb := startFlow(t, k, bob, c, twofold.FlowMFARequired)
	if _, err := k.SignIn.Verify(k.Ctx, rb.FlowID, bobApp.MethodID, code, c); err != nil {
		t.Errorf("bob's own code after the probe: %v", err)
	}
	if _, err := k.SignIn.Verify(k.Ctx, r.FlowID, adaApp.MethodID, k.FreshCode(adaApp), c); err != nil {
		t.Errorf("ada's flow after the probe: %v", err)
	}
}

func TestMalformedCodesAreNotCounted(t *testing.T) {
	k, m, app := enrolled(t)
	c := testkit.Client("198.51.100.45")
	r := startFlow(t, k, m, c, twofold.FlowMFARequired)
	for _, tc := range []struct{ name, code string }{
		{"empty", ""},
		{"spaces only", "   "},
		{"5 digits", "12345"},
		{"7 digits", "1234567"},
		{"letters", "abcdef"},
		{"digits and a letter", "12345a"},
		{"full-width digits", "１２３４５６"},
		{"1 MB", strings.Repeat("1", 1<<20)},
		{"not UTF-8", "\xff\xfe\xfd\xfc\xfb\xfa"},
		{"NUL inside", "123\x00456"},
	} {
		_, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, tc.code, c)
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "code" || errors.Is(err, secondfactor.ErrWrongCode) {
			t.Errorf("%s: %v, want EINVALID on code (and not the wrong-code answer)", tc.name, err)
		}
	}
	f, err := k.Store.FlowByIDHash(k.Ctx, twofold.HashToken(r.FlowID))
	if err != nil || f.Attempts != 0 || f.State != twofold.FlowMFARequired {
		t.Errorf("flow after malformed codes: %+v, %v; want 0 attempts and alive", f, err)
	}
	if n := k.User(m.User.ID).FailedMFA; n != 0 {
		t.Errorf("FailedMFA = %d, want 0", n)
	}
	if _, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, k.FreshCode(app), c); err != nil {
		t.Errorf("right code after 10 malformed ones: %v", err)
	}
}

// Fifty identical submissions of the right code on one flow, released together,
// sign in exactly once.
func TestParallelVerifySignsInOnce(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			c := testkit.Client("198.51.100.46")
			app, _ := k.Enrol(m, c)
			r := startFlow(t, k, m, c, twofold.FlowMFARequired)
			code := k.FreshCode(app)

			const racers = 50
			var (
				wg      sync.WaitGroup
				start   = make(chan struct{})
				results = make([]*signin.Result, racers)
				errs    = make([]error, racers)
			)
			for i := range racers {
				wg.Go(func() {
					<-start
					results[i], errs[i] = k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, code, c)
				})
			}
			close(start)
			wg.Wait()
			won, answers := 0, map[string]int{}
			for i, err := range errs {
				answers[twofold.ErrorMessage(err)]++
				switch {
				case err == nil && results[i].State == twofold.FlowSignedIn:
					won++
				case isWrongCode(err), errors.Is(err, signin.ErrChecksBusy):
				default:
					t.Errorf("racer %d: %v, %v", i, results[i], err)
				}
			}
			if won != 1 {
				meth, _ := k.Store.MethodByID(k.Ctx, m.User.ID, app.MethodID)
				t.Errorf("%d racers signed in, want exactly 1; code's step consumed: %v; answers: %v",
					won, meth.LastStep == testkit.Step(k.Clock.Now()), answers)
			}
			live, err := k.Store.ListSessions(k.Ctx, m.User.ID, k.Clock.Now())
			if err != nil || len(live) != 1+won {
				t.Errorf("%d live sessions (%v), want the enrolment's plus %d", len(live), err, won)
			}
		})
	}
}

// An attacker who knows the password opens many flows and sends one guess on
// each, all at once. The member's count is taken before each check, so no more
// than MFAFailureLimit guesses may be checked in total.
func TestParallelGuessesOnManyFlowsRespectLimit(t *testing.T) {
	k, m, app := enrolled(t)
	const limit, racers = 10, 50
	k.SetPolicy(m.Org, func(p *twofold.Policy) { p.MFAFailureLimit = limit })
	c := testkit.Client("198.51.100.47")
	flows := make([]string, racers)
	for i := range flows {
		flows[i] = startFlow(t, k, m, c, twofold.FlowMFARequired).FlowID
	}
	wrong := testkit.WrongCode(app.Secret, k.Clock.Now())
	errs := testkit.Simultaneously(racers, func(i int) error {
		_, err := k.SignIn.Verify(k.Ctx, flows[i], app.MethodID, wrong, c)
		return err
	})
	checked := 0
	for i, err := range errs {
		switch {
		case isBlocked(err):
		case isWrongCode(err):
			checked++
		default:
			t.Errorf("racer %d: %v", i, err)
		}
	}
	if checked >= limit {
		t.Errorf("%d of %d parallel guesses were checked; the limit is %d", checked, racers, limit)
	}
}

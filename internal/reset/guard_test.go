package reset_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/testkit"
)

// Five failed verifications in a day block reset for the member for a day,
// audited once and told to the member; a new attempt is refused too, and the
// block ends after 24 hours.
func TestGuardBlocksAfterFive(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m, app, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
	// Each failure on an attempt of its own, an hour apart: the guard counts
	// the member's failures across attempts.
	var id string
	for i := 1; i <= 4; i++ {
		id = e.start(t, m.Username())
		appOpt := choice(t, e.attempt(t, id), methodkind.ProofAppCode)
		if _, err := e.svc.Begin(e.Ctx, id, appOpt.Choice, "", e.c); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		_, err := e.svc.Verify(e.Ctx, id, reset.Answer{Code: testkit.WrongCode(app.Secret, e.Clock.Now())}, e.c)
		wantCode(t, "wrong code", err, twofold.EINVALID)
		e.Clock.Advance(time.Hour)
	}
	id = e.start(t, m.Username())
	appOpt := choice(t, e.attempt(t, id), methodkind.ProofAppCode)
	if _, err := e.svc.Begin(e.Ctx, id, appOpt.Choice, "", e.c); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	// The fifth failure: a typed number that doesn't match counts alike.
	text := choice(t, e.attempt(t, e.start(t, m.Username())), methodkind.ProofText)
	id2 := e.start(t, m.Username())
	_, err := e.svc.Begin(e.Ctx, id2, text.Choice, "+14255550999", e.c)
	wantIs(t, "fifth failure", err, reset.ErrBlocked)
	if n := len(e.Events(m.User.ID, twofold.ActivityResetBlocked)); n != 1 {
		t.Fatalf("%d block events, want 1", n)
	}
	v := e.attempt(t, e.start(t, m.Username()))
	if v.Eligible {
		t.Fatal("a blocked member can start over")
	}
	// A right code is refused while blocked: nothing is checked.
	_, err = e.svc.Verify(e.Ctx, id, reset.Answer{Code: e.FreshCode(app)}, e.c)
	wantIs(t, "right code while blocked", err, reset.ErrBlocked)
	e.Clock.Advance(24 * time.Hour)
	if v := e.attempt(t, e.start(t, m.Username())); !v.Eligible {
		t.Fatalf("still blocked after 24 hours: %+v", v)
	}
}

// A burst of 200 wrong answers checks at most 5 of them.
func TestGuardHoldsUnderBurst(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			m, app, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
			id := e.start(t, m.Username())
			appOpt := choice(t, e.attempt(t, id), methodkind.ProofAppCode)
			if _, err := e.svc.Begin(e.Ctx, id, appOpt.Choice, "", e.c); err != nil {
				t.Fatalf("Begin: %v", err)
			}
			wrong := testkit.WrongCode(app.Secret, e.Clock.Now())
			before := e.User(m.User.ID).FailedMFA
			var judged atomic.Int32
			testkit.Simultaneously(200, func(int) error {
				_, err := e.svc.Verify(e.Ctx, id, reset.Answer{Code: wrong}, e.c)
				if twofold.ErrorCode(err) == twofold.EINVALID {
					judged.Add(1)
				}
				return nil
			})
			if checked := e.User(m.User.ID).FailedMFA - before; checked > 5 {
				t.Fatalf("%d codes checked out of a burst of 200, want at most 5", checked)
			}
			if judged.Load() > 4 {
				t.Fatalf("%d answers judged wrong, want at most 4 (the fifth blocks)", judged.Load())
			}
			if n := len(e.Events(m.User.ID, twofold.ActivityResetBlocked)); n != 1 {
				t.Fatalf("%d block events, want 1", n)
			}
		})
	}
}

// A texted code proves its step once under 50 parallel submissions.
func TestCodeSingleUse(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, backend)
			e.org = e.SetPolicy(e.org, func(p *twofold.Policy) { p.Reset.MethodsRequired = 2 })
			m, _, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
			id := e.start(t, m.Username())
			text := choice(t, e.attempt(t, id), methodkind.ProofText)
			if _, err := e.svc.Begin(e.Ctx, id, text.Choice, "+14255550123", e.c); err != nil {
				t.Fatalf("Begin: %v", err)
			}
			code := e.LastCode("+14255550123")
			var ok atomic.Int32
			testkit.Simultaneously(50, func(int) error {
				if _, err := e.svc.Verify(e.Ctx, id, reset.Answer{Code: code}, e.c); err == nil {
					ok.Add(1)
				}
				return nil
			})
			if ok.Load() != 1 {
				t.Fatalf("%d of 50 identical submissions proved the step, want 1", ok.Load())
			}
			if v := e.attempt(t, id); v.Proven != 1 {
				t.Fatalf("proven %d, want 1", v.Proven)
			}
		})
	}
}

// A call answered with # proves a phone; a blocked second factor (a fraud
// report) stops reset.
func TestCallAndFraudBlock(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m, _, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
	id := e.start(t, m.Username())
	call := choice(t, e.attempt(t, id), methodkind.ProofCall)
	if _, err := e.svc.Begin(e.Ctx, id, call.Choice, "+14255550123", e.c); err != nil {
		t.Fatalf("Begin call: %v", err)
	}
	_, err := e.svc.Verify(e.Ctx, id, reset.Answer{}, e.c)
	wantCode(t, "call still ringing", err, twofold.ECONFLICT)
	e.AnswerAndPress(e.RingingCall("+14255550123"), "#")
	v, err := e.svc.Verify(e.Ctx, id, reset.Answer{}, e.c)
	if err != nil || v.State != twofold.ResetVerified {
		t.Fatalf("after the call: %+v, %v", v, err)
	}
	// A fraud report on a second attempt's call blocks the second factor,
	// which ends reset too.
	id2 := e.start(t, m.Username())
	if _, err := e.svc.Begin(e.Ctx, id2, call.Choice, "+14255550123", e.c); err != nil {
		t.Fatalf("Begin call: %v", err)
	}
	e.AnswerAndPress(e.RingingCall("+14255550123"), "0#")
	_, err = e.svc.Verify(e.Ctx, id2, reset.Answer{}, e.c)
	wantCode(t, "after fraud report", err, twofold.EFORBIDDEN)
	err = e.svc.SetPassword(e.Ctx, id, "Correct horse battery", "Correct horse battery", e.c)
	wantCode(t, "password after fraud report", err, twofold.EFORBIDDEN)
	told := false
	for _, msg := range e.Messages(m) {
		told = told || strings.Contains(msg.Body, "We stopped the password reset it was for")
	}
	if !told {
		t.Error("the member's fraud notice doesn't say it stopped a password reset")
	}
}

// A reset lifts a running password lock: the member proved who they are.
func TestResetClearsPasswordLock(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m, app, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
	for range 10 {
		_, _ = e.SignIn.Password(e.Ctx, m.Username(), "wrong password here", e.c)
	}
	if !e.Clock.Now().Before(e.User(m.User.ID).LockedUntil) {
		t.Fatal("setup: account not locked")
	}
	id := e.start(t, m.Username())
	appOpt := choice(t, e.attempt(t, id), methodkind.ProofAppCode)
	if _, err := e.svc.Begin(e.Ctx, id, appOpt.Choice, "", e.c); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if _, err := e.svc.Verify(e.Ctx, id, reset.Answer{Code: e.FreshCode(app)}, e.c); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := e.svc.SetPassword(e.Ctx, id, "Correct horse battery", "Correct horse battery", e.c); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	if _, err := e.SignIn.Password(e.Ctx, m.Username(), "Correct horse battery", e.c); err != nil {
		t.Fatalf("sign in after reset: %v", err)
	}
}

// An admin lifts a reset block at once, audited, and the member's failures
// start again from nothing.
func TestAdminUnblocksReset(t *testing.T) {
	e := newEnv(t, testkit.SQLite)
	m, app, _ := e.memberWithAppAndPhone(t, "ada", "+14255550123")
	for range 5 {
		id := e.start(t, m.Username())
		appOpt := choice(t, e.attempt(t, id), methodkind.ProofAppCode)
		if _, err := e.svc.Begin(e.Ctx, id, appOpt.Choice, "", e.c); err != nil {
			t.Fatalf("Begin: %v", err)
		}
		_, _ = e.svc.Verify(e.Ctx, id, reset.Answer{Code: testkit.WrongCode(app.Secret, e.Clock.Now())}, e.c)
		e.Clock.Advance(time.Hour) // past the per-name start limit
	}
	if v := e.attempt(t, e.start(t, m.Username())); v.Eligible {
		t.Fatal("setup: five failures did not block reset")
	}
	if _, err := e.Admin.UnblockReset(e.Ctx, "cli", m.Username()); err != nil {
		t.Fatalf("UnblockReset: %v", err)
	}
	if n := len(e.Events(m.User.ID, twofold.ActivityResetUnblocked)); n != 1 {
		t.Errorf("%d unblock events, want 1", n)
	}
	id := e.start(t, m.Username())
	v := e.attempt(t, id)
	if !v.Eligible {
		t.Fatalf("still blocked after the admin lifted it: %+v", v)
	}
	appOpt := choice(t, v, methodkind.ProofAppCode)
	if _, err := e.svc.Begin(e.Ctx, id, appOpt.Choice, "", e.c); err != nil {
		t.Fatalf("Begin: %v", err)
	}
	if _, err := e.svc.Verify(e.Ctx, id, reset.Answer{Code: e.FreshCode(app)}, e.c); err != nil {
		t.Fatalf("a right code after the unblock: %v", err)
	}
	if _, err := e.Admin.UnblockReset(e.Ctx, "cli", "nobody@contoso.com"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
		t.Errorf("unknown name: %v, want ENOTFOUND", err)
	}
}

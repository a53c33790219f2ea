package account_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/testkit"
)

const newPassword = "lantern meadow copper"

func TestChangePasswordSignsOutOthersKeepsThisOne(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	org := e.NewOrg("contoso.test")
	m, token := e.enrolled(t, org, "ada")
	other1 := e.IssueSession(m, "", client)
	other2 := e.IssueSession(m, "", client)
	stranger := e.NewMember(org, "bob")
	strangerToken := e.IssueSession(stranger, "", client)

	p := e.Principal(token, client)
	got, err := e.acc.ChangePassword(e.Ctx, p, m.Password, newPassword, newPassword, true)
	if err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if got.SessionsEnded != 2 {
		t.Errorf("SessionsEnded = %d, want 2", got.SessionsEnded)
	}
	if _, err := e.Session.Authenticate(e.Ctx, token, client); err != nil {
		t.Errorf("this session ended: %v", err)
	}
	for _, tok := range []string{other1, other2} {
		if _, err := e.Session.Authenticate(e.Ctx, tok, client); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
			t.Errorf("another session still works: %v", err)
		}
	}
	if _, err := e.Session.Authenticate(e.Ctx, strangerToken, client); err != nil {
		t.Errorf("another member's session ended: %v", err)
	}
	// The old password no longer signs in; the new one does.
	if err := e.signIn(m, m.Password); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
		t.Errorf("old password at sign-in: %v, want refused", err)
	}
	if err := e.signIn(m, newPassword); err != nil {
		t.Errorf("new password at sign-in: %v", err)
	}
	// Audited with the count, and the member told.
	ev := e.Events(m.User.ID, twofold.ActivityChangePassword)
	if len(ev) != 1 || ev[0].Result != twofold.ResultSuccess || ev[0].Reason != "2 other sessions signed out" || ev[0].IP != client.IP {
		t.Fatalf("audit events = %+v", ev)
	}
	found := false
	for _, msg := range e.Messages(m) {
		if strings.Contains(msg.Body, "Your password was changed, and you were signed out everywhere else.") {
			found = true
		}
	}
	if !found {
		t.Error("no notice of the change reached the member")
	}
}

func TestChangePasswordKeepsOtherSessionsWhenAsked(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	m, token := e.enrolled(t, e.NewOrg("contoso.test"), "ada")
	other := e.IssueSession(m, "", client)
	got, err := e.acc.ChangePassword(e.Ctx, e.Principal(token, client), m.Password, newPassword, newPassword, false)
	if err != nil || got.SessionsEnded != 0 {
		t.Fatalf("ChangePassword = %+v, %v", got, err)
	}
	if _, err := e.Session.Authenticate(e.Ctx, other, client); err != nil {
		t.Errorf("other session ended although the member kept it: %v", err)
	}
	if ev := e.Events(m.User.ID, twofold.ActivityChangePassword); len(ev) != 1 || ev[0].Reason != "other sessions kept" {
		t.Errorf("audit = %+v", ev)
	}
}

func TestChangePasswordNeedsFreshSecondFactor(t *testing.T) {
	e := newEnv(t, testkit.Options{FreshMFA: 10 * time.Minute})
	m, token := e.enrolled(t, e.NewOrg("contoso.test"), "ada")
	e.Clock.Advance(10 * time.Minute)
	p := e.Principal(token, client)
	_, err := e.acc.ChangePassword(e.Ctx, p, m.Password, newPassword, newPassword, true)
	if !errorsIs(err, account.ErrReauth) {
		t.Fatalf("stale second factor: %v, want ErrReauth", err)
	}
	// Nothing was counted or changed: the old password still signs in.
	if u := e.User(m.User.ID); u.FailedPasswords != 0 {
		t.Errorf("failed passwords = %d, want 0", u.FailedPasswords)
	}
	if err := e.signIn(m, m.Password); err != nil {
		t.Errorf("old password after a refused change: %v", err)
	}
}

func TestChangePasswordWithoutSecondFactorNeedsNoReverify(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	org := e.SetPolicy(e.NewOrg("contoso.test"), func(p *twofold.Policy) { p.MFARequired = false })
	m := e.NewMember(org, "ada")
	token := e.IssueSession(m, "", client)
	e.Clock.Advance(11 * time.Minute) // past the fresh window, within the idle timeout
	// MFA off: the minimum is 15 characters, and it is said.
	const short = "lantern meadow" // 14
	_, err := e.acc.ChangePassword(e.Ctx, e.Principal(token, client), m.Password, short, short, true)
	wantField(t, err, twofold.EINVALID, "newPassword", "Use at least 15 characters.")
	if _, err := e.acc.ChangePassword(e.Ctx, e.Principal(token, client), m.Password, newPassword, newPassword, true); err != nil {
		t.Fatalf("member without a second factor: %v", err)
	}
}

func TestChangePasswordRules(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	org := e.SetPolicy(e.NewOrg("contoso.test"), func(p *twofold.Policy) { p.MinPasswordLength = 12 })
	m, token := e.enrolled(t, org, "ada")
	p := e.Principal(token, client)
	for _, tc := range []struct {
		name, current, pw, confirm, field, msg string
	}{
		{"no current", "", newPassword, newPassword, "currentPassword", "Enter your current password."},
		{"no new", m.Password, "", "", "newPassword", "Enter a new password."},
		{"confirm differs", m.Password, newPassword, newPassword + "x", "confirmPassword", "don't match"},
		{"same as current", m.Password, m.Password, m.Password, "newPassword", "different from your current"},
		{"policy minimum", m.Password, "lantern mead", "lantern mead", "newPassword", ""},
		{"below policy minimum", m.Password, "lantern mea", "lantern mea", "newPassword", "Use at least 12 characters."},
		{"common list", m.Password, "1qaz2wsx3edc", "1qaz2wsx3edc", "newPassword", "most common"},
		{"user name", m.Password, "ada is my name ok", "ada is my name ok", "newPassword", "name"},
		{"org name", m.Password, "i love org contoso", "i love org contoso", "newPassword", "name"},
		{"too long", m.Password, strings.Repeat("x", 2000), strings.Repeat("x", 2000), "newPassword", "at most 256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.acc.ChangePassword(e.Ctx, p, tc.current, tc.pw, tc.confirm, true)
			if tc.msg == "" {
				if err != nil {
					t.Fatalf("accepted password refused: %v", err)
				}
				// Put it back for the next cases.
				p.User = e.User(m.User.ID)
				if _, err := e.acc.ChangePassword(e.Ctx, p, tc.pw, m.Password+"!", m.Password+"!", true); err != nil {
					t.Fatalf("change back: %v", err)
				}
				m.Password += "!"
				p.User = e.User(m.User.ID)
				return
			}
			wantField(t, err, twofold.EINVALID, tc.field, tc.msg)
		})
	}
	// None of the refusals above checked the current password, so none counted.
	if u := e.User(m.User.ID); u.FailedPasswords != 0 {
		t.Errorf("failed passwords = %d, want 0", u.FailedPasswords)
	}
}

func TestChangePasswordWrongCurrentCountsAndLocks(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	org := e.SetPolicy(e.NewOrg("contoso.test"), func(p *twofold.Policy) { p.LockoutThreshold = 3 })
	m, token := e.enrolled(t, org, "ada")
	p := e.Principal(token, client)
	for i := range 3 {
		_, err := e.acc.ChangePassword(e.Ctx, p, "not my password", newPassword, newPassword, true)
		wantField(t, err, twofold.EINVALID, "currentPassword", "isn't your current password")
		if i < 2 {
			if u := e.User(m.User.ID); u.FailedPasswords != i+1 {
				t.Fatalf("after %d wrong: failed passwords = %d", i+1, u.FailedPasswords)
			}
		}
	}
	// The third wrong one locked the account: even the right password is not
	// checked now, here or at sign-in.
	_, err := e.acc.ChangePassword(e.Ctx, p, m.Password, newPassword, newPassword, true)
	wantField(t, err, twofold.ERATELIMIT, "currentPassword", "locked")
	if err := e.signIn(m, m.Password); twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
		t.Errorf("sign-in while locked: %v", err)
	}
	fails := 0
	for _, ev := range e.Events(m.User.ID, twofold.ActivityChangePassword) {
		if ev.Result == twofold.ResultFailure {
			fails++
		}
	}
	if fails != 4 {
		t.Errorf("failure events = %d, want 4 (3 wrong, 1 locked)", fails)
	}
	// After the lock, the right current password works and clears the count.
	e.Clock.Advance(2 * time.Minute)
	p = e.Principal(e.IssueSession(m, "fresh", client), client)
	if _, err := e.acc.ChangePassword(e.Ctx, p, m.Password, newPassword, newPassword, true); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	if u := e.User(m.User.ID); u.FailedPasswords != 0 || !u.LockedUntil.Before(e.Clock.Now()) {
		t.Errorf("after success: failed %d, locked until %v", u.FailedPasswords, u.LockedUntil)
	}
}

func TestChangePasswordBurstOfWrongGuessesStopsAtThreshold(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	org := e.SetPolicy(e.NewOrg("contoso.test"), func(p *twofold.Policy) { p.LockoutThreshold = 5 })
	_, token := e.enrolled(t, org, "ada")
	p := e.Principal(token, client)
	const n = 60
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = e.acc.ChangePassword(e.Ctx, p, "guess-"+string(rune('a'+i%26)), newPassword, newPassword, true)
		})
	}
	wg.Wait()
	wrong, locked := 0, 0
	for _, err := range errs {
		switch twofold.ErrorCode(err) {
		case twofold.EINVALID:
			wrong++
		case twofold.ERATELIMIT:
			locked++
		default:
			t.Fatalf("unexpected %v", err)
		}
	}
	// Only the threshold's places were ever checked against the hash.
	if wrong != 5 || locked != n-5 {
		t.Fatalf("checked %d, refused unchecked %d; want 5 and %d", wrong, locked, n-5)
	}
}

func TestChangePasswordRaceOneWins(t *testing.T) {
	e := newEnv(t, testkit.Options{})
	m, token := e.enrolled(t, e.NewOrg("contoso.test"), "ada")
	// Fewer than the lockout threshold (10), so every change gets its current
	// password checked and the race is only over the replacement.
	const n = 9
	var wg sync.WaitGroup
	errs := make([]error, n)
	pws := make([]string, n)
	ps := make([]*twofold.Principal, n)
	for i := range n {
		pws[i] = newPassword + " " + strings.Repeat("z", i+1)
		ps[i] = e.Principal(token, client) // all read the same current hash
	}
	for i, p := range ps {
		wg.Go(func() {
			_, errs[i] = e.acc.ChangePassword(e.Ctx, p, m.Password, pws[i], pws[i], true)
		})
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil && won >= 0:
			t.Fatalf("two changes from one current password both won")
		case err == nil:
			won = i
		case !errorsIs(err, account.ErrChangedMeanwhile):
			t.Fatalf("loser: %v", err)
		}
	}
	if won < 0 {
		t.Fatal("no change won")
	}
	if err := e.signIn(m, pws[won]); err != nil {
		t.Errorf("the winner's password does not sign in: %v", err)
	}
	if ev := e.Events(m.User.ID, twofold.ActivityChangePassword); len(ev) != 1 {
		t.Errorf("%d success events, want 1", len(ev))
	}
}

func TestPasswordForm(t *testing.T) {
	e := newEnv(t, testkit.Options{FreshMFA: 10 * time.Minute})
	org := e.SetPolicy(e.NewOrg("contoso.test"), func(p *twofold.Policy) { p.MinPasswordLength = 11 })
	m, token := e.enrolled(t, org, "ada")
	f, err := e.acc.PasswordForm(e.Ctx, e.Principal(token, client))
	if err != nil || f.Minimum != 11 || len(f.Words) != 3 || f.Words[0] != m.Username() || f.Words[2] != org.Name {
		t.Fatalf("PasswordForm = %+v, %v", f, err)
	}
	e.Clock.Advance(10 * time.Minute)
	if _, err := e.acc.PasswordForm(e.Ctx, e.Principal(token, client)); !errorsIs(err, account.ErrReauth) {
		t.Fatalf("stale second factor: %v, want ErrReauth", err)
	}
}

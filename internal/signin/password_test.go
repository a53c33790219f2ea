package signin_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// lastFailure returns the reason of the newest failed sign-in audited for username.
func lastFailure(t *testing.T, k *testkit.Kit, orgID, username string) string {
	t.Helper()
	es, err := k.Store.ListAudit(k.Ctx, twofold.AuditFilter{OrgID: orgID, Activity: twofold.ActivitySignIn, Limit: 1000})
	if err != nil {
		t.Fatalf("ListAudit: %v", err)
	}
	for _, e := range es {
		if e.TargetName == username && e.Result == twofold.ResultFailure {
			return e.Reason
		}
	}
	t.Fatalf("no failed sign-in audited for %s", username)
	return ""
}

// lock makes n wrong-password attempts from n different networks.
func lock(t *testing.T, k *testkit.Kit, m *testkit.Member, n int) {
	t.Helper()
	for i := range n {
		c := twofold.Client{IP: fmt.Sprintf("203.0.113.%d", i+1), UserAgent: fmt.Sprintf("browser-%d", i)}
		if _, err := k.SignIn.Password(k.Ctx, m.Username(), "not-the-password-"+fmt.Sprint(i), c); err != signin.ErrCredentials {
			t.Fatalf("wrong password %d: %v, want ErrCredentials", i+1, err)
		}
	}
}

func TestCredentialFailuresLookAlike(t *testing.T) {
	k := testkit.New(t)
	org := k.NewOrg("contoso.com")
	wrong := k.NewMember(org, "ada")
	locked := k.NewMember(org, "lin")
	lock(t, k, locked, 10)
	disabled := k.NewMember(org, "dan")
	k.DisableUser(disabled.User.ID)
	c := testkit.Client("198.51.100.20")

	cases := []struct {
		name, username, password, reason string
	}{
		{"unknown user", "ghost@contoso.com", "any-password-at-all", "unknown user name"},
		{"wrong password", wrong.Username(), wrong.Password + "x", "wrong password"},
		{"disabled", disabled.Username(), disabled.Password, "account disabled"},
		{"locked", locked.Username(), locked.Password, "account locked"},
	}
	reasons := map[string]bool{}
	for _, tc := range cases {
		r, err := k.SignIn.Password(k.Ctx, tc.username, tc.password, c)
		if r != nil || err != signin.ErrCredentials {
			t.Errorf("%s: Password = %v, %v; want exactly signin.ErrCredentials", tc.name, r, err)
			continue
		}
		if got, want := twofold.ErrorMessage(err), twofold.ErrorMessage(signin.ErrCredentials); got != want || twofold.ErrorCode(err) != twofold.EUNAUTHORIZED {
			t.Errorf("%s: message %q code %s", tc.name, got, twofold.ErrorCode(err))
		}
		got := lastFailure(t, k, org.ID, tc.username)
		if got != tc.reason {
			t.Errorf("%s: audited reason %q, want %q", tc.name, got, tc.reason)
		}
		reasons[got] = true
	}
	if len(reasons) != len(cases) {
		t.Errorf("audit reasons %v are not distinct", reasons)
	}
}

func TestLockout(t *testing.T) {
	c := testkit.Client("198.51.100.21")
	signsIn := func(k *testkit.Kit, m *testkit.Member) bool {
		_, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, c)
		return err == nil
	}

	t.Run("escalates", func(t *testing.T) {
		k := testkit.New(t)
		m := k.NewMember(k.NewOrg("contoso.com"), "ada")
		for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute} {
			start := k.Clock.Now()
			lock(t, k, m, 10) // across ten networks: counted per account
			if got := k.User(m.User.ID).LockedUntil.Sub(start); got != want {
				t.Fatalf("lock %d lasts %v, want %v", i+1, got, want)
			}
			lock(t, k, m, 25) // guesses during the lock are not counted towards the next one
			k.Clock.Advance(want - time.Second)
			if signsIn(k, m) {
				t.Fatalf("lock %d: the right password worked %v into a %v lock", i+1, want-time.Second, want)
			}
			if got := lastFailure(t, k, m.Org.ID, m.Username()); got != "account locked" {
				t.Fatalf("lock %d: audited %q, want account locked", i+1, got)
			}
			k.Clock.Advance(time.Second)
			// No sign-in here: a success would reset the escalation.
		}
		if !signsIn(k, m) {
			t.Fatal("the right password failed after the third lock ended")
		}
		if u := k.User(m.User.ID); u.FailedPasswords != 0 || u.LockoutLevel != 0 {
			t.Fatalf("after a success: FailedPasswords %d LockoutLevel %d, want 0 0", u.FailedPasswords, u.LockoutLevel)
		}
		start := k.Clock.Now()
		lock(t, k, m, 10)
		if got := k.User(m.User.ID).LockedUntil.Sub(start); got != time.Minute {
			t.Fatalf("first lock after a success lasts %v, want the base 1m", got)
		}
	})

	t.Run("success clears the count", func(t *testing.T) {
		k := testkit.New(t)
		m := k.NewMember(k.NewOrg("contoso.com"), "ada")
		lock(t, k, m, 9)
		if !signsIn(k, m) {
			t.Fatal("right password after 9 failures refused")
		}
		lock(t, k, m, 9)
		if !signsIn(k, m) {
			t.Fatal("9 + 9 failures with a success between locked the account")
		}
		if u := k.User(m.User.ID); !u.LockedUntil.IsZero() || u.FailedPasswords != 0 {
			t.Errorf("LockedUntil %v FailedPasswords %d, want unlocked and 0", u.LockedUntil, u.FailedPasswords)
		}
	})

	t.Run("threshold from policy", func(t *testing.T) {
		k := testkit.New(t)
		org := k.NewOrg("contoso.com")
		m := k.NewMember(org, "ada")
		k.SetPolicy(org, func(p *twofold.Policy) {
			p.LockoutThreshold = 3
			p.LockoutDuration = twofold.Duration(10 * time.Second)
		})
		lock(t, k, m, 3)
		if signsIn(k, m) {
			t.Fatal("not locked after the policy's 3 failures")
		}
		k.Clock.Advance(10 * time.Second)
		if !signsIn(k, m) {
			t.Fatal("still locked after the policy's 10 s")
		}
	})
}

func TestPerNetworkLimit(t *testing.T) {
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	bad, good := testkit.Client("192.0.2.66"), testkit.Client("192.0.2.77")
	for i := 1; i <= 100; i++ { // unknown names, so no account lock gets in the way
		_, err := k.SignIn.Password(k.Ctx, fmt.Sprintf("nobody%d@contoso.com", i), "whatever-it-is", bad)
		if err != signin.ErrCredentials {
			t.Fatalf("failure %d: %v, want ErrCredentials", i, err)
		}
	}
	_, err := k.SignIn.Password(k.Ctx, m.Username(), m.Password, bad)
	wantCode(t, "right password from the limited network", err, twofold.ERATELIMIT)
	if twofold.ErrorMessage(err) == twofold.ErrorMessage(signin.ErrCredentials) {
		t.Error("the network limit reads like a credentials failure")
	}
	startFlow(t, k, m, good, twofold.FlowRegistrationRequired)

	k.Clock.Advance(15 * time.Minute) // the next window
	startFlow(t, k, m, bad, twofold.FlowRegistrationRequired)
}

func TestRehashOnSignIn(t *testing.T) {
	old := password.NewHasher(password.Params{Memory: 128, Time: 2, Threads: 1}, password.LimitOptions{})
	for _, tc := range []struct {
		name       string
		disabled   bool
		wrong      bool
		wantRehash bool
	}{
		{"right password", false, false, true},
		{"wrong password", false, true, false},
		{"disabled member", true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := testkit.New(t)
			org := k.NewOrg("contoso.com")
			const pw = "an old but fine password"
			h, err := old.Hash(k.Ctx, pw)
			if err != nil {
				t.Fatal(err)
			}
			u := &twofold.User{ID: twofold.NewID(), OrgID: org.ID, Username: "old@contoso.com", DisplayName: "Old",
				Role: twofold.RoleMember, PasswordHash: h, Disabled: tc.disabled, PreferredMethod: twofold.PreferenceNone, CreatedAt: k.Clock.Now()}
			if err := k.Store.CreateUser(k.Ctx, u); err != nil {
				t.Fatal(err)
			}
			try := pw
			if tc.wrong {
				try += "!"
			}
			_, _ = k.SignIn.Password(k.Ctx, u.Username, try, testkit.Client("198.51.100.30"))
			got := k.User(u.ID).PasswordHash
			if !tc.wantRehash {
				if got != h {
					t.Fatalf("hash changed to %s", got)
				}
				return
			}
			if got == h || !strings.HasPrefix(got, "$argon2id$v=19$m=64,t=1,p=1$") {
				t.Fatalf("hash after sign-in = %s, want the kit's parameters m=64,t=1,p=1", got)
			}
			ok, again, err := k.Hasher.Verify(k.Ctx, got, pw)
			if !ok || again || err != nil {
				t.Fatalf("upgraded hash: Verify = %v, rehash %v, %v", ok, again, err)
			}
		})
	}
}

package session_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

var client = testkit.Client("198.51.100.60")

// signedIn returns a kit and a member with an app and a fresh session token.
func signedIn(t *testing.T) (*testkit.Kit, *testkit.Member, *testkit.App, string) {
	t.Helper()
	k := testkit.New(t)
	m := k.NewMember(k.NewOrg("contoso.com"), "ada")
	app, r := k.Enrol(m, client)
	return k, m, app, r.SessionToken
}

func authenticate(k *testkit.Kit, token string) error {
	_, err := k.Session.Authenticate(k.Ctx, token, client)
	return err
}

func TestTokenIsLongRandomAndStoredHashed(t *testing.T) {
	k, m, app, token := signedIn(t)
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw)*8 < 128 {
		t.Fatalf("token %q decodes to %d bits (%v), want at least 128", token, len(raw)*8, err)
	}
	second := k.SignInMFA(m, app, client).SessionToken
	if second == token {
		t.Fatal("two sign-ins got the same token")
	}
	rows, err := k.DB().QueryContext(k.Ctx, `SELECT * FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		n++
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			s := fmt.Sprintf("%s", v)
			if strings.Contains(s, token) || strings.Contains(s, second) {
				t.Errorf("column %s of a session row holds the bearer token", cols[i])
			}
		}
	}
	if n != 2 {
		t.Errorf("%d session rows, want 2", n)
	}
	s, err := k.Store.SessionByTokenHash(k.Ctx, twofold.HashToken(token))
	if err != nil || s.UserID != m.User.ID {
		t.Errorf("session by SHA-256 of the token: %v, %v", s, err)
	}
}

func TestIdleTimeout(t *testing.T) {
	for _, tc := range []struct {
		idle time.Duration
		want string
	}{
		{59 * time.Minute, ""},
		{time.Hour, twofold.EUNAUTHORIZED},
		{61 * time.Minute, twofold.EUNAUTHORIZED},
	} {
		t.Run(tc.idle.String(), func(t *testing.T) {
			k, _, _, token := signedIn(t)
			k.Clock.Advance(tc.idle)
			if got := twofold.ErrorCode(authenticate(k, token)); got != tc.want {
				t.Fatalf("after %v idle: %q, want %q", tc.idle, got, tc.want)
			}
		})
	}
}

func TestUseKeepsSessionAliveUntilAbsoluteLimit(t *testing.T) {
	k, _, _, token := signedIn(t)
	created := k.Principal(token, client).Session.CreatedAt
	for k.Clock.Now().Add(30 * time.Minute).Before(created.Add(24 * time.Hour)) {
		k.Clock.Advance(30 * time.Minute)
		if err := authenticate(k, token); err != nil {
			t.Fatalf("used every 30 min, refused %v after sign-in: %v", k.Clock.Now().Sub(created), err)
		}
	}
	k.Clock.Advance(created.Add(24 * time.Hour).Sub(k.Clock.Now()))
	if got := twofold.ErrorCode(authenticate(k, token)); got != twofold.EUNAUTHORIZED {
		t.Fatalf("at the 24-hour limit: %q, want EUNAUTHORIZED", got)
	}
}

func TestSignOut(t *testing.T) {
	k, m, app, first := signedIn(t)
	second := k.SignInMFA(m, app, client).SessionToken
	third := k.SignInMFA(m, app, client).SessionToken

	if err := k.Session.SignOut(k.Ctx, k.Principal(first, client)); err != nil {
		t.Fatalf("SignOut: %v", err)
	}
	if got := twofold.ErrorCode(authenticate(k, first)); got != twofold.EUNAUTHORIZED {
		t.Errorf("signed-out token: %q, want EUNAUTHORIZED", got)
	}
	for _, tok := range []string{second, third} {
		if err := authenticate(k, tok); err != nil {
			t.Errorf("another session died with SignOut: %v", err)
		}
	}
	n, err := k.Session.SignOutEverywhere(k.Ctx, k.Principal(second, client))
	if err != nil || n != 2 {
		t.Fatalf("SignOutEverywhere = %d, %v; want 2 ended", n, err)
	}
	for _, tok := range []string{first, second, third} {
		if got := twofold.ErrorCode(authenticate(k, tok)); got != twofold.EUNAUTHORIZED {
			t.Errorf("after SignOutEverywhere: %q, want EUNAUTHORIZED", got)
		}
	}
	if out, all := len(k.Events(m.User.ID, twofold.ActivitySignOut)), len(k.Events(m.User.ID, twofold.ActivitySignOutEverywhere)); out != 1 || all != 1 {
		t.Errorf("audit: %d sign-outs and %d sign-outs everywhere, want 1 and 1", out, all)
	}
}

func TestSignOutEverywhereSparesOtherMembers(t *testing.T) {
	k, ada, _, adaToken := signedIn(t)
	bob := k.NewMember(ada.Org, "bob")
	_, r := k.Enrol(bob, client)
	if _, err := k.Session.SignOutEverywhere(k.Ctx, k.Principal(adaToken, client)); err != nil {
		t.Fatal(err)
	}
	if err := authenticate(k, r.SessionToken); err != nil {
		t.Errorf("bob's session after ada signed out everywhere: %v", err)
	}
}

func TestDisabledMemberIsRefused(t *testing.T) {
	k, m, _, token := signedIn(t)
	k.DisableUser(m.User.ID)
	if got := twofold.ErrorCode(authenticate(k, token)); got != twofold.EUNAUTHORIZED {
		t.Fatalf("disabled member's session: %q, want EUNAUTHORIZED", got)
	}
}

func TestBadTokens(t *testing.T) {
	k, _, _, token := signedIn(t)
	for _, bad := range []string{"", token[:len(token)-1], token + "x", strings.Repeat("A", 129), "\xff\xfe"} {
		if got := twofold.ErrorCode(authenticate(k, bad)); got != twofold.EUNAUTHORIZED {
			t.Errorf("token %.20q: %q, want EUNAUTHORIZED", bad, got)
		}
	}
}

package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// testFIDO2 covers security keys: credentials, user handles and ceremonies.
func testFIDO2(t *testing.T, f *fixture) {
	t.Run("Credentials", func(t *testing.T) { testCredentials(t, f) })
	t.Run("Handles", func(t *testing.T) { testWebAuthnHandles(t, f) })
	t.Run("Ceremonies", func(t *testing.T) { testCeremonies(t, f) })
}

func testCredentials(t *testing.T, f *fixture) {
	s := f.s
	other := f.newUser(t, f.org.ID, "eve@example.com")
	key := f.newCredential(t, f.user.ID, "cred-1", at(time.Minute))

	t.Run("RoundTrip", func(t *testing.T) {
		got, err := s.CredentialByID(t.Context(), key.CredentialID)
		must(t, "CredentialByID", err)
		same(t, "CredentialByID", *got, *key)
		bare := &twofold.Credential{MethodID: f.newFido2Method(t, f.user.ID).ID, UserID: f.user.ID,
			CredentialID: []byte("cred-bare"), PublicKey: []byte{1}, CreatedAt: at(2 * time.Minute)}
		must(t, "CreateCredential without AAGUID or flags", s.CreateCredential(t.Context(), bare))
		got, err = s.CredentialByID(t.Context(), bare.CredentialID)
		must(t, "CredentialByID", err)
		same(t, "bare credential", *got, *bare)
		list, err := s.CredentialsOf(t.Context(), f.user.ID)
		must(t, "CredentialsOf", err)
		same(t, "CredentialsOf", len(list), 2)
		same(t, "oldest first", list[0].CredentialID, key.CredentialID)
		list, err = s.CredentialsOf(t.Context(), other.ID)
		must(t, "CredentialsOf other", err)
		same(t, "CredentialsOf other", len(list), 0)
	})
	t.Run("Conflicts", func(t *testing.T) {
		// One key cannot be registered twice, nor to another member.
		dup := *key
		dup.MethodID, dup.UserID = f.newFido2Method(t, other.ID).ID, other.ID
		wantCode(t, "CreateCredential with a taken ID", s.CreateCredential(t.Context(), &dup), twofold.ECONFLICT)
		missing := *key
		missing.MethodID, missing.CredentialID = "method-missing", []byte("cred-new")
		wantCode(t, "CreateCredential without its method", s.CreateCredential(t.Context(), &missing), twofold.ENOTFOUND)
		_, err := s.CredentialByID(t.Context(), []byte("cred-missing"))
		wantCode(t, "CredentialByID missing", err, twofold.ENOTFOUND)
	})
	t.Run("Rename", func(t *testing.T) {
		must(t, "RenameCredential", s.RenameCredential(t.Context(), f.user.ID, key.MethodID, "Blue key"))
		m, err := s.MethodByID(t.Context(), f.user.ID, key.MethodID)
		must(t, "MethodByID", err)
		same(t, "name", m.Name, "Blue key")
		wantCode(t, "RenameCredential of another member", s.RenameCredential(t.Context(), other.ID, key.MethodID, "Mine"), twofold.ENOTFOUND)
		app := f.newMethod(t, f.user.ID, twofold.MethodActive, at(0))
		wantCode(t, "RenameCredential of an app", s.RenameCredential(t.Context(), f.user.ID, app.ID, "Key"), twofold.ENOTFOUND)
	})
	t.Run("SignCount", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			from, to uint32
			want     bool
		}{
			{"Forward", 5, 9, true},
			{"StaleFrom", 5, 10, false},
			{"Forward again", 9, 10, true},
		} {
			ok, err := s.UpdateSignCount(t.Context(), key.CredentialID, tc.from, tc.to, at(time.Hour))
			must(t, tc.name, err)
			same(t, tc.name, ok, tc.want)
		}
		ok, err := s.UpdateSignCount(t.Context(), []byte("cred-missing"), 0, 1, at(time.Hour))
		must(t, "UpdateSignCount missing", err)
		same(t, "UpdateSignCount missing", ok, false)
		got, err := s.CredentialByID(t.Context(), key.CredentialID)
		must(t, "CredentialByID", err)
		same(t, "SignCount", got.SignCount, uint32(10))
		same(t, "LastUsedAt", got.LastUsedAt, at(time.Hour))
		// The key's row on Security info says when it was last used.
		m, err := s.MethodByID(t.Context(), f.user.ID, key.MethodID)
		must(t, "MethodByID", err)
		same(t, "method LastUsedAt", m.LastUsedAt, at(time.Hour))
	})
	t.Run("SignCountRace", func(t *testing.T) {
		// 50 logins presenting the same assertion: exactly one moves the counter.
		c := f.newCredential(t, f.user.ID, "cred-race", at(3*time.Minute))
		results := race(t, func(int) (bool, error) {
			return s.UpdateSignCount(t.Context(), c.CredentialID, c.SignCount, c.SignCount+1, at(time.Hour))
		})
		same(t, "winners", wins(results), 1)
	})
	t.Run("CascadeOnMethodDelete", func(t *testing.T) {
		c := f.newCredential(t, f.user.ID, "cred-gone", at(4*time.Minute))
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), f.user.ID, c.MethodID))
		_, err := s.CredentialByID(t.Context(), c.CredentialID)
		wantCode(t, "CredentialByID after method delete", err, twofold.ENOTFOUND)
	})
}

func testWebAuthnHandles(t *testing.T, f *fixture) {
	s := f.s
	other := f.newUser(t, f.org.ID, "grace@example.com")
	first := bytes.Repeat([]byte{1}, 32)
	h, err := s.WebAuthnHandle(t.Context(), f.user.ID, first)
	must(t, "WebAuthnHandle", err)
	same(t, "first handle", h, first)
	h, err = s.WebAuthnHandle(t.Context(), f.user.ID, bytes.Repeat([]byte{2}, 32))
	must(t, "WebAuthnHandle again", err)
	same(t, "stable handle", h, first)
	u, err := s.UserByWebAuthnHandle(t.Context(), first)
	must(t, "UserByWebAuthnHandle", err)
	same(t, "user", u.ID, f.user.ID)
	_, err = s.UserByWebAuthnHandle(t.Context(), bytes.Repeat([]byte{2}, 32))
	wantCode(t, "UserByWebAuthnHandle of an unstored candidate", err, twofold.ENOTFOUND)
	_, err = s.WebAuthnHandle(t.Context(), "user-missing", bytes.Repeat([]byte{3}, 32))
	wantCode(t, "WebAuthnHandle of a missing user", err, twofold.ENOTFOUND)

	// Racing first calls, each with its own candidate, all get the one stored.
	got := race(t, func(i int) ([]byte, error) {
		return s.WebAuthnHandle(t.Context(), other.ID, []byte(fmt.Sprintf("candidate-%02d-of-32-bytes-long..", i)))
	})
	for i, g := range got {
		if !bytes.Equal(g, got[0]) {
			t.Fatalf("racer %d got handle %q, racer 0 %q", i, g, got[0])
		}
	}
	u, err = s.UserByWebAuthnHandle(t.Context(), got[0])
	must(t, "UserByWebAuthnHandle after race", err)
	same(t, "raced user", u.ID, other.ID)
}

func testCeremonies(t *testing.T, f *fixture) {
	s := f.s
	newCeremony := func(t *testing.T, purpose twofold.CeremonyPurpose, expires time.Time) *twofold.Ceremony {
		t.Helper()
		c := &twofold.Ceremony{ID: f.id("ceremony"), Binding: "session:s1", Purpose: purpose, UserID: f.user.ID,
			SessionData: []byte(`{"challenge":"abc"}`), CreatedAt: expires.Add(-5 * time.Minute), ExpiresAt: expires}
		must(t, "CreateCeremony", s.CreateCeremony(t.Context(), c))
		return c
	}
	now := at(0)

	t.Run("ConsumeOnce", func(t *testing.T) {
		c := newCeremony(t, twofold.CeremonyRegister, now.Add(time.Minute))
		wantCode(t, "CreateCeremony with a taken ID", s.CreateCeremony(t.Context(), c), twofold.ECONFLICT)
		got, ok, err := s.ConsumeCeremony(t.Context(), c.ID, c.Binding, c.Purpose, now)
		must(t, "ConsumeCeremony", err)
		same(t, "consumed", ok, true)
		want := *c
		want.UsedAt = now
		same(t, "ceremony", *got, want)
		_, ok, err = s.ConsumeCeremony(t.Context(), c.ID, c.Binding, c.Purpose, now)
		must(t, "ConsumeCeremony again", err)
		same(t, "consumed again", ok, false)
	})
	t.Run("Refused", func(t *testing.T) {
		c := newCeremony(t, twofold.CeremonyLogin, now.Add(time.Minute))
		for _, tc := range []struct {
			name, id, binding string
			purpose           twofold.CeremonyPurpose
			now               time.Time
		}{
			{"OtherBinding", c.ID, "session:s2", c.Purpose, now},
			{"OtherPurpose", c.ID, c.Binding, twofold.CeremonyPasskey, now},
			{"Expired", c.ID, c.Binding, c.Purpose, c.ExpiresAt},
			{"Missing", "ceremony-missing", c.Binding, c.Purpose, now},
		} {
			_, ok, err := s.ConsumeCeremony(t.Context(), tc.id, tc.binding, tc.purpose, tc.now)
			must(t, tc.name, err)
			same(t, tc.name, ok, false)
		}
		// None of the refusals used it up.
		_, ok, err := s.ConsumeCeremony(t.Context(), c.ID, c.Binding, c.Purpose, now)
		must(t, "ConsumeCeremony", err)
		same(t, "consumed after refusals", ok, true)
	})
	t.Run("Race", func(t *testing.T) {
		c := newCeremony(t, twofold.CeremonyPasskey, now.Add(time.Minute))
		results := race(t, func(int) (bool, error) {
			_, ok, err := s.ConsumeCeremony(t.Context(), c.ID, c.Binding, c.Purpose, now)
			return ok, err
		})
		same(t, "winners", wins(results), 1)
	})
	t.Run("DeleteBefore", func(t *testing.T) {
		old := newCeremony(t, twofold.CeremonyLogin, now.Add(-time.Hour))
		n, err := s.DeleteCeremoniesBefore(t.Context(), now.Add(-time.Minute))
		must(t, "DeleteCeremoniesBefore", err)
		same(t, "deleted", n, 1)
		_, ok, err := s.ConsumeCeremony(t.Context(), old.ID, old.Binding, old.Purpose, now.Add(-2*time.Hour))
		must(t, "ConsumeCeremony of deleted", err)
		same(t, "deleted ceremony consumed", ok, false)
	})
}

// newFido2Method stores an active security-key method of the user.
func (f *fixture) newFido2Method(t *testing.T, userID string) *twofold.Method {
	t.Helper()
	m := &twofold.Method{ID: f.id("method"), UserID: userID, Kind: twofold.KindFido2,
		State: twofold.MethodActive, Name: "Security key", CreatedAt: at(0), ActivatedAt: at(0)}
	must(t, "CreateMethod", f.s.CreateMethod(t.Context(), m))
	return m
}

// newCredential stores a security-key method and its credential in one
// transaction, as registration does.
func (f *fixture) newCredential(t *testing.T, userID, credID string, created time.Time) *twofold.Credential {
	t.Helper()
	c := &twofold.Credential{
		UserID:         userID,
		CredentialID:   []byte(credID),
		PublicKey:      []byte{0xa5, 0x01, 0x02, 0x03, 0x26},
		SignCount:      5,
		AAGUID:         bytes.Repeat([]byte{0xaa}, 16),
		Transports:     []string{"usb", "nfc"},
		BackupEligible: true,
		UserVerified:   true,
		Discoverable:   true,
		CreatedAt:      created,
	}
	err := f.s.InTx(t.Context(), func(ctx context.Context) error {
		m := &twofold.Method{ID: f.id("method"), UserID: userID, Kind: twofold.KindFido2,
			State: twofold.MethodActive, Name: "Security key", CreatedAt: created, ActivatedAt: created}
		if err := f.s.CreateMethod(ctx, m); err != nil {
			return err
		}
		c.MethodID = m.ID
		return f.s.CreateCredential(ctx, c)
	})
	must(t, "create credential", err)
	return c
}

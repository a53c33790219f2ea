package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func (f *fixture) newSession(t *testing.T, userID string, created, expires time.Time) *twofold.Session {
	t.Helper()
	ss := &twofold.Session{
		ID:         f.id("session"),
		TokenHash:  twofold.HashToken(f.id("token")),
		UserID:     userID,
		OrgID:      f.org.ID,
		CreatedAt:  created,
		LastSeenAt: created,
		ExpiresAt:  expires,
		PasswordAt: created,
		IP:         "2001:db8::1",
		UserAgent:  "Mozilla/5.0",
	}
	must(t, "CreateSession", f.s.CreateSession(t.Context(), ss))
	return ss
}

func testSessions(t *testing.T, f *fixture) {
	s := f.s
	other := f.newUser(t, f.org.ID, "mallory@example.com")
	get := func(t *testing.T, ss *twofold.Session) *twofold.Session {
		t.Helper()
		got, err := s.SessionByTokenHash(t.Context(), ss.TokenHash)
		must(t, "SessionByTokenHash", err)
		return got
	}

	t.Run("RoundTrip", func(t *testing.T) {
		full := &twofold.Session{ID: "session-full", TokenHash: twofold.HashToken("full"), UserID: f.user.ID,
			OrgID: f.org.ID, CreatedAt: at(0), LastSeenAt: at(time.Minute), ExpiresAt: at(time.Hour),
			PasswordAt: at(0), MFAAt: at(30 * time.Second), MFAMethod: "method-x", IP: "192.0.2.7",
			UserAgent: "curl/8", RevokedAt: at(2 * time.Minute)}
		bare := &twofold.Session{ID: "session-bare", TokenHash: twofold.HashToken("bare"), UserID: f.user.ID,
			OrgID: f.org.ID, CreatedAt: at(0), ExpiresAt: at(time.Hour)}
		for _, ss := range []*twofold.Session{full, bare} {
			must(t, "CreateSession", s.CreateSession(t.Context(), ss))
			same(t, "session "+ss.ID, *get(t, ss), *ss)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := s.SessionByTokenHash(t.Context(), twofold.HashToken("missing"))
		wantCode(t, "SessionByTokenHash", err, twofold.ENOTFOUND)
		dupToken := twofold.Session{ID: "session-dup", TokenHash: twofold.HashToken("full"), UserID: f.user.ID,
			OrgID: f.org.ID, CreatedAt: at(0), ExpiresAt: at(time.Hour)}
		wantCode(t, "CreateSession with taken token", s.CreateSession(t.Context(), &dupToken), twofold.ECONFLICT)
		orphan := dupToken
		orphan.TokenHash, orphan.UserID = twofold.HashToken("orphan"), "user-missing"
		wantCode(t, "CreateSession for missing user", s.CreateSession(t.Context(), &orphan), twofold.ENOTFOUND)
		wantCode(t, "RecordSessionMFA", s.RecordSessionMFA(t.Context(), "session-missing", "m", at(0)), twofold.ENOTFOUND)
		wantCode(t, "RevokeSession", s.RevokeSession(t.Context(), f.user.ID, "session-missing", at(0)), twofold.ENOTFOUND)
		must(t, "TouchSession of missing session", s.TouchSession(t.Context(), "session-missing", at(0)))
	})
	t.Run("List", func(t *testing.T) {
		now := at(24 * time.Hour)
		older := f.newSession(t, other.ID, now.Add(-2*time.Hour), now.Add(time.Hour))
		newer := f.newSession(t, other.ID, now.Add(-time.Hour), now.Add(time.Hour))
		f.newSession(t, other.ID, now.Add(-3*time.Hour), now)                   // expires exactly now
		f.newSession(t, other.ID, now.Add(-4*time.Hour), now.Add(-time.Second)) // expired
		revoked := f.newSession(t, other.ID, now.Add(-time.Minute), now.Add(time.Hour))
		must(t, "RevokeSession", s.RevokeSession(t.Context(), other.ID, revoked.ID, now))
		f.newSession(t, f.user.ID, now.Add(-time.Minute), now.Add(time.Hour)) // someone else's

		got, err := s.ListSessions(t.Context(), other.ID, now)
		must(t, "ListSessions", err)
		var ids []string
		for _, ss := range got {
			ids = append(ids, ss.ID)
		}
		same(t, "live sessions, newest first", ids, []string{newer.ID, older.ID})
		same(t, "listed session", *got[0], *newer)

		n, err := s.RevokeUserSessions(t.Context(), other.ID, now)
		must(t, "RevokeUserSessions", err)
		same(t, "revoked", n, 2)
		got, err = s.ListSessions(t.Context(), other.ID, now)
		must(t, "ListSessions after revoking all", err)
		same(t, "live after revoking all", len(got), 0)
		same(t, "RevokedAt", get(t, older).RevokedAt, now)
		n, err = s.RevokeUserSessions(t.Context(), other.ID, now)
		must(t, "RevokeUserSessions again", err)
		same(t, "revoked again", n, 0)
		got, err = s.ListSessions(t.Context(), f.user.ID, now)
		must(t, "ListSessions of untouched user", err)
		same(t, "untouched user's sessions", len(got), 1)
	})
	t.Run("Touch", func(t *testing.T) {
		ss := f.newSession(t, f.user.ID, at(0), at(time.Hour))
		must(t, "TouchSession", s.TouchSession(t.Context(), ss.ID, at(10*time.Minute)))
		same(t, "LastSeenAt", get(t, ss).LastSeenAt, at(10*time.Minute))
		must(t, "TouchSession back", s.TouchSession(t.Context(), ss.ID, at(5*time.Minute)))
		same(t, "LastSeenAt never moves back", get(t, ss).LastSeenAt, at(10*time.Minute))
	})
	t.Run("RecordMFA", func(t *testing.T) {
		ss := f.newSession(t, f.user.ID, at(0), at(time.Hour))
		must(t, "RecordSessionMFA", s.RecordSessionMFA(t.Context(), ss.ID, "method-1", at(time.Minute)))
		must(t, "RecordSessionMFA", s.RecordSessionMFA(t.Context(), ss.ID, "method-2", at(2*time.Minute)))
		got := get(t, ss)
		same(t, "MFA", [2]any{got.MFAMethod, got.MFAAt}, [2]any{"method-2", at(2 * time.Minute)})
	})
	t.Run("Revoke", func(t *testing.T) {
		ss := f.newSession(t, f.user.ID, at(0), at(time.Hour))
		wantCode(t, "RevokeSession by another user", s.RevokeSession(t.Context(), other.ID, ss.ID, at(time.Minute)), twofold.ENOTFOUND)
		same(t, "RevokedAt after refused revoke", get(t, ss).RevokedAt, time.Time{})
		must(t, "RevokeSession", s.RevokeSession(t.Context(), f.user.ID, ss.ID, at(time.Minute)))
		must(t, "RevokeSession again", s.RevokeSession(t.Context(), f.user.ID, ss.ID, at(2*time.Minute)))
		same(t, "RevokedAt keeps the first revocation", get(t, ss).RevokedAt, at(time.Minute))
	})
}

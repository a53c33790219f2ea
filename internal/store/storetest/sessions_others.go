package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testRevokeOtherSessions(t *testing.T, f *fixture) {
	s := f.s
	revokedAt := func(t *testing.T, ss *twofold.Session) time.Time {
		t.Helper()
		got, err := s.SessionByTokenHash(t.Context(), ss.TokenHash)
		must(t, "SessionByTokenHash", err)
		return got.RevokedAt
	}

	t.Run("KeepsOneAndOthersUsers", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "grace@example.com")
		now := at(time.Hour)
		keep := f.newSession(t, u.ID, at(0), now.Add(time.Hour))
		a := f.newSession(t, u.ID, at(0), now.Add(time.Hour))
		b := f.newSession(t, u.ID, at(time.Minute), now.Add(time.Hour))
		expired := f.newSession(t, u.ID, at(0), now) // expires exactly now
		earlier := f.newSession(t, u.ID, at(0), now.Add(time.Hour))
		must(t, "RevokeSession", s.RevokeSession(t.Context(), u.ID, earlier.ID, at(time.Minute)))
		stranger := f.newSession(t, f.user.ID, at(0), now.Add(time.Hour))

		n, err := s.RevokeOtherSessions(t.Context(), u.ID, keep.ID, now)
		must(t, "RevokeOtherSessions", err)
		same(t, "sessions revoked", n, 2)
		same(t, "kept session", revokedAt(t, keep), time.Time{})
		same(t, "other session a", revokedAt(t, a), now)
		same(t, "other session b", revokedAt(t, b), now)
		same(t, "expired session", revokedAt(t, expired), time.Time{})
		same(t, "already revoked keeps its time", revokedAt(t, earlier), at(time.Minute))
		same(t, "another member's session", revokedAt(t, stranger), time.Time{})

		live, err := s.ListSessions(t.Context(), u.ID, now)
		must(t, "ListSessions", err)
		if len(live) != 1 || live[0].ID != keep.ID {
			t.Fatalf("live sessions after revoking others: %d, want only the kept one", len(live))
		}
		n, err = s.RevokeOtherSessions(t.Context(), u.ID, keep.ID, now.Add(time.Minute))
		must(t, "RevokeOtherSessions again", err)
		same(t, "sessions revoked the second time", n, 0)
	})

	t.Run("KeepNothing", func(t *testing.T) {
		// An empty keepID revokes every live session, for a member who chose
		// to be signed out everywhere.
		u := f.newUser(t, f.org.ID, "hopper@example.com")
		for range 3 {
			f.newSession(t, u.ID, at(0), at(time.Hour))
		}
		n, err := s.RevokeOtherSessions(t.Context(), u.ID, "", at(time.Minute))
		must(t, "RevokeOtherSessions", err)
		same(t, "sessions revoked", n, 3)
	})

	t.Run("UnknownUser", func(t *testing.T) {
		n, err := s.RevokeOtherSessions(t.Context(), "user-missing", "", at(0))
		must(t, "RevokeOtherSessions of a missing user", err)
		same(t, "sessions revoked", n, 0)
	})

	t.Run("RaceRevokesEachOnce", func(t *testing.T) {
		// Every session of one member changes the password at once, each
		// keeping itself: each session is revoked by exactly one of the
		// statements (the counts add up to the number of sessions, with no
		// session counted twice) and none survives, whoever ran last.
		u := f.newUser(t, f.org.ID, "burst@example.com")
		const n = 200
		sessions := make([]*twofold.Session, n)
		for i := range sessions {
			sessions[i] = f.newSession(t, u.ID, at(0), at(time.Hour))
		}
		counts := raceN(t, n, func(i int) (int, error) {
			return s.RevokeOtherSessions(t.Context(), u.ID, sessions[i].ID, at(time.Duration(i+1)*time.Millisecond))
		})
		total := 0
		for _, c := range counts {
			total += c
		}
		same(t, "revocations counted", total, n)
		live, err := s.ListSessions(t.Context(), u.ID, at(time.Minute))
		must(t, "ListSessions", err)
		same(t, "live sessions", len(live), 0)
	})
}

func testReplacePasswordHash(t *testing.T, f *fixture) {
	s := f.s
	hash := func(t *testing.T, id string) string {
		t.Helper()
		u, err := s.UserByID(t.Context(), id)
		must(t, "UserByID", err)
		return u.PasswordHash
	}
	t.Run("OnlyFromTheCheckedHash", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "lin@example.com")
		old := hash(t, u.ID)
		ok, err := s.ReplacePasswordHash(t.Context(), u.ID, "not-the-hash", "new-1")
		must(t, "ReplacePasswordHash from a stale hash", err)
		same(t, "replaced from a stale hash", ok, false)
		same(t, "hash after a stale replace", hash(t, u.ID), old)
		ok, err = s.ReplacePasswordHash(t.Context(), u.ID, old, "new-1")
		must(t, "ReplacePasswordHash", err)
		same(t, "replaced", ok, true)
		same(t, "hash", hash(t, u.ID), "new-1")
		ok, err = s.ReplacePasswordHash(t.Context(), "user-missing", old, "new-2")
		must(t, "ReplacePasswordHash of a missing user", err)
		same(t, "replaced a missing user's", ok, false)
	})
	t.Run("RaceOneWins", func(t *testing.T) {
		// 250 changes that all checked the same current password: one
		// replaces it, and the stored hash is the winner's.
		u := f.newUser(t, f.org.ID, "race@example.com")
		old := hash(t, u.ID)
		won := raceN(t, 250, func(i int) (bool, error) {
			return s.ReplacePasswordHash(t.Context(), u.ID, old, fmt.Sprintf("new-%02d", i))
		})
		same(t, "winners", wins(won), 1)
		for i, ok := range won {
			if ok {
				same(t, "stored hash", hash(t, u.ID), fmt.Sprintf("new-%02d", i))
			}
		}
	})
}

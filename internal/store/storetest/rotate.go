package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/testkit"
)

func testRotateSession(t *testing.T, f *fixture) {
	s := f.s
	t.Run("Rotates", func(t *testing.T) {
		ss := f.newSession(t, f.user.ID, at(0), at(24*time.Hour))
		newHash := twofold.HashToken("rotated")
		must(t, "RotateSession", s.RotateSession(t.Context(), ss.ID, ss.TokenHash, newHash, "method-1", at(time.Minute)))
		_, err := s.SessionByTokenHash(t.Context(), ss.TokenHash)
		wantCode(t, "old token hash", err, twofold.ENOTFOUND)
		got, err := s.SessionByTokenHash(t.Context(), newHash)
		must(t, "SessionByTokenHash of the new hash", err)
		want := *ss
		want.TokenHash, want.MFAAt, want.MFAMethod = newHash, at(time.Minute), "method-1"
		same(t, "rotated session", *got, want)
		// The old hash no longer names it.
		wantCode(t, "second rotation from the old hash",
			s.RotateSession(t.Context(), ss.ID, ss.TokenHash, twofold.HashToken("again"), "method-1", at(time.Minute)), twofold.ENOTFOUND)
	})
	t.Run("RevokedStaysRevoked", func(t *testing.T) {
		ss := f.newSession(t, f.user.ID, at(0), at(24*time.Hour))
		must(t, "RevokeSession", s.RevokeSession(t.Context(), f.user.ID, ss.ID, at(time.Second)))
		wantCode(t, "RotateSession of a revoked session",
			s.RotateSession(t.Context(), ss.ID, ss.TokenHash, twofold.HashToken("revived"), "m", at(time.Minute)), twofold.ENOTFOUND)
		_, err := s.SessionByTokenHash(t.Context(), twofold.HashToken("revived"))
		wantCode(t, "hash of the refused rotation", err, twofold.ENOTFOUND)
	})
	t.Run("Race", func(t *testing.T) {
		// Racing step-ups of one session: one token replaces the old one, the
		// others find it gone, and no two tokens work.
		ss := f.newSession(t, f.user.ID, at(0), at(24*time.Hour))
		const n = 50
		errs := testkit.Simultaneously(n, func(i int) error {
			return s.RotateSession(t.Context(), ss.ID, ss.TokenHash, twofold.HashToken(fmt.Sprint("racer-", i)), "m", at(time.Minute))
		})
		won, live := 0, 0
		for i, err := range errs {
			switch twofold.ErrorCode(err) {
			case "":
				won++
			case twofold.ENOTFOUND:
			default:
				t.Errorf("racer %d: %v", i, err)
			}
			if _, err := s.SessionByTokenHash(t.Context(), twofold.HashToken(fmt.Sprint("racer-", i))); err == nil {
				live++
			}
		}
		same(t, "rotations that succeeded", won, 1)
		same(t, "tokens that name the session", live, 1)
	})
}

package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testTx(t *testing.T, f *fixture) {
	s := f.s
	t.Run("CommitSeesOwnWrites", func(t *testing.T) {
		sess := &twofold.Session{ID: f.id("session"), TokenHash: f.id("hash"), UserID: f.user.ID, OrgID: f.org.ID,
			CreatedAt: at(0), LastSeenAt: at(0), ExpiresAt: at(time.Hour)}
		err := s.InTx(t.Context(), func(ctx context.Context) error {
			if err := s.CreateSession(ctx, sess); err != nil {
				return err
			}
			// A read inside the transaction sees the write before it commits.
			got, err := s.SessionByTokenHash(ctx, sess.TokenHash)
			if err != nil {
				return err
			}
			same(t, "read inside", got.ID, sess.ID)
			return s.AppendAudit(ctx, &twofold.AuditEvent{Time: at(0), OrgID: f.org.ID, Activity: "tx commit", Result: twofold.ResultSuccess})
		})
		must(t, "InTx", err)
		_, err = s.SessionByTokenHash(t.Context(), sess.TokenHash)
		must(t, "session after commit", err)
		events, err := s.ListAudit(t.Context(), twofold.AuditFilter{OrgID: f.org.ID, Activity: "tx commit"})
		must(t, "ListAudit", err)
		same(t, "audit after commit", len(events), 1)
	})
	t.Run("ErrorRollsBackEverything", func(t *testing.T) {
		boom := errors.New("boom")
		fl := f.newFlow(t, f.user.ID, twofold.FlowMFARequired, at(time.Hour))
		sess := &twofold.Session{ID: f.id("session"), TokenHash: f.id("hash"), UserID: f.user.ID, OrgID: f.org.ID,
			CreatedAt: at(0), LastSeenAt: at(0), ExpiresAt: at(time.Hour)}
		err := s.InTx(t.Context(), func(ctx context.Context) error {
			ok, err := s.FinishFlow(ctx, fl.IDHash, twofold.FlowMFARequired, twofold.FlowSignedIn)
			if err != nil || !ok {
				t.Fatalf("FinishFlow in tx: %v %v", ok, err)
			}
			if err := s.CreateSession(ctx, sess); err != nil {
				return err
			}
			// A nested call joins the outer transaction and is rolled back with it.
			if err := s.InTx(ctx, func(ctx context.Context) error { _, err := s.RecordMFAFailure(ctx, f.user.ID, at(0)); return err }); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want fn's error", err)
		}
		got, err := s.FlowByIDHash(t.Context(), fl.IDHash)
		must(t, "FlowByIDHash", err)
		same(t, "flow state after rollback", got.State, twofold.FlowMFARequired)
		_, err = s.SessionByTokenHash(t.Context(), sess.TokenHash)
		wantCode(t, "session after rollback", err, twofold.ENOTFOUND)
		u, err := s.UserByID(t.Context(), f.user.ID)
		must(t, "UserByID", err)
		same(t, "MFA count after rollback", u.FailedMFA, 0)
	})
	t.Run("ConcurrentTransactionsFinishOnce", func(t *testing.T) {
		fl := f.newFlow(t, f.user.ID, twofold.FlowMFARequired, at(time.Hour))
		results := race(t, func(i int) (bool, error) {
			won := false
			err := s.InTx(t.Context(), func(ctx context.Context) error {
				ok, err := s.FinishFlow(ctx, fl.IDHash, twofold.FlowMFARequired, twofold.FlowSignedIn)
				won = ok
				return err
			})
			return won, err
		})
		same(t, "transactions that finished the flow", wins(results), 1)
	})
}

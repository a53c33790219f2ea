package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testFlows(t *testing.T, f *fixture) {
	s := f.s
	get := func(t *testing.T, idHash string) *twofold.SignInFlow {
		t.Helper()
		got, err := s.FlowByIDHash(t.Context(), idHash)
		must(t, "FlowByIDHash", err)
		return got
	}
	t.Run("RoundTrip", func(t *testing.T) {
		fl := &twofold.SignInFlow{IDHash: twofold.HashToken("rt"), UserID: f.user.ID, OrgID: f.org.ID,
			State: twofold.FlowRegistrationRequired, Attempts: 2, CreatedAt: at(0), ExpiresAt: at(10 * time.Minute),
			PasswordAt: at(0), IP: "198.51.100.4", UserAgent: "Firefox", PendingMethodID: "method-p"}
		must(t, "CreateFlow", s.CreateFlow(t.Context(), fl))
		same(t, "flow", *get(t, fl.IDHash), *fl)
		bare := &twofold.SignInFlow{IDHash: twofold.HashToken("bare"), UserID: f.user.ID, OrgID: f.org.ID,
			State: twofold.FlowMFARequired, CreatedAt: at(0), ExpiresAt: at(10 * time.Minute)}
		must(t, "CreateFlow", s.CreateFlow(t.Context(), bare))
		same(t, "bare flow", *get(t, bare.IDHash), *bare)
		wantCode(t, "CreateFlow with taken ID", s.CreateFlow(t.Context(), bare), twofold.ECONFLICT)
	})
	t.Run("NotFound", func(t *testing.T) {
		missing := twofold.HashToken("missing")
		_, err := s.FlowByIDHash(t.Context(), missing)
		wantCode(t, "FlowByIDHash", err, twofold.ENOTFOUND)
		_, _, err = s.ReserveFlowAttempt(t.Context(), missing, 5)
		wantCode(t, "ReserveFlowAttempt", err, twofold.ENOTFOUND)
		wantCode(t, "SetFlowPendingMethod", s.SetFlowPendingMethod(t.Context(), missing, "m"), twofold.ENOTFOUND)
		ok, err := s.FinishFlow(t.Context(), missing, twofold.FlowMFARequired, twofold.FlowSignedIn)
		must(t, "FinishFlow of missing flow", err)
		same(t, "FinishFlow of missing flow", ok, false)
		orphan := &twofold.SignInFlow{IDHash: twofold.HashToken("orphan"), UserID: "user-missing", OrgID: f.org.ID,
			State: twofold.FlowMFARequired, CreatedAt: at(0), ExpiresAt: at(time.Minute)}
		wantCode(t, "CreateFlow for missing user", s.CreateFlow(t.Context(), orphan), twofold.ENOTFOUND)
	})
	t.Run("Failures", func(t *testing.T) {
		fl := f.newFlow(t, f.user.ID, twofold.FlowMFARequired, at(time.Hour))
		for want := 1; want <= 3; want++ {
			n, ok, err := s.ReserveFlowAttempt(t.Context(), fl.IDHash, 3)
			must(t, "ReserveFlowAttempt", err)
			same(t, "attempts", [2]any{n, ok}, [2]any{want, true})
		}
		_, ok, err := s.ReserveFlowAttempt(t.Context(), fl.IDHash, 3)
		must(t, "ReserveFlowAttempt", err)
		same(t, "a fourth attempt reserved", ok, false)
		same(t, "stored attempts", get(t, fl.IDHash).Attempts, 3)
		must(t, "ReleaseFlowAttempt", s.ReleaseFlowAttempt(t.Context(), fl.IDHash))
		same(t, "attempts after a release", get(t, fl.IDHash).Attempts, 2)
		// A burst on a fresh flow gets exactly max places.
		burstFlow := f.newFlow(t, f.user.ID, twofold.FlowMFARequired, at(time.Hour))
		got := burstOf(t, func(int) (bool, error) {
			_, ok, err := s.ReserveFlowAttempt(t.Context(), burstFlow.IDHash, 5)
			return ok, err
		})
		same(t, "attempts reserved out of a burst", wins(got), 5)
	})
	t.Run("PendingMethod", func(t *testing.T) {
		fl := f.newFlow(t, f.user.ID, twofold.FlowRegistrationRequired, at(time.Hour))
		must(t, "SetFlowPendingMethod", s.SetFlowPendingMethod(t.Context(), fl.IDHash, "method-new"))
		same(t, "PendingMethodID", get(t, fl.IDHash).PendingMethodID, "method-new")
	})
	t.Run("Finish", func(t *testing.T) {
		fl := f.newFlow(t, f.user.ID, twofold.FlowMFARequired, at(time.Hour))
		for _, tc := range []struct {
			name     string
			from, to twofold.FlowState
			want     bool
			state    twofold.FlowState
		}{
			{"WrongFrom", twofold.FlowRegistrationRequired, twofold.FlowSignedIn, false, twofold.FlowMFARequired},
			{"Interrupt", twofold.FlowMFARequired, twofold.FlowRegistrationRequired, true, twofold.FlowRegistrationRequired},
			{"Complete", twofold.FlowRegistrationRequired, twofold.FlowSignedIn, true, twofold.FlowSignedIn},
			{"CompleteAgain", twofold.FlowRegistrationRequired, twofold.FlowSignedIn, false, twofold.FlowSignedIn},
			{"FailAfterDone", twofold.FlowMFARequired, twofold.FlowFailed, false, twofold.FlowSignedIn},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ok, err := s.FinishFlow(t.Context(), fl.IDHash, tc.from, tc.to)
				must(t, "FinishFlow", err)
				same(t, "moved", ok, tc.want)
				same(t, "state", get(t, fl.IDHash).State, tc.state)
			})
		}
	})
	t.Run("DeleteBefore", func(t *testing.T) {
		old := f.newFlow(t, f.user.ID, twofold.FlowMFARequired, at(-time.Hour))
		older := f.newFlow(t, f.user.ID, twofold.FlowSignedIn, at(-2*time.Hour))
		n, err := s.DeleteFlowsBefore(t.Context(), at(-time.Minute))
		must(t, "DeleteFlowsBefore", err)
		same(t, "deleted", n, 2)
		for _, fl := range []*twofold.SignInFlow{old, older} {
			_, err := s.FlowByIDHash(t.Context(), fl.IDHash)
			wantCode(t, "FlowByIDHash of deleted", err, twofold.ENOTFOUND)
		}
		get(t, twofold.HashToken("rt"))
	})
}

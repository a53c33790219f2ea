package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// testFailMemberFlows: a fraud report fails every waiting flow of the member
// and nobody else's, and a flow finishing at the same instant ends in exactly
// one of the two states.
func testFailMemberFlows(t *testing.T, f *fixture) {
	s := f.s
	other := f.newUser(t, f.org.ID, "bo@example.com")
	flow := func(t *testing.T, name, userID string, state twofold.FlowState) string {
		t.Helper()
		fl := &twofold.SignInFlow{IDHash: twofold.HashToken(name), UserID: userID, OrgID: f.org.ID,
			State: state, CreatedAt: at(0), ExpiresAt: at(10 * time.Minute)}
		must(t, "CreateFlow", s.CreateFlow(t.Context(), fl))
		return fl.IDHash
	}
	state := func(t *testing.T, idHash string) twofold.FlowState {
		t.Helper()
		got, err := s.FlowByIDHash(t.Context(), idHash)
		must(t, "FlowByIDHash", err)
		return got.State
	}
	t.Run("OnlyWaitingFlowsOfTheMember", func(t *testing.T) {
		mfa := flow(t, "m-mfa", f.user.ID, twofold.FlowMFARequired)
		reg := flow(t, "m-reg", f.user.ID, twofold.FlowRegistrationRequired)
		done := flow(t, "m-done", f.user.ID, twofold.FlowSignedIn)
		theirs := flow(t, "o-mfa", other.ID, twofold.FlowMFARequired)
		n, err := s.FailMemberFlows(t.Context(), f.user.ID)
		must(t, "FailMemberFlows", err)
		same(t, "flows failed", n, 2)
		same(t, "waiting for a code", state(t, mfa), twofold.FlowFailed)
		same(t, "registering", state(t, reg), twofold.FlowFailed)
		same(t, "already signed in", state(t, done), twofold.FlowSignedIn)
		same(t, "another member's", state(t, theirs), twofold.FlowMFARequired)
		n, err = s.FailMemberFlows(t.Context(), f.user.ID)
		must(t, "FailMemberFlows again", err)
		same(t, "flows failed again", n, 0)
	})
	t.Run("RacesFinishingFlows", func(t *testing.T) {
		const flows = 100
		racer := f.newUser(t, f.org.ID, "cy@example.com")
		ids := make([]string, flows)
		for i := range ids {
			ids[i] = flow(t, fmt.Sprintf("race-%d", i), racer.ID, twofold.FlowMFARequired)
		}
		// Racer 0..flows-1 each finish their flow; the other racers report fraud.
		results := raceN(t, 2*flows, func(i int) (int, error) {
			if i < flows {
				ok, err := s.FinishFlow(t.Context(), ids[i], twofold.FlowMFARequired, twofold.FlowSignedIn)
				if ok {
					return 1, err
				}
				return 0, err
			}
			return s.FailMemberFlows(t.Context(), racer.ID)
		})
		finished, failed := 0, 0
		for i, r := range results {
			if i < flows {
				finished += r
			} else {
				failed += r
			}
		}
		same(t, "flows finished plus flows failed", finished+failed, flows)
		for _, id := range ids {
			if st := state(t, id); st != twofold.FlowSignedIn && st != twofold.FlowFailed {
				t.Fatalf("a raced flow ended %q", st)
			}
		}
	})
}

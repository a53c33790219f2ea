package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// newChallenge stores a texted sign-in challenge of the fixture's member,
// created at created and expiring at expires, with the next fixture ID.
func (f *fixture) newChallenge(t *testing.T, binding string, created, expires time.Time) *twofold.Challenge {
	t.Helper()
	return f.storeChallenge(t, f.id("challenge"), binding, created, expires)
}

// storeChallenge is newChallenge with a chosen ID.
func (f *fixture) storeChallenge(t *testing.T, id, binding string, created, expires time.Time) *twofold.Challenge {
	t.Helper()
	c := &twofold.Challenge{
		ID:          id,
		UserID:      f.user.ID,
		OrgID:       f.org.ID,
		Binding:     binding,
		Purpose:     twofold.PurposeSignIn,
		Channel:     twofold.ChannelSMS,
		MethodID:    "method-phone",
		PhoneType:   twofold.PhoneMobile,
		PhoneNumber: "+14255550100",
		CodeHash:    "code-hash",
		State:       twofold.ChallengeSent,
		CreatedAt:   created,
		ExpiresAt:   expires,
		UpdatedAt:   created,
	}
	must(t, "CreateChallenge", f.s.CreateChallenge(t.Context(), c))
	return c
}

func testChallenges(t *testing.T, f *fixture) {
	s := f.s
	get := func(t *testing.T, id string) *twofold.Challenge {
		t.Helper()
		got, err := s.ChallengeByID(t.Context(), id)
		must(t, "ChallengeByID", err)
		return got
	}
	// Every challenge of this group expires at or after live, so that
	// DeleteBefore knows exactly which ones are expired.
	live := at(time.Hour)
	t.Run("RoundTrip", func(t *testing.T) {
		full := &twofold.Challenge{ID: "challenge-full", UserID: f.user.ID, OrgID: f.org.ID,
			Binding: "flow:" + twofold.HashToken("rt"), Purpose: twofold.PurposeRegister,
			Channel: twofold.ChannelSMS, MethodID: "method-old-number", PhoneType: twofold.PhoneMobile,
			PhoneNumber: "+14255550123", CodeHash: "c29tZSBoYXNo", Attempts: 2, State: twofold.ChallengeAnswered,
			Reason: "You pressed a different key.", Ref: "SM0123", CreatedAt: at(0), ExpiresAt: live,
			UpdatedAt: at(time.Second)}
		must(t, "CreateChallenge", s.CreateChallenge(t.Context(), full))
		same(t, "full challenge", *get(t, full.ID), *full)
		// A call to add an office phone: no method yet, no code, never updated.
		bare := &twofold.Challenge{ID: "challenge-bare", UserID: f.user.ID, OrgID: f.org.ID,
			Binding: "session:session-1", Purpose: twofold.PurposeReverify, Channel: twofold.ChannelVoice,
			PhoneType: twofold.PhoneOffice, PhoneNumber: "+14255550199", State: twofold.ChallengeSent,
			CreatedAt: at(0), ExpiresAt: live}
		must(t, "CreateChallenge", s.CreateChallenge(t.Context(), bare))
		same(t, "bare challenge", *get(t, bare.ID), *bare)
		wantCode(t, "CreateChallenge with taken ID", s.CreateChallenge(t.Context(), bare), twofold.ECONFLICT)
		same(t, "challenge after refused duplicate", *get(t, bare.ID), *bare)
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := s.ChallengeByID(t.Context(), "challenge-missing")
		wantCode(t, "ChallengeByID", err, twofold.ENOTFOUND)
		_, err = s.LatestChallenge(t.Context(), "flow:missing")
		wantCode(t, "LatestChallenge", err, twofold.ENOTFOUND)
		_, err = s.RecordChallengeAttempt(t.Context(), "challenge-missing")
		wantCode(t, "RecordChallengeAttempt", err, twofold.ENOTFOUND)
		wantCode(t, "SetChallengeRef", s.SetChallengeRef(t.Context(), "challenge-missing", "SM1"), twofold.ENOTFOUND)
		ok, err := s.MoveChallenge(t.Context(), "challenge-missing", []twofold.ChallengeState{twofold.ChallengeSent},
			twofold.ChallengeUsed, "", at(0))
		must(t, "MoveChallenge of missing challenge", err)
		same(t, "MoveChallenge of missing challenge", ok, false)
		orphan := &twofold.Challenge{ID: "challenge-orphan", UserID: "user-missing", OrgID: f.org.ID,
			Binding: "flow:orphan", Purpose: twofold.PurposeSignIn, Channel: twofold.ChannelSMS,
			State: twofold.ChallengeSent, CreatedAt: at(0), ExpiresAt: live}
		wantCode(t, "CreateChallenge for missing user", s.CreateChallenge(t.Context(), orphan), twofold.ENOTFOUND)
	})
	t.Run("Latest", func(t *testing.T) {
		latest := func(t *testing.T, binding string) string {
			t.Helper()
			got, err := s.LatestChallenge(t.Context(), binding)
			must(t, "LatestChallenge", err)
			return got.ID
		}
		first := f.newChallenge(t, "flow:latest", at(0), live)
		second := f.newChallenge(t, "flow:latest", at(time.Second), live)
		f.newChallenge(t, "flow:other", at(time.Minute), live)
		same(t, "latest of two", latest(t, "flow:latest"), second.ID)
		// Creation time decides, not the order of inserts.
		f.newChallenge(t, "flow:latest", at(-time.Minute), live)
		same(t, "latest after an older insert", latest(t, "flow:latest"), second.ID)
		same(t, "first still stored", get(t, first.ID).ID, first.ID)

		// At the same instant the later insert wins. The IDs sort the other way,
		// so ordering by ID would give the wrong answer.
		f.storeChallenge(t, "challenge-tie-z", "session:tie", at(0), live)
		f.storeChallenge(t, "challenge-tie-m", "session:tie", at(0), live)
		same(t, "latest of a tie", latest(t, "session:tie"), "challenge-tie-m")
		f.storeChallenge(t, "challenge-tie-a", "session:tie", at(0), live)
		same(t, "latest of a three-way tie", latest(t, "session:tie"), "challenge-tie-a")
	})
	t.Run("Attempts", func(t *testing.T) {
		c := f.newChallenge(t, "flow:attempts", at(0), live)
		for want := 1; want <= 3; want++ {
			n, err := s.RecordChallengeAttempt(t.Context(), c.ID)
			must(t, "RecordChallengeAttempt", err)
			same(t, "attempts", n, want)
		}
		same(t, "stored attempts", get(t, c.ID).Attempts, 3)
	})
	t.Run("Move", func(t *testing.T) {
		c := f.newChallenge(t, "flow:move", at(0), live)
		waiting := []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered}
		for _, tc := range []struct {
			name   string
			from   []twofold.ChallengeState
			to     twofold.ChallengeState
			reason string
			at     time.Time
			want   bool
			after  twofold.Challenge // the stored fields that may change
		}{
			{"WrongFrom", []twofold.ChallengeState{twofold.ChallengeAnswered}, twofold.ChallengeVerified, "", at(time.Second),
				false, twofold.Challenge{State: twofold.ChallengeSent, UpdatedAt: at(0)}},
			{"NoFrom", nil, twofold.ChallengeFailed, "never", at(time.Second),
				false, twofold.Challenge{State: twofold.ChallengeSent, UpdatedAt: at(0)}},
			{"Answer", []twofold.ChallengeState{twofold.ChallengeSent}, twofold.ChallengeAnswered, "", at(2 * time.Second),
				true, twofold.Challenge{State: twofold.ChallengeAnswered, UpdatedAt: at(2 * time.Second)}},
			{"FailFromAny", waiting, twofold.ChallengeFailed, "You pressed a different key.", at(3 * time.Second),
				true, twofold.Challenge{State: twofold.ChallengeFailed, Reason: "You pressed a different key.", UpdatedAt: at(3 * time.Second)}},
			{"FailAgain", waiting, twofold.ChallengeFraud, "Reported as fraud.", at(4 * time.Second),
				false, twofold.Challenge{State: twofold.ChallengeFailed, Reason: "You pressed a different key.", UpdatedAt: at(3 * time.Second)}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ok, err := s.MoveChallenge(t.Context(), c.ID, tc.from, tc.to, tc.reason, tc.at)
				must(t, "MoveChallenge", err)
				same(t, "moved", ok, tc.want)
				want := *c
				want.State, want.Reason, want.UpdatedAt = tc.after.State, tc.after.Reason, tc.after.UpdatedAt
				same(t, "challenge", *get(t, c.ID), want)
			})
		}
	})
	t.Run("Ref", func(t *testing.T) {
		c := f.newChallenge(t, "flow:ref", at(0), live)
		must(t, "SetChallengeRef", s.SetChallengeRef(t.Context(), c.ID, "CA0123456789"))
		want := *c
		want.Ref = "CA0123456789"
		same(t, "challenge", *get(t, c.ID), want)
	})
	t.Run("DeleteBefore", func(t *testing.T) {
		old := f.newChallenge(t, "flow:old", at(-2*time.Hour), at(-time.Hour))
		older := f.newChallenge(t, "flow:old", at(-3*time.Hour), at(-2*time.Hour))
		edge := f.newChallenge(t, "flow:edge", at(-time.Hour), at(-time.Minute))
		n, err := s.DeleteChallengesBefore(t.Context(), at(-time.Minute))
		must(t, "DeleteChallengesBefore", err)
		same(t, "deleted", n, 2)
		for _, c := range []*twofold.Challenge{old, older} {
			_, err := s.ChallengeByID(t.Context(), c.ID)
			wantCode(t, "ChallengeByID of deleted", err, twofold.ENOTFOUND)
		}
		_, err = s.LatestChallenge(t.Context(), "flow:old")
		wantCode(t, "LatestChallenge of deleted", err, twofold.ENOTFOUND)
		// Expiring exactly at t is not before t.
		same(t, "challenge expiring at t", get(t, edge.ID).ID, edge.ID)
		same(t, "live challenge", get(t, "challenge-full").ID, "challenge-full")
		n, err = s.DeleteChallengesBefore(t.Context(), at(-time.Minute))
		must(t, "DeleteChallengesBefore again", err)
		same(t, "deleted again", n, 0)
	})
}

package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testMessages(t *testing.T, f *fixture) {
	s := f.s
	var all []*twofold.Message
	for i := range 6 {
		m := &twofold.Message{
			ID:        fmt.Sprintf("msg-%d", i),
			OrgID:     f.org.ID,
			UserID:    f.user.ID,
			Channel:   []string{twofold.ChannelEmail, twofold.ChannelSMS}[i%2],
			To:        []string{"ada@example.com", "+14255550100"}[i%2],
			Subject:   fmt.Sprintf("Subject %d", i),
			Body:      fmt.Sprintf("Your code is %06d", i),
			CreatedAt: at(time.Duration(i) * time.Minute),
		}
		must(t, "AppendMessage", s.AppendMessage(t.Context(), m))
		all = append(all, m)
	}
	bare := &twofold.Message{ID: "msg-bare", Channel: twofold.ChannelVoice, To: "+14255550199", Body: "1 2 3",
		ChallengeID: "challenge-1", CallState: twofold.CallRinging, CreatedAt: at(time.Hour)}
	must(t, "AppendMessage", s.AppendMessage(t.Context(), bare))
	wantCode(t, "AppendMessage with taken ID", s.AppendMessage(t.Context(), bare), twofold.ECONFLICT)

	for _, tc := range []struct {
		name  string
		to    string
		limit int
		want  []*twofold.Message
	}{
		{"All", "", 100, []*twofold.Message{bare, all[5], all[4], all[3], all[2], all[1], all[0]}},
		{"AllLimited", "", 2, []*twofold.Message{bare, all[5]}},
		{"ZeroLimitMeansDefault", "", 0, []*twofold.Message{bare, all[5], all[4], all[3], all[2], all[1], all[0]}},
		{"To", "ada@example.com", 10, []*twofold.Message{all[4], all[2], all[0]}},
		{"ToLimited", "+14255550100", 1, []*twofold.Message{all[5]}},
		{"ToNobody", "nobody@example.com", 10, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListMessages(t.Context(), tc.to, tc.limit)
			must(t, "ListMessages", err)
			same(t, "messages", got, tc.want)
		})
	}
	t.Run("ByID", func(t *testing.T) {
		for _, m := range []*twofold.Message{bare, all[0], all[1]} {
			got, err := s.MessageByID(t.Context(), m.ID)
			must(t, "MessageByID", err)
			same(t, "MessageByID", *got, *m)
		}
		_, err := s.MessageByID(t.Context(), "msg-missing")
		wantCode(t, "MessageByID of missing message", err, twofold.ENOTFOUND)
	})
	t.Run("MoveCall", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			id       string
			from, to twofold.CallState
			want     bool
			state    twofold.CallState
		}{
			{"WrongFrom", bare.ID, twofold.CallAnswered, twofold.CallEnded, false, twofold.CallRinging},
			{"Answer", bare.ID, twofold.CallRinging, twofold.CallAnswered, true, twofold.CallAnswered},
			{"AnswerAgain", bare.ID, twofold.CallRinging, twofold.CallAnswered, false, twofold.CallAnswered},
			{"HangUp", bare.ID, twofold.CallAnswered, twofold.CallEnded, true, twofold.CallEnded},
			{"Missing", "msg-missing", twofold.CallRinging, twofold.CallEnded, false, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ok, err := s.MoveCall(t.Context(), tc.id, tc.from, tc.to)
				must(t, "MoveCall", err)
				same(t, "moved", ok, tc.want)
				if tc.state == "" {
					return
				}
				got, err := s.MessageByID(t.Context(), tc.id)
				must(t, "MessageByID", err)
				want := *bare
				want.CallState = tc.state
				same(t, "call", *got, want)
			})
		}
	})
}

func testPing(t *testing.T, f *fixture) {
	must(t, "Ping", f.s.Ping(t.Context()))
}

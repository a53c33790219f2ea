package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Texts and calls under bursts: the throttles hold against
// parallel requests, and a texted code is single-use under 50 parallel
// identical submissions, on SQLite and PostgreSQL.

const (
	// A refusal says when to ask again: after the back-off or the daily limit.
	limitTexts = "You can ask for another text in "
	limitCalls = "You can ask for another call in "
)

// TestPhoneThrottleBurst sends 40 simultaneous "text me" requests on one flow:
// some are refused with the documented sentence, and never more texts reach
// the number than the organization's daily limit per number.
func TestPhoneThrottleBurst(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		clearOfMidnight(t, 3*time.Minute)
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		// Tighter than the back-off (3 sends at once, then 30 s), so the daily
		// limit is what holds the burst.
		const perNumber = 2
		cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--sends-per-number", strconv.Itoa(perNumber))
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		const number = "+1 4255550130"
		m, mobile := phoneMember(t, s, c, ob, "bo", number, "oath")
		a := c.signIn(t, m)
		before := len(auditLog(t, s))

		tally := textBurst(t, c, 40, a.FlowID, mobile.ID)
		if postgres {
			// The counters are in the database: a replica's burst adds to them.
			b := startServer(t, serverOptions{ReplicaOf: s})
			for k, v := range textBurst(t, newAPIClient(t, b), 20, a.FlowID, mobile.ID) {
				tally[k] += v
			}
		}
		t.Logf("simultaneous text requests: %v", tally)
		if tally["429 limit"] == 0 || tally["202 sent"] == 0 {
			t.Errorf("want some texts sent and some refused, got %v", tally)
		}
		texts := ob.of(e164(number), "sms")
		if len(texts) > perNumber {
			t.Errorf("%d texts reached %s, over the daily limit of %d per number", len(texts), number, perNumber)
		}
		if len(texts) != 1+tally["202 sent"] {
			t.Errorf("%d texts in the outbox, want the registration's and one per 202 (%d)", len(texts), tally["202 sent"])
		}
		refused := auditCount(newerThan(auditLog(t, s), before), m.Username, "Phone verification", "failure", "not sent")
		if refused != tally["429 limit"] {
			t.Errorf("%d refused sends audited, want one per 429 (%d)", refused, tally["429 limit"])
		}

		// Calls to the number are throttled with their own sentence.
		limited := false
		for range 4 {
			r := c.do("POST", "/signin/"+a.FlowID+"/challenge", map[string]string{"methodId": mobile.ID, "preference": "voiceMobile"})
			if r.Status == http.StatusAccepted {
				continue
			}
			if e := r.apiErr(t, http.StatusTooManyRequests, "too_many_requests", ""); !strings.Contains(e.Error.Message, limitCalls) {
				t.Errorf("a refused call says %q, want %q", e.Error.Message, limitCalls)
			}
			limited = true
			break
		}
		if !limited {
			t.Errorf("four calls in a row to %s after the burst were all placed", number)
		}
		if got := len(ob.messages(e164(number))); got > perNumber {
			t.Errorf("%d texts and calls reached %s, over the daily limit of %d", got, number, perNumber)
		}
	})
}

// textBurst sends n simultaneous "text me" choices on a flow and tallies the
// answers, checking each: 202 with the text, or 429 with the sentence.
func textBurst(t *testing.T, c *apiClient, n int, flowID, methodID string) map[string]int {
	t.Helper()
	tally := map[string]int{}
	for _, r := range c.simultaneous(t, n, "POST", "/signin/"+flowID+"/challenge",
		map[string]string{"methodId": methodID, "preference": "sms"}) {
		switch r.Status {
		case http.StatusAccepted:
			var got signInAnswer
			r.decode(t, &got)
			if got.Challenge == nil || got.Challenge.Channel != "sms" {
				t.Errorf("a 202 without the text: %s", r)
			}
			tally["202 sent"]++
		case http.StatusTooManyRequests:
			if e := r.apiErr(t, http.StatusTooManyRequests, "too_many_requests", ""); !strings.Contains(e.Error.Message, limitTexts) {
				t.Errorf("429 says %q, want %q", e.Error.Message, limitTexts)
			}
			if r.Header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After: %s", r)
			}
			tally["429 limit"]++
		default:
			t.Errorf("unexpected answer: %s", r)
			tally[strconv.Itoa(r.Status)]++
		}
	}
	return tally
}

// TestPhoneParallelTextCodes submits one texted code 50 times at once on one
// flow: exactly one sign-in.
func TestPhoneParallelTextCodes(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		const number = "+1 4255550131"
		m, mobile := phoneMember(t, s, c, ob, "pat", number, "sms")
		a := c.signIn(t, m)
		if a.Challenge == nil || a.Challenge.Channel != "sms" {
			t.Fatalf("sign-in: %+v, want the text sent", a)
		}
		code := ob.code(e164(number))
		before := len(auditLog(t, s))

		const n = 50
		tally := map[string]int{}
		var tokens []string
		for _, r := range c.simultaneous(t, n, "POST", "/signin/"+a.FlowID+"/verify",
			map[string]string{"methodId": mobile.ID, "code": code}) {
			switch r.Status {
			case http.StatusOK:
				var got signInAnswer
				r.decode(t, &got)
				tokens = append(tokens, got.SessionToken)
			case http.StatusConflict:
				r.apiErr(t, http.StatusConflict, "conflict", "")
			case http.StatusGone:
				r.apiErr(t, http.StatusGone, "expired", "")
			default:
				t.Errorf("unexpected answer: %s", r)
			}
			tally[strconv.Itoa(r.Status)]++
		}
		t.Logf("%d identical texted codes: %v", n, tally)
		if len(tokens) != 1 {
			t.Fatalf("%d of %d identical submissions signed in, want exactly 1 (%v)", len(tokens), n, tally)
		}
		var sessions sessionList
		c.do("GET", "/me/sessions", nil, bearerToken(tokens[0])).want(t, http.StatusOK).decode(t, &sessions)
		if len(sessions.Value) != 2 {
			t.Errorf("%d sessions, want 2 (the interrupt's and the one winner)", len(sessions.Value))
		}
		if wins := auditCount(newerThan(auditLog(t, s), before), m.Username, "Sign-in", "success", "texted code"); wins != 1 {
			t.Errorf("the audit log records %d sign-ins by text from the burst, want 1", wins)
		}
		c.do("GET", "/signin/"+a.FlowID, nil).apiErr(t, http.StatusGone, "expired", "")
	})
}

// clearOfMidnight waits out the last minutes of a UTC day. The phone
// throttles count per UTC day, so a test that counts sends against a daily
// limit must not straddle midnight, when every daily count starts again.
func clearOfMidnight(t *testing.T, margin time.Duration) {
	t.Helper()
	now := time.Now().UTC()
	left := now.Truncate(24 * time.Hour).Add(24 * time.Hour).Sub(now)
	if left > margin {
		return
	}
	t.Logf("%s to midnight UTC, when the daily throttles start again: waiting for it", left.Round(time.Second))
	time.Sleep(left + time.Second)
}

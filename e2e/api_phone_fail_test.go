package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPhoneCallFailures: a sign-in call that gets another key, is hung up or
// is never answered fails with the reason, call/complete refuses
// it with a clear error, the audit log records it, and the member can still
// choose another way on the same flow.
func TestPhoneCallFailures(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		for _, tc := range []struct {
			local, number string
			act           func(ob *outboxReader, call outboxItem)
			reason        string // the challenge's reason, for people
		}{
			{"wren", "+1 4255550110", func(ob *outboxReader, call outboxItem) { ob.answer(call); ob.press(call, "1") },
				"You pressed a different key. When the call asks, press # (the pound key)."},
			{"hana", "+1 4255550111", func(ob *outboxReader, call outboxItem) { ob.answer(call); ob.hangUp(call) },
				"The call ended before you pressed #."},
			{"dex", "+1 4255550112", func(ob *outboxReader, call outboxItem) { ob.hangUp(call) }, // declined while ringing
				"You didn't answer the call."},
		} {
			t.Run(tc.local, func(t *testing.T) {
				c, ob := c.withT(t), ob.withT(t)
				m, _ := phoneMember(t, s, c, ob, tc.local, tc.number, "voiceMobile")
				a := c.signIn(t, m)
				if a.Challenge == nil || a.Challenge.Channel != "voice" {
					t.Fatalf("sign-in: %+v, want the call placed", a)
				}
				tc.act(ob, ob.newest(e164(tc.number), "voice"))
				ch := c.challengeOf(t, a.FlowID)
				if ch.State != "failed" || ch.Reason != tc.reason {
					t.Errorf("challenge %+v, want failed with %q", ch, tc.reason)
				}
				e := c.do("POST", "/signin/"+a.FlowID+"/call/complete", nil).apiErr(t, http.StatusGone, "expired", "")
				if !strings.HasPrefix(e.Error.Message, tc.reason) {
					t.Errorf("call/complete said %q, want it to start with %q", e.Error.Message, tc.reason)
				}
				// The flow is not used up: the member signs in another way.
				var st signInAnswer
				c.do("GET", "/signin/"+a.FlowID, nil).want(t, http.StatusOK).decode(t, &st)
				if st.Status != "mfa_required" || st.Challenge == nil || st.Challenge.State != "failed" {
					t.Errorf("the flow after a failed call: %+v", st)
				}
				tok := c.verify(t, a.FlowID, m.methodID, aheadCode(t, m.app))
				c.do("GET", "/me", nil, bearerToken(tok)).want(t, http.StatusOK)
				log := auditLog(t, s)
				wantAudit(t, log, m.Username, "Phone verification", "failure", "call to "+maskOf(tc.number)+" (signin): "+tc.reason, 1)
				if n := auditCount(log, m.Username, "Sign-in", "success", "verification call"); n != 0 {
					t.Errorf("a failed call signed %s in (%d audit events)", m.Username, n)
				}
			})
		}
	})
}

// TestPhoneFraud: 0# during a sign-in call denies the sign-in,
// blocks the member's second factor until an admin lifts it, tells the
// admins and the member, and is audited; `twofold user unblock` lifts it.
func TestPhoneFraud(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		admin := &apiMember{Username: "ada@" + apiOrg.Domain}
		cli(t, s, "Quiet-Harbor-48213\n", "user", "create", "--username", admin.Username, "--display-name", "Ada Admin",
			"--role", "admin", "--password-stdin")
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		const number = "+1 4255550114"
		fay, mobile := phoneMember(t, s, c, ob, "fay", number, "voiceMobile")
		before := len(ob.mail(admin.Username))

		a := c.signIn(t, fay)
		ob.pickUpAndPress(e164(number), "0#")
		if ch := c.challengeOf(t, a.FlowID); ch.State != "fraud" || ch.Reason == "" {
			t.Errorf("after 0# the challenge is %+v, want fraud with a reason", ch)
		}
		// The sign-in is denied: nothing finishes it.
		c.do("POST", "/signin/"+a.FlowID+"/call/complete", nil).apiErr(t, http.StatusForbidden, "forbidden", "")
		c.do("POST", "/signin/"+a.FlowID+"/verify", map[string]string{"methodId": mobile.ID, "code": "123456"}).
			apiErr(t, http.StatusGone, "expired", "")
		c.do("GET", "/signin/"+a.FlowID, nil).apiErr(t, http.StatusGone, "expired", "")

		// A new sign-in: the password is right, but the block stops it there, with
		// no second-factor step that could only fail and no call placed.
		e := c.do("POST", "/signin", map[string]string{"username": fay.Username, "password": fay.Password}).
			apiErr(t, http.StatusForbidden, "forbidden", "")
		if !strings.Contains(e.Error.Message, "blocked") {
			t.Errorf("sign-in while blocked says %q, want that verification is blocked", e.Error.Message)
		}
		if n := len(ob.of(e164(number), "voice")); n != 1 {
			t.Errorf("%d calls to %s, want 1: the blocked sign-in placed a call", n, number)
		}

		// The admin was alerted, the member told, the audit log has it.
		alerts := ob.mail(admin.Username)
		if len(alerts) != before+1 || !strings.Contains(alerts[0].Subject, "Fraud reported by "+fay.Username) ||
			!strings.Contains(alerts[0].Body, maskOf(number)) || strings.Contains(alerts[0].Body, strings.TrimPrefix(e164(number), "+1")) {
			t.Errorf("admin alerts %+v, want one new, about %s, number masked", alerts, fay.Username)
		}
		if notes := ob.mail(fay.Username); len(notes) == 0 || !strings.Contains(notes[0].Body, "reported a verification call") {
			t.Errorf("the member's newest notice is not about the fraud report: %+v", notes)
		}
		log := auditLog(t, s)
		wantAudit(t, log, fay.Username, "Fraud reported – user is blocked for MFA", "success", "0#", 1)

		// An admin lifts the block; the next sign-in by call works.
		out := cli(t, s, "", "user", "unblock", "--username", fay.Username)
		if !strings.Contains(out, "unblocked") {
			t.Errorf("user unblock printed %q", out)
		}
		d := c.signIn(t, fay)
		if d.Challenge == nil || d.SendError != nil {
			t.Fatalf("sign-in after unblock: %+v, want the call placed", d)
		}
		ob.pickUpAndPress(e164(number), "#")
		tok := c.completeCall(t, d.FlowID)
		c.do("GET", "/me", nil, bearerToken(tok)).want(t, http.StatusOK)
		wantAudit(t, auditLog(t, s), fay.Username, "Admin unblocked MFA", "success", "", 1)
	})
}

// TestPhoneCallTimeout: a sign-in call that gets no "#" within
// TWOFOLD_CALL_TIMEOUT (here its shortest, 30 s) fails with the timeout's
// reason, whether the waiting client asks first or a late "#" arrives
// first; the late "#" signs nobody in, and the failure is audited.
func TestPhoneCallTimeout(t *testing.T) {
	t.Parallel()
	const timeout = 30 * time.Second
	const reason = "We didn't hear back from the call in time."
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres, Env: []string{"TWOFOLD_CALL_TIMEOUT=" + timeout.String()}})
		seedOrg(t, s)
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		ringing, _ := phoneMember(t, s, c, ob, "ike", "+1 4255550115", "voiceMobile") // nobody answers
		late, _ := phoneMember(t, s, c, ob, "jun", "+1 4255550116", "voiceMobile")    // "#" after the timeout
		a, b := c.signIn(t, ringing), c.signIn(t, late)
		placed := time.Now()
		if ch := c.challengeOf(t, a.FlowID); ch.State != "sent" {
			t.Fatalf("right after the call was placed the challenge is %+v, want sent", ch)
		}
		time.Sleep(time.Until(placed.Add(timeout + time.Second)))

		// The waiting client asks first: the timeout is settled on read.
		if ch := c.challengeOf(t, a.FlowID); ch.State != "failed" || ch.Reason != reason {
			t.Errorf("an unanswered call after the timeout: %+v, want failed with %q", ch, reason)
		}
		// The "#" comes first: too late, it verifies nothing.
		ob.pickUpAndPress(e164("+1 4255550116"), "#")
		if ch := c.challengeOf(t, b.FlowID); ch.State != "failed" || ch.Reason != reason {
			t.Errorf("a call answered with # after the timeout: %+v, want failed with %q", ch, reason)
		}
		for _, f := range []string{a.FlowID, b.FlowID} {
			e := c.do("POST", "/signin/"+f+"/call/complete", nil).apiErr(t, http.StatusGone, "expired", "")
			if !strings.HasPrefix(e.Error.Message, reason) {
				t.Errorf("call/complete after the timeout said %q, want it to start with %q", e.Error.Message, reason)
			}
		}
		log := auditLog(t, s)
		for _, m := range []struct {
			who    *apiMember
			number string
		}{{ringing, "+1 4255550115"}, {late, "+1 4255550116"}} {
			wantAudit(t, log, m.who.Username, "Phone verification", "failure", "call to "+maskOf(m.number)+" (signin): "+reason, 1)
			if n := auditCount(log, m.who.Username, "Sign-in", "success", "verification call"); n != 0 {
				t.Errorf("a timed-out call signed %s in (%d audit events)", m.who.Username, n)
			}
		}
	})
}

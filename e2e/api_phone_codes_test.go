package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestPhoneTextCodes: a texted code is bound to the flow that asked for it,
// and dies after 5 wrong tries, so a sixth try fails even with the right code,
// at sign-in and when verifying a new number.
func TestPhoneTextCodes(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)

		t.Run("bound to its flow", func(t *testing.T) {
			c, ob := c.withT(t), ob.withT(t)
			const number = "+1 4255550120"
			m, mobile := phoneMember(t, s, c, ob, "cody", number, "oath")
			a := c.signIn(t, m)
			if a.Challenge != nil {
				t.Errorf("the app is the default, yet the sign-in sent %+v", a.Challenge)
			}
			c.choose(t, a.FlowID, mobile.ID, "sms")
			codeA := ob.code(e164(number))
			b := c.signIn(t, m)
			c.choose(t, b.FlowID, mobile.ID, "sms")
			codeB := ob.code(e164(number))
			if codeA == codeB {
				t.Skip("both flows got the same code by chance (one in a million)")
			}
			for _, x := range []struct{ flow, code string }{{b.FlowID, codeA}, {a.FlowID, codeB}} {
				c.do("POST", "/signin/"+x.flow+"/verify", map[string]string{"methodId": mobile.ID, "code": x.code}).
					apiErr(t, http.StatusBadRequest, "invalid_request", "code")
			}
			for _, x := range []struct{ flow, code string }{{b.FlowID, codeB}, {a.FlowID, codeA}} {
				tok := c.verify(t, x.flow, mobile.ID, x.code)
				c.do("GET", "/me", nil, bearerToken(tok)).want(t, http.StatusOK)
			}
			wantAudit(t, auditLog(t, s), m.Username, "Sign-in", "failure", "wrong texted code", 2)
		})

		t.Run("dies after five wrong tries", func(t *testing.T) {
			c, ob := c.withT(t), ob.withT(t)
			const number, newNumber = "+1 4255550121", "+1 4255550122"
			m, mobile := phoneMember(t, s, c, ob, "sixto", number, "sms")
			token := m.token

			// At sign-in: the sms default is texted at once.
			a := c.signIn(t, m)
			if a.Challenge == nil || a.Challenge.Channel != "sms" || a.Challenge.MethodID != mobile.ID {
				t.Fatalf("sign-in: %+v, want the text sent", a)
			}
			code := ob.code(e164(number))
			for i := 1; i <= 4; i++ {
				c.do("POST", "/signin/"+a.FlowID+"/verify", map[string]string{"methodId": mobile.ID, "code": otherCode(code, i)}).
					apiErr(t, http.StatusBadRequest, "invalid_request", "code")
			}
			c.do("POST", "/signin/"+a.FlowID+"/verify", map[string]string{"methodId": mobile.ID, "code": otherCode(code, 5)}).
				apiErr(t, http.StatusGone, "expired", "")
			c.do("POST", "/signin/"+a.FlowID+"/verify", map[string]string{"methodId": mobile.ID, "code": code}).
				apiErr(t, http.StatusGone, "expired", "")
			c.do("GET", "/signin/"+a.FlowID, nil).apiErr(t, http.StatusGone, "expired", "")
			log := auditLog(t, s)
			wantAudit(t, log, m.Username, "Sign-in", "failure", "wrong texted code", 5)
			if n := auditCount(log, m.Username, "Sign-in", "success", "texted code"); n != 0 {
				t.Errorf("%d sign-ins by text after five wrong codes", n)
			}

			// Verifying a new number: the code dies on its own after 5.
			v := c.startPhone(t, token, "PATCH", phonePath+"/"+mobile.ID, map[string]string{
				"phoneNumber": newNumber, "verificationMethod": "sms"})
			code = ob.code(e164(newNumber))
			complete := func(code string) *apiResp {
				return c.do("POST", phonePath+"/verifications/"+v.ID+"/complete", map[string]string{"code": code}, bearerToken(token))
			}
			for i := 1; i <= 4; i++ {
				complete(otherCode(code, i)).apiErr(t, http.StatusBadRequest, "invalid_request", "code")
			}
			e := complete(otherCode(code, 5)).apiErr(t, http.StatusGone, "expired", "")
			if !strings.Contains(e.Error.Message, "too many wrong codes") {
				t.Errorf("the fifth wrong code: %q, want it to say too many wrong codes", e.Error.Message)
			}
			complete(code).apiErr(t, http.StatusGone, "expired", "")
			if got := c.verification(t, token, v.ID); got.State != "failed" || got.Reason != "That was too many wrong codes." {
				t.Errorf("verification after six tries: %+v", got)
			}
			var p phoneMethod
			c.do("GET", phonePath+"/"+mobile.ID, nil, bearerToken(token)).want(t, http.StatusOK).decode(t, &p)
			if p.PhoneNumber != number {
				t.Errorf("the phone's number is %s, want still %s", p.PhoneNumber, number)
			}
			wantAudit(t, auditLog(t, s), m.Username, "Phone verification", "failure", "(register): That was too many wrong codes.", 1)
		})
	})
}

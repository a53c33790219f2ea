package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestPhoneJourney is a native client's life with phones: a
// mobile added by call with the article's number and extension, an office
// phone, the mobile's number changed by text, sign-in with the call placed at
// once and with "Sign in another way" by text, the default moving on a delete,
// and the audit log after. Until the sign-in is finished, no answer holds a
// full number.
func TestPhoneJourney(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		c, ob := newAPIClient(t, s), newOutboxReader(t, s)
		c.registerByInterrupt(t, alex, "")
		tok := alex.token
		const (
			typed  = "+1 4255551234X12345" // the article's number with an extension
			first  = "+1 4255551234"
			office = "+1 4255550155"
			second = "+1 4255550123" // the mobile's new number
		)

		// 1. A mobile by call: the extension is removed and the member told.
		v := c.startPhone(t, tok, "POST", phonePath, map[string]string{
			"phoneNumber": typed, "phoneType": "mobile", "verificationMethod": "voice"})
		if v.PhoneNumber != first || v.ExtensionRemoved != "12345" {
			t.Errorf("verification %+v, want phoneNumber %q and extensionRemoved 12345", v, first)
		}
		call := ob.ringing(e164(first))
		if call.To != "+14255551234" || call.ChallengeID != v.ID {
			t.Errorf("the call went to %q for challenge %q, want +14255551234 (no extension) for %s", call.To, call.ChallengeID, v.ID)
		}
		for _, m := range ob.messages("") {
			if strings.Contains(m.To+m.Body, "12345") {
				t.Errorf("the extension reached the outbox: %+v", m)
			}
		}
		c.do("POST", phonePath+"/verifications/"+v.ID+"/complete", map[string]string{}, bearerToken(tok)).
			apiErr(t, http.StatusConflict, "conflict", "")
		ob.answer(call)
		if got := c.verification(t, tok, v.ID); got.State != "answered" {
			t.Errorf("after answering: %+v, want answered", got)
		}
		ob.press(call, "#")
		if got := c.verification(t, tok, v.ID); got.State != "verified" {
			t.Errorf("after #: %+v, want verified", got)
		}
		mobile := c.completePhone(t, tok, v.ID, "", http.StatusCreated)
		if mobile.PhoneNumber != first || mobile.PhoneType != "mobile" {
			t.Errorf("the new phone is %+v, want %s mobile", mobile, first)
		}
		c.do("POST", phonePath+"/verifications/"+v.ID+"/complete", nil, bearerToken(tok)).
			apiErr(t, http.StatusNotFound, "not_found", "") // used: no call waiting any more

		// 2. An office phone by call; texts are not for office phones.
		c.do("POST", phonePath, map[string]string{"phoneNumber": office, "phoneType": "office", "verificationMethod": "sms"},
			bearerToken(tok)).apiErr(t, http.StatusBadRequest, "invalid_request", "verificationMethod")
		v = c.startPhone(t, tok, "POST", phonePath, map[string]string{
			"phoneNumber": office, "phoneType": "office", "verificationMethod": "voice"})
		ob.pickUpAndPress(e164(office), "#")
		desk := c.completePhone(t, tok, v.ID, "", http.StatusCreated)
		if desk.PhoneNumber != office || desk.PhoneType != "office" {
			t.Errorf("the office phone is %+v", desk)
		}

		// 3. The mobile's number changed by text: the old one holds until the code.
		v = c.startPhone(t, tok, "PATCH", phonePath+"/"+mobile.ID, map[string]string{
			"phoneNumber": second, "verificationMethod": "sms"})
		if v.PhoneNumber != second || v.ExtensionRemoved != "" {
			t.Errorf("change verification %+v", v)
		}
		var still phoneMethod
		c.do("GET", phonePath+"/"+mobile.ID, nil, bearerToken(tok)).want(t, http.StatusOK).decode(t, &still)
		if still.PhoneNumber != first {
			t.Errorf("before the code the phone is %+v, want still %s", still, first)
		}
		changed := c.completePhone(t, tok, v.ID, ob.code(e164(second)), http.StatusOK)
		if changed.ID != mobile.ID || changed.PhoneNumber != second || changed.PhoneType != "mobile" {
			t.Errorf("the changed phone is %+v, want %s with %s", changed, mobile.ID, second)
		}
		list := c.methods(t, tok)
		if len(list) != 3 || list[1].ID != mobile.ID || list[1].PhoneNumber != second || list[1].ODataType != "#microsoft.graph.phoneAuthenticationMethod" ||
			list[2].PhoneType != "office" || list[2].SMSSignInState != "notSupported" || list[0].PhoneNumber != "" {
			t.Errorf("methods = %+v, want the app, the mobile with %s and the office phone", list, second)
		}

		// 4. Default: call the mobile. Sign out, sign in: the call rings at once.
		c.setPreferred(t, tok, "voiceMobile")
		c.do("POST", "/me/signOut", nil, bearerToken(tok)).want(t, http.StatusNoContent)
		c.mu.Lock()
		c.rec = true
		c.mu.Unlock()
		a := c.signIn(t, alex)
		if a.Status != "mfa_required" || a.DefaultMethod != "voiceMobile" || a.SendError != nil || a.Challenge == nil ||
			a.Challenge.MethodID != mobile.ID || a.Challenge.Channel != "voice" || a.Challenge.State != "sent" || a.Challenge.MaskedNumber != maskOf(second) {
			t.Fatalf("sign-in: %+v (challenge %+v), want mfa_required with a call to %s ringing", a, a.Challenge, maskOf(second))
		}
		checkPhoneOptions(t, a, alex, mobile.ID, desk.ID, second, office)
		c.do("POST", "/signin/"+a.FlowID+"/call/complete", nil).apiErr(t, http.StatusConflict, "conflict", "")
		call = ob.ringing(e164(second))
		ob.answer(call)
		if ch := c.challengeOf(t, a.FlowID); ch.State != "answered" || ch.MaskedNumber != maskOf(second) {
			t.Errorf("challenge after answering: %+v", ch)
		}
		ob.press(call, "#")
		if ch := c.challengeOf(t, a.FlowID); ch.State != "verified" {
			t.Errorf("challenge after #: %+v, want verified", ch)
		}
		tok = c.completeCall(t, a.FlowID)
		c.do("POST", "/signin/"+a.FlowID+"/call/complete", nil).apiErr(t, http.StatusGone, "expired", "")
		c.do("GET", "/me", nil, bearerToken(tok)).want(t, http.StatusOK)

		// 5. Again with the office phone as default (its call rings at once),
		// then "Sign in another way": a text to the mobile. The office call,
		// answered late, no longer finishes the sign-in.
		c.setPreferred(t, tok, "voiceOffice")
		a = c.signIn(t, alex)
		if a.Challenge == nil || a.Challenge.MethodID != desk.ID || a.Challenge.Channel != "voice" {
			t.Fatalf("sign-in with the office default: %+v, want its call ringing", a)
		}
		late := ob.ringing(e164(office))
		a = c.choose(t, a.FlowID, mobile.ID, "sms")
		if a.Challenge.Channel != "sms" || a.Challenge.MaskedNumber != maskOf(second) {
			t.Errorf("challenge after choosing a text: %+v", a.Challenge)
		}
		ob.answer(late)
		ob.press(late, "#")
		c.do("POST", "/signin/"+a.FlowID+"/call/complete", nil).apiErr(t, http.StatusNotFound, "not_found", "")
		tok = c.verify(t, a.FlowID, mobile.ID, ob.code(e164(second)))
		c.mu.Lock()
		c.rec = false
		seen := c.seen
		c.mu.Unlock()

		// Before the sign-in was finished, no answer held a full number.
		for _, r := range seen {
			if !strings.HasPrefix(r.Path, apiPrefix+"/signin") {
				continue
			}
			for _, n := range []string{first, second, office} {
				if national := strings.TrimPrefix(e164(n), "+1"); strings.Contains(string(r.Body), national) {
					t.Errorf("a pre-sign-in answer shows the full number %s: %s", n, r)
				}
			}
		}

		// 6. Delete the app, then the mobile (the default): the office call is next.
		c.setPreferred(t, tok, "voiceMobile")
		c.do("DELETE", "/me/authentication/methods/"+alex.methodID, nil, bearerToken(tok)).want(t, http.StatusNoContent)
		if p := c.preferred(t, tok); p != "voiceMobile" {
			t.Errorf("default after deleting the app = %q, want voiceMobile", p)
		}
		c.do("DELETE", phonePath+"/"+mobile.ID, nil, bearerToken(tok)).want(t, http.StatusNoContent)
		if p := c.preferred(t, tok); p != "voiceOffice" {
			t.Errorf("default after deleting the mobile = %q, want voiceOffice", p)
		}
		var phones struct {
			Value []phoneMethod `json:"value"`
		}
		c.do("GET", phonePath, nil, bearerToken(tok)).want(t, http.StatusOK).decode(t, &phones)
		if len(phones.Value) != 1 || phones.Value[0].ID != desk.ID {
			t.Errorf("phones after deleting the mobile: %+v, want only the office phone", phones.Value)
		}

		// 7. The audit log and the member's notices.
		log := auditLog(t, s)
		u := alex.Username
		wantAudit(t, log, u, "User registered security info", "success", "phone", 2)
		wantAudit(t, log, u, "User updated security info", "success", "phone "+mobile.ID, 1)
		wantAudit(t, log, u, "User deleted security info", "success", "phone "+mobile.ID, 1)
		wantAudit(t, log, u, "User changed default security info", "success", "", 1)
		wantAudit(t, log, u, "Sign-in", "success", "verification call", 1)
		wantAudit(t, log, u, "Sign-in", "success", "texted code", 1)
		wantAudit(t, log, u, "Phone verification", "success", "#", 3)
		var notices []string
		for _, m := range ob.mail(u) {
			notices = append(notices, m.Body)
		}
		all := strings.Join(notices, "\n")
		for _, want := range []string{"A phone (" + maskOf(first) + ") was added", "changed to " + maskOf(second), "was deleted"} {
			if !strings.Contains(all, want) {
				t.Errorf("no notice to %s says %q; notices:\n%s", u, want, all)
			}
		}
	})
}

// checkPhoneOptions checks the flow's methods: the mobile twice (call and
// text), the office phone once, the app; numbers masked; only the call to
// the mobile is the default.
func checkPhoneOptions(t *testing.T, a signInAnswer, m *apiMember, mobileID, officeID, mobileNo, officeNo string) {
	t.Helper()
	want := map[string]signInMethod{
		mobileID + " voiceMobile": {Channel: "voice", MaskedNumber: maskOf(mobileNo), Label: "Call " + maskOf(mobileNo), IsDefault: true},
		mobileID + " sms":         {Channel: "sms", MaskedNumber: maskOf(mobileNo), Label: "Text " + maskOf(mobileNo)},
		officeID + " voiceOffice": {Channel: "voice", MaskedNumber: maskOf(officeNo), Label: "Call " + maskOf(officeNo)},
		m.methodID + " oath":      {},
	}
	if len(a.Methods) != len(want) {
		t.Errorf("the flow offers %d methods, want %d: %+v", len(a.Methods), len(want), a.Methods)
	}
	for _, got := range a.Methods {
		w, ok := want[got.ID+" "+got.Preference]
		if !ok {
			t.Errorf("unexpected option %+v", got)
			continue
		}
		if got.Channel != w.Channel || got.MaskedNumber != w.MaskedNumber || got.IsDefault != w.IsDefault ||
			(w.Label != "" && got.Label != w.Label) || got.Label == "" {
			t.Errorf("option %+v, want %+v", got, w)
		}
	}
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

const verifyPath = "/api/v1/me/authentication/verify"

// The methodId goes to the use case as given, which decides by the method's
// kind what the code is checked against; its refusals are answered as they are.
func TestReverifyWithMethodID(t *testing.T) {
	for _, tc := range []struct{ body, methodID string }{
		{`{"methodId":"` + phoneID + `","code":"123456"}`, phoneID},
		{`{"methodId":"m1","code":"123456"}`, "m1"},
		{`{"code":"123456"}`, ""},
	} {
		e := newEnv(t)
		e.do("POST", verifyPath, tc.body, goodToken).want(t, http.StatusOK)
		if c := e.rec.last(); c.name != "Reverify" || strings.Join(c.args, "|") != "123456|"+tc.methodID {
			t.Errorf("%s: call = %v, want Reverify of 123456 for %q", tc.body, c, tc.methodID)
		}
	}
	// Not one of the member's ways to verify.
	e := newEnv(t)
	e.secinfo.errs["Reverify"] = securityinfo.ErrNoReverifyOption
	e.do("POST", verifyPath, `{"methodId":"p-of-bob","code":"123456"}`, goodToken).apiError(t, http.StatusNotFound, "not_found")
	// A wrong texted code.
	e.secinfo.errs["Reverify"] = phone.ErrWrongCode
	_, target := e.do("POST", verifyPath, `{"methodId":"`+phoneID+`","code":"000000"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "code" {
		t.Errorf("target = %q", target)
	}
}

func TestReverifyOptions(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", verifyPath+"/options", "", goodToken)
	r.want(t, http.StatusOK)
	wantNoFullNumber(t, r)
	value := r.object(t)["value"].([]any)
	if len(value) != 3 {
		t.Fatalf("body = %s", r.body)
	}
	wantKeys(t, "app", value[0], "id", "methodType", "displayName", "preference", "label")
	for i, pref := range []string{"voiceMobile", "sms"} {
		o := value[i+1].(map[string]any)
		wantKeys(t, "phone", o, "id", "methodType", "displayName", "preference", "label", "channel", "maskedNumber")
		if o["id"] != phoneID || o["preference"] != pref || o["maskedNumber"] != mobileMasked {
			t.Errorf("option = %v", o)
		}
	}
}

func TestReverifyChallenge(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", verifyPath+"/challenge", `{"methodId":"`+phoneID+`","preference":"sms"}`, goodToken)
	r.want(t, http.StatusAccepted)
	wantNoFullNumber(t, r)
	body := r.object(t)
	wantKeys(t, "challenge", body, "id", "methodId", "channel", "state", "maskedNumber", "expiresDateTime")
	if body["id"] != reverifyID || body["methodId"] != phoneID || body["channel"] != "sms" || body["state"] != "sent" ||
		body["maskedNumber"] != mobileMasked {
		t.Errorf("body = %s", r.body)
	}
	if c := e.rec.last(); c.name != "ReverifyByPhone" || strings.Join(c.args, "|") != phoneID+"|sms" {
		t.Errorf("call = %v", c)
	}
	e.do("POST", verifyPath+"/challenge", `{"methodId":"p-of-bob","preference":"sms"}`, goodToken).apiError(t, http.StatusNotFound, "not_found")
	for _, tc := range []struct{ body, field string }{
		{`{"preference":"sms"}`, "methodId"},
		{`{"methodId":"` + phoneID + `"}`, "preference"},
		{`{"methodId":"` + phoneID + `","preference":"fido2"}`, "preference"},
		{`{"methodId":"` + phoneID + `","preference":1}`, "preference"},
		{`{"methodId":"` + phoneID + `","preference":"sms","code":"1"}`, "code"},
	} {
		e.rec.calls = nil
		_, target := e.do("POST", verifyPath+"/challenge", tc.body, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field || len(e.rec.calls) != 0 {
			t.Errorf("%s: target %q (want %q), calls %v", tc.body, target, tc.field, e.rec.calls)
		}
	}
}

func TestReverifyStatus(t *testing.T) {
	e := newEnv(t)
	e.secinfo.reverification.State, e.secinfo.reverification.Reason = twofold.ChallengeFailed, "The call wasn't answered."
	r := e.do("GET", verifyPath+"/challenge", "", goodToken)
	r.want(t, http.StatusOK)
	wantNoFullNumber(t, r)
	body := r.object(t)
	wantKeys(t, "challenge", body, "id", "methodId", "channel", "state", "reason", "maskedNumber", "expiresDateTime")
	if body["state"] != "failed" || body["reason"] != "The call wasn't answered." || body["channel"] != "voice" {
		t.Errorf("body = %s", r.body)
	}
	e.secinfo.reverification = nil
	e.do("GET", verifyPath+"/challenge", "", goodToken).apiError(t, http.StatusNotFound, "not_found")
}

func TestReverifyCall(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{"", "{}"} {
		e.do("POST", verifyPath+"/call", body, goodToken).want(t, http.StatusOK)
		if c := e.rec.last(); c.name != "ReverifyCall" {
			t.Errorf("call = %v", c)
		}
	}
	e.secinfo.errs["ReverifyCall"] = phone.ErrCallWaiting
	e.do("POST", verifyPath+"/call", "{}", goodToken).apiError(t, http.StatusConflict, "conflict")
}

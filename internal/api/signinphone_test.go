package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
)

// wantNoFullNumber fails when a body shows the member's phone number unmasked.
func wantNoFullNumber(t *testing.T, r *response) {
	t.Helper()
	if strings.Contains(string(r.body), mobileNational) || strings.Contains(string(r.body), mobileE164) {
		t.Errorf("the full number is shown before sign-in: %s", r.body)
	}
}

func TestSigninPhoneFlow(t *testing.T) {
	for _, req := range []struct{ method, path, body string }{
		{"POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`},
		{"GET", "/api/v1/signin/" + flowID, ""},
	} {
		e := newEnv(t)
		e.signin.result = phoneFlow()
		r := e.do(req.method, req.path, req.body, "")
		r.want(t, http.StatusOK)
		wantNoFullNumber(t, r)
		body := r.object(t)
		wantKeys(t, "flow", body, "flowId", "status", "methods", "defaultMethod", "challenge")
		if body["defaultMethod"] != "sms" {
			t.Errorf("%s: defaultMethod = %v", req.path, body["defaultMethod"])
		}
		methods := body["methods"].([]any)
		if len(methods) != 3 {
			t.Fatalf("%s: methods = %v", req.path, methods)
		}
		wantKeys(t, "app option", methods[0], "id", "methodType", "displayName", "preference", "label", "isDefault")
		for i, want := range []struct{ pref, channel, label string }{
			{"voiceMobile", "voice", "Call " + mobileMasked}, {"sms", "sms", "Text " + mobileMasked},
		} {
			o := methods[i+1].(map[string]any)
			wantKeys(t, "phone option", o, "id", "methodType", "displayName", "preference", "label", "channel", "maskedNumber", "isDefault")
			if o["id"] != phoneID || o["methodType"] != "phone" || o["preference"] != want.pref || o["channel"] != want.channel ||
				o["label"] != want.label || o["maskedNumber"] != mobileMasked {
				t.Errorf("%s: option = %v", req.path, o)
			}
			// The default is the text, not the call to the same phone.
			if o["isDefault"] != (want.pref == "sms") {
				t.Errorf("%s: %s isDefault = %v", req.path, want.pref, o["isDefault"])
			}
		}
		ch := body["challenge"]
		wantKeys(t, "challenge", ch, "methodId", "channel", "state", "maskedNumber", "expiresDateTime")
		c := ch.(map[string]any)
		if c["methodId"] != phoneID || c["channel"] != "sms" || c["state"] != "sent" || c["maskedNumber"] != mobileMasked ||
			c["expiresDateTime"] != "2026-03-01T09:35:00Z" {
			t.Errorf("%s: challenge = %v", req.path, c)
		}
	}
}

func TestSigninSendError(t *testing.T) {
	e := newEnv(t)
	res := phoneFlow()
	res.Challenge = nil
	res.SendError = twofold.Errorf(twofold.ERATELIMIT, "You've hit our limit on verification texts, try again later.")
	e.signin.result = res
	r := e.do("POST", "/api/v1/signin", `{"username":"ada@contoso.com","password":"pw"}`, "")
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "flow", body, "flowId", "status", "methods", "defaultMethod", "sendError")
	wantKeys(t, "sendError", body["sendError"], "code", "message")
	if se := body["sendError"].(map[string]any); se["code"] != "too_many_requests" || se["message"] != "You've hit our limit on verification texts, try again later." {
		t.Errorf("sendError = %v", se)
	}

	// Our fault: logged, and shown only as a reference.
	res.SendError = errors.New("twilio: 20003 authenticate at 10.0.0.7")
	r = e.do("GET", "/api/v1/signin/"+flowID, "", "")
	r.want(t, http.StatusOK)
	se := r.object(t)["sendError"].(map[string]any)
	if se["code"] != "internal_error" || !strings.HasPrefix(se["message"].(string), "Something went wrong") {
		t.Errorf("sendError = %v", se)
	}
	if strings.Contains(string(r.body), "twilio") || strings.Contains(string(r.body), "10.0.0.7") {
		t.Errorf("internal detail shown: %s", r.body)
	}
	if !strings.Contains(e.logs.String(), "20003") {
		t.Errorf("send error not logged: %s", e.logs.String())
	}
}

func TestSigninChoose(t *testing.T) {
	e := newEnv(t)
	e.signin.result = phoneFlow()
	r := e.do("POST", "/api/v1/signin/"+flowID+"/challenge", `{"methodId":"`+phoneID+`","preference":"voiceMobile"}`, "")
	r.want(t, http.StatusAccepted)
	wantNoFullNumber(t, r)
	body := r.object(t)
	wantKeys(t, "flow", body, "flowId", "status", "methods", "defaultMethod", "challenge")
	if c := body["challenge"].(map[string]any); c["channel"] != "voice" || c["maskedNumber"] != mobileMasked || c["state"] != "sent" {
		t.Errorf("challenge = %v", c)
	}
	if c := e.rec.last(); c.name != "Choose" || strings.Join(c.args, "|") != flowID+"|"+phoneID+"|voiceMobile" {
		t.Errorf("call = %v", c)
	}
	// Not one of the flow's options.
	e.do("POST", "/api/v1/signin/"+flowID+"/challenge", `{"methodId":"p-of-bob","preference":"sms"}`, "").apiError(t, http.StatusNotFound, "not_found")
	// A throttle is the answer; the flow stays.
	e.signin.errs["Choose"] = twofold.Errorf(twofold.ERATELIMIT, "You've hit our limit on verification calls, try again later.")
	r = e.do("POST", "/api/v1/signin/"+flowID+"/challenge", `{"methodId":"`+phoneID+`","preference":"voiceMobile"}`, "")
	r.apiError(t, http.StatusTooManyRequests, "too_many_requests")
}

func TestSigninChooseBadBodies(t *testing.T) {
	for _, tc := range []struct{ body, field string }{
		{`{"preference":"sms"}`, "methodId"},
		{`{"methodId":"","preference":"sms"}`, "methodId"},
		{`{"methodId":5,"preference":"sms"}`, "methodId"},
		{`{"methodId":"` + strings.Repeat("p", maxID+1) + `","preference":"sms"}`, "methodId"},
		{`{"methodId":"` + phoneID + `"}`, "preference"},
		{`{"methodId":"` + phoneID + `","preference":"oath"}`, "preference"},
		{`{"methodId":"` + phoneID + `","preference":"voice"}`, "preference"},
		{`{"methodId":"` + phoneID + `","preference":"sms","channel":"sms"}`, "channel"},
	} {
		e := newEnv(t)
		msg, target := e.do("POST", "/api/v1/signin/"+flowID+"/challenge", tc.body, "").apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field || !strings.Contains(msg, `"`+tc.field+`"`) {
			t.Errorf("%s: target %q, message %q; want them to name %q", tc.body, target, msg, tc.field)
		}
		if len(e.rec.calls) != 0 {
			t.Errorf("%s: use case called: %v", tc.body, e.rec.calls)
		}
	}
}

func TestSigninChallengeStatus(t *testing.T) {
	path := "/api/v1/signin/" + flowID + "/challenge"

	// A call, answered but no "#" yet: read through CallStatus alone.
	e := newEnv(t)
	e.signin.result = phoneFlow()
	e.signin.result.Challenge = challenge("c1", phoneID, twofold.ChannelVoice, mobileE164)
	e.signin.result.Challenge.State = twofold.ChallengeAnswered
	r := e.do("GET", path, "", "")
	r.want(t, http.StatusOK)
	wantNoFullNumber(t, r)
	body := r.object(t)
	wantKeys(t, "challenge", body, "methodId", "channel", "state", "maskedNumber", "expiresDateTime")
	if body["state"] != "answered" || body["channel"] != "voice" || body["maskedNumber"] != mobileMasked {
		t.Errorf("body = %s", r.body)
	}
	if len(e.rec.calls) != 1 || e.rec.calls[0].name != "CallStatus" {
		t.Errorf("calls = %v", e.rec.calls)
	}

	// A fraud report ended it: the reason is shown.
	e.signin.result.Challenge.State, e.signin.result.Challenge.Reason = twofold.ChallengeFraud, "You reported this call as fraud."
	body = e.do("GET", path, "", "").object(t)
	if body["state"] != "fraud" || body["reason"] != "You reported this call as fraud." {
		t.Errorf("fraud = %v", body)
	}

	// A text: answered from the flow.
	e = newEnv(t)
	e.signin.result = phoneFlow()
	r = e.do("GET", path, "", "")
	r.want(t, http.StatusOK)
	wantNoFullNumber(t, r)
	if body := r.object(t); body["channel"] != "sms" || body["state"] != "sent" {
		t.Errorf("text = %s", r.body)
	}
	if c := e.rec.last(); c.name != "Resume" {
		t.Errorf("call = %v", c)
	}

	// Nothing sent (an app flow): not found.
	e = newEnv(t)
	e.do("GET", path, "", "").apiError(t, http.StatusNotFound, "not_found")

	// A flow that is gone: 410, without a second look.
	e = newEnv(t)
	e.signin.errs["CallStatus"] = signin.ErrFlowGone
	e.do("GET", path, "", "").apiError(t, http.StatusGone, "expired")
	if len(e.rec.calls) != 1 {
		t.Errorf("calls = %v", e.rec.calls)
	}
}

func TestSigninCompleteCall(t *testing.T) {
	path := "/api/v1/signin/" + flowID + "/call/complete"
	for _, body := range []string{"", "{}"} {
		e := newEnv(t)
		r := e.do("POST", path, body, "")
		r.want(t, http.StatusOK)
		wantSignedIn(t, r)
		if c := e.rec.last(); c.name != "CompleteCall" || c.args[0] != flowID {
			t.Errorf("call = %v", c)
		}
	}
	e := newEnv(t)
	e.signin.errs["CompleteCall"] = phone.ErrCallWaiting
	msg, _ := e.do("POST", path, "{}", "").apiError(t, http.StatusConflict, "conflict")
	if !strings.HasPrefix(msg, "We're still waiting") {
		t.Errorf("message = %q", msg)
	}
	e.signin.errs["CompleteCall"] = twofold.Errorf(twofold.EFORBIDDEN, "You reported this call as fraud, so we stopped here. Contact your help desk.")
	e.do("POST", path, "{}", "").apiError(t, http.StatusForbidden, "forbidden")
}

// A texted code goes through the same verify call as an app's, with the phone's
// methodId.
func TestSigninVerifyText(t *testing.T) {
	e := newEnv(t)
	e.signin.result = phoneFlow()
	r := e.do("POST", "/api/v1/signin/"+flowID+"/verify", `{"methodId":"`+phoneID+`","code":"123456"}`, "")
	r.want(t, http.StatusOK)
	wantSignedIn(t, r)
	if c := e.rec.last(); c.name != "Verify" || strings.Join(c.args, "|") != flowID+"|"+phoneID+"|123456" {
		t.Errorf("call = %v", c)
	}
	e.rec.calls = nil
	_, target := e.do("POST", "/api/v1/signin/"+flowID+"/verify", `{"methodId":"`+strings.Repeat("p", maxID+1)+`","code":"123456"}`, "").
		apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "methodId" || len(e.rec.calls) != 0 {
		t.Errorf("target %q, calls %v", target, e.rec.calls)
	}
}

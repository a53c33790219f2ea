package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
)

const signinPhonesPath = "/api/v1/signin/" + flowID + "/phoneMethods"

// registrationFlow is a sign-in in the interrupt.
func registrationFlow() *signin.Result {
	return &signin.Result{FlowID: flowID, State: twofold.FlowRegistrationRequired}
}

func TestSigninStatusListsRegistrationKinds(t *testing.T) {
	e := newEnv(t)
	e.signin.result = registrationFlow()
	r := e.do("GET", "/api/v1/signin/"+flowID, "", "")
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "flow", body, "flowId", "status", "methods", "defaultMethod", "registrationKinds")
	if kinds, _ := body["registrationKinds"].([]any); len(kinds) != 2 || kinds[0] != "softwareOath" || kinds[1] != "phone" {
		t.Errorf("registrationKinds = %v", body["registrationKinds"])
	}
	if c := e.rec.last(); c.name != "RegistrationKinds" || c.args[0] != flowID {
		t.Errorf("call = %v", c)
	}
	// A flow that ended in between is gone.
	e.signin.errs["RegistrationKinds"] = signin.ErrFlowGone
	e.do("GET", "/api/v1/signin/"+flowID, "", "").apiError(t, http.StatusGone, "expired")

	// A flow at the second factor has no such list, and nothing is asked for it.
	e = newEnv(t)
	r = e.do("GET", "/api/v1/signin/"+flowID, "", "")
	r.want(t, http.StatusOK)
	wantKeys(t, "flow", r.object(t), "flowId", "status", "methods", "defaultMethod")
	for _, c := range e.rec.calls {
		if c.name == "RegistrationKinds" {
			t.Errorf("RegistrationKinds called for an mfa_required flow")
		}
	}
}

func TestSigninBeginPhone(t *testing.T) {
	e := newEnv(t)
	e.signin.result = registrationFlow()
	r := e.do("POST", signinPhonesPath, `{"phoneNumber":"+1 4255550100X12345","phoneType":"mobile","verificationMethod":"sms"}`, "")
	r.want(t, http.StatusAccepted)
	body := r.object(t)
	wantKeys(t, "answer", body, "verification")
	v := body["verification"].(map[string]any)
	wantKeys(t, "verification", v, "id", "channel", "state", "phoneNumber", "extensionRemoved", "expiresDateTime")
	if v["id"] != startedID || v["channel"] != "sms" || v["state"] != "sent" || v["phoneNumber"] != newPhoneDisplay ||
		v["extensionRemoved"] != "12345" || v["expiresDateTime"] != "2026-03-01T09:35:00Z" {
		t.Errorf("verification = %v", v)
	}
	if loc := r.header.Get("Location"); loc != signinPhonesPath+"/verification" {
		t.Errorf("Location = %q", loc)
	}
	if c := e.rec.last(); c.name != "BeginPhoneRegistration" || strings.Join(c.args, "|") != flowID+"|mobile||+1 4255550100X12345|sms" {
		t.Errorf("call = %v", c)
	}

	// A national number with its region, by call: no extension reported.
	r = e.do("POST", signinPhonesPath, `{"phoneNumber":"(425) 555-0100","phoneType":"office","verificationMethod":"voice","countryCode":"US"}`, "")
	r.want(t, http.StatusAccepted)
	v = r.object(t)["verification"].(map[string]any)
	wantKeys(t, "verification", v, "id", "channel", "state", "phoneNumber", "expiresDateTime")
	if c := e.rec.last(); strings.Join(c.args, "|") != flowID+"|office|US|(425) 555-0100|voice" {
		t.Errorf("call = %v", c)
	}
}

func TestSigninBeginPhoneBadBodies(t *testing.T) {
	for _, tc := range []struct{ body, field string }{
		{`{}`, "phoneNumber"},
		{`{"phoneNumber":"","phoneType":"mobile","verificationMethod":"sms"}`, "phoneNumber"},
		{`{"phoneNumber":"+14255550100","verificationMethod":"sms"}`, "phoneType"},
		{`{"phoneNumber":"+14255550100","phoneType":"pager","verificationMethod":"sms"}`, "phoneType"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile"}`, "verificationMethod"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":"text"}`, "verificationMethod"},
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms","countryCode":"USA"}`, "countryCode"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":"sms","methodId":"p1"}`, "methodId"},
	} {
		e := newEnv(t)
		msg, target := e.do("POST", signinPhonesPath, tc.body, "").apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field || !strings.Contains(msg, `"`+tc.field+`"`) {
			t.Errorf("%s: target %q, message %q; want them to name %q", tc.body, target, msg, tc.field)
		}
		if len(e.rec.calls) != 0 {
			t.Errorf("%s: use case called: %v", tc.body, e.rec.calls)
		}
	}
}

// The use case's field names are the page's; the API answers with its own.
func TestSigninBeginPhoneUseCaseErrors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ body, field string }{
		{`{"phoneNumber":"+14255550100","phoneType":"alternateMobile","verificationMethod":"voice"}`, "phoneType"},
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms"}`, "phoneNumber"},
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms","countryCode":"ZZ"}`, "countryCode"},
	} {
		if _, target := e.do("POST", signinPhonesPath, tc.body, "").apiError(t, http.StatusBadRequest, "invalid_request"); target != tc.field {
			t.Errorf("%s: target = %q, want %q", tc.body, target, tc.field)
		}
	}
	const body = `{"phoneNumber":"+14255550100","phoneType":"office","verificationMethod":"sms"}`
	e.signin.errs["BeginPhoneRegistration"] = twofold.FieldError("method", "Texts can't be sent to this phone. Choose Call me.")
	if _, target := e.do("POST", signinPhonesPath, body, "").apiError(t, http.StatusBadRequest, "invalid_request"); target != "verificationMethod" {
		t.Errorf("target = %q, want verificationMethod", target)
	}
	for err, want := range map[error]struct {
		status int
		code   string
	}{
		signin.ErrFlowGone: {http.StatusGone, "expired"},
		twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow phones for sign-in."):          {http.StatusForbidden, "forbidden"},
		twofold.Errorf(twofold.ERATELIMIT, "You've hit our limit on verification texts, try again later."): {http.StatusTooManyRequests, "too_many_requests"},
		phone.ErrUnavailable: {http.StatusServiceUnavailable, "unavailable"},
	} {
		e.signin.errs["BeginPhoneRegistration"] = err
		msg, _ := e.do("POST", signinPhonesPath, body, "").apiError(t, want.status, want.code)
		if msg != twofold.ErrorMessage(err) {
			t.Errorf("message = %q, want the use case's", msg)
		}
	}
}

func TestSigninPhoneVerificationStatus(t *testing.T) {
	e := newEnv(t)
	path := signinPhonesPath + "/verification"
	// Nothing sent yet: not found, with the call that starts one.
	msg, _ := e.do("GET", path, "", "").apiError(t, http.StatusNotFound, "not_found")
	if !strings.Contains(msg, "POST /api/v1/signin/{flowId}/phoneMethods") {
		t.Errorf("message = %q", msg)
	}

	e.signin.registration = challenge(startedID, "", twofold.ChannelVoice, newPhoneE164)
	e.signin.registration.State = twofold.ChallengeAnswered
	r := e.do("GET", path, "", "")
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "verification", body, "id", "channel", "state", "phoneNumber", "expiresDateTime")
	if body["state"] != "answered" || body["channel"] != "voice" || body["phoneNumber"] != newPhoneDisplay {
		t.Errorf("body = %s", r.body)
	}
	if c := e.rec.last(); c.name != "PhoneRegistrationStatus" || c.args[0] != flowID {
		t.Errorf("call = %v", c)
	}
	e.signin.registration.State, e.signin.registration.Reason = twofold.ChallengeFailed, "You didn't answer the call."
	if body := e.do("GET", path, "", "").object(t); body["state"] != "failed" || body["reason"] != "You didn't answer the call." {
		t.Errorf("failed call = %v", body)
	}
	e.signin.errs["PhoneRegistrationStatus"] = signin.ErrFlowGone
	e.do("GET", path, "", "").apiError(t, http.StatusGone, "expired")
}

func TestSigninCompletePhoneText(t *testing.T) {
	e := newEnv(t)
	path := signinPhonesPath + "/verification/complete"
	e.do("POST", path, `{"code":"123456"}`, "").apiError(t, http.StatusNotFound, "not_found")

	e.signin.registration = challenge(startedID, "", twofold.ChannelSMS, newPhoneE164)
	// No code: refused before the use case; a wrong one by it.
	if _, target := e.do("POST", path, `{}`, "").apiError(t, http.StatusBadRequest, "invalid_request"); target != "code" {
		t.Errorf("target = %q", target)
	}
	for _, c := range e.rec.calls {
		if c.name == "FinishPhoneRegistration" {
			t.Error("FinishPhoneRegistration called without a code")
		}
	}
	if _, target := e.do("POST", path, `{"code":"654321"}`, "").apiError(t, http.StatusBadRequest, "invalid_request"); target != "code" {
		t.Errorf("target = %q", target)
	}
	e.do("POST", path, `{"code":"123456","methodId":"p1"}`, "").apiError(t, http.StatusBadRequest, "invalid_request")

	// The right code: signed in, as activating the interrupt's app answers.
	r := e.do("POST", path, `{"code":"123456"}`, "")
	r.want(t, http.StatusOK)
	wantSignedIn(t, r)
	if c := e.rec.last(); c.name != "FinishPhoneRegistration" || strings.Join(c.args, "|") != flowID+"|123456" {
		t.Errorf("call = %v", c)
	}
	e.signin.errs["PhoneRegistrationStatus"] = signin.ErrFlowGone
	e.do("POST", path, `{"code":"123456"}`, "").apiError(t, http.StatusGone, "expired")
}

func TestSigninCompletePhoneCall(t *testing.T) {
	e := newEnv(t)
	path := signinPhonesPath + "/verification/complete"
	e.signin.registration = challenge(startedID, "", twofold.ChannelVoice, newPhoneE164)
	for _, state := range []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered} {
		e.signin.registration.State = state
		for _, body := range []string{"", "{}"} {
			msg, _ := e.do("POST", path, body, "").apiError(t, http.StatusConflict, "conflict")
			if !strings.HasPrefix(msg, "We're still waiting") {
				t.Errorf("%s: message = %q", state, msg)
			}
		}
	}
	if _, target := e.do("POST", path, `{"code":"123456"}`, "").apiError(t, http.StatusBadRequest, "invalid_request"); target != "code" {
		t.Errorf("target = %q", target)
	}
	e.signin.registration.State = twofold.ChallengeVerified
	r := e.do("POST", path, "", "")
	r.want(t, http.StatusOK)
	wantSignedIn(t, r)
	if c := e.rec.last(); c.name != "FinishPhoneRegistration" || strings.Join(c.args, "|") != flowID+"|" {
		t.Errorf("call = %v", c)
	}
	// A fraud report or a failed call: the use case's answer.
	e.signin.errs["FinishPhoneRegistration"] = twofold.Errorf(twofold.EFORBIDDEN, "You reported this call as fraud, so we stopped here. Contact your help desk.")
	e.do("POST", path, "{}", "").apiError(t, http.StatusForbidden, "forbidden")
	e.signin.errs["FinishPhoneRegistration"] = twofold.Errorf(twofold.EEXPIRED, "You didn't answer the call. Try again, or choose another method.")
	e.do("POST", path, "{}", "").apiError(t, http.StatusGone, "expired")
}

package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

const phonesPath = "/api/v1/me/authentication/phoneMethods"

func TestListPhones(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", phonesPath, "", goodToken)
	r.want(t, http.StatusOK)
	value, _ := r.object(t)["value"].([]any)
	if len(value) != 1 {
		t.Fatalf("body = %s, want the one phone and not the app", r.body)
	}
	wantPhone(t, value[0], phoneID, mobileDisplay, "mobile")

	// Only an app: an empty list, not null.
	e.secinfo.methods = e.secinfo.methods[:1]
	r = e.do("GET", phonesPath, "", goodToken)
	r.want(t, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != `{"value":[]}` {
		t.Errorf("list without phones = %s", r.body)
	}
}

// wantPhone checks a Graph phoneAuthenticationMethod.
func wantPhone(t *testing.T, v any, id, number, phoneType string) {
	t.Helper()
	wantKeys(t, "phone", v, "id", "phoneNumber", "phoneType", "smsSignInState")
	m, _ := v.(map[string]any)
	if m["id"] != id || m["phoneNumber"] != number || m["phoneType"] != phoneType || m["smsSignInState"] != "notSupported" {
		t.Errorf("phone = %v, want %s %s %s", m, id, number, phoneType)
	}
}

func TestGetPhone(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", phonesPath+"/"+phoneID, "", goodToken)
	r.want(t, http.StatusOK)
	wantPhone(t, r.object(t), phoneID, mobileDisplay, "mobile")
	if c := e.rec.last(); c.name != "Method" || c.args[0] != phoneID {
		t.Errorf("call = %v", c)
	}
	// An authenticator app is not a phone; another member's phone is not found.
	for _, id := range []string{"m1", "p-of-bob"} {
		e.do("GET", phonesPath+"/"+id, "", goodToken).apiError(t, http.StatusNotFound, "not_found")
	}
	e.secinfo.errs["Method"] = securityinfo.ErrReauth
	e.do("GET", phonesPath+"/"+phoneID, "", goodToken).apiError(t, http.StatusForbidden, "reauthentication_required")
}

func TestAddPhone(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", phonesPath, `{"phoneNumber":"+1 4255550100X12345","phoneType":"mobile","verificationMethod":"sms"}`, goodToken)
	r.want(t, http.StatusAccepted)
	body := r.object(t)
	wantKeys(t, "answer", body, "verification")
	v := body["verification"].(map[string]any)
	wantKeys(t, "verification", v, "id", "channel", "state", "phoneNumber", "extensionRemoved", "expiresDateTime")
	if v["id"] != startedID || v["channel"] != "sms" || v["state"] != "sent" || v["phoneNumber"] != newPhoneDisplay ||
		v["extensionRemoved"] != "12345" || v["expiresDateTime"] != "2026-03-01T09:35:00Z" {
		t.Errorf("verification = %v", v)
	}
	if loc := r.header.Get("Location"); loc != phonesPath+"/verifications/"+startedID {
		t.Errorf("Location = %q", loc)
	}
	if c := e.rec.last(); c.name != "BeginPhone" || strings.Join(c.args, "|") != "mobile||+1 4255550100X12345|sms|" {
		t.Errorf("call = %v", c)
	}

	// A national number with its region, by call, no extension: none reported.
	r = e.do("POST", phonesPath, `{"phoneNumber":"(425) 555-0100","phoneType":"office","verificationMethod":"voice","countryCode":"US"}`, goodToken)
	r.want(t, http.StatusAccepted)
	v = r.object(t)["verification"].(map[string]any)
	wantKeys(t, "verification", v, "id", "channel", "state", "phoneNumber", "expiresDateTime")
	if v["channel"] != "voice" || v["phoneNumber"] != newPhoneDisplay {
		t.Errorf("verification = %v", v)
	}
	if c := e.rec.last(); strings.Join(c.args, "|") != "office|US|(425) 555-0100|voice|" {
		t.Errorf("call = %v", c)
	}
}

func TestAddPhoneBadBodies(t *testing.T) {
	for _, tc := range []struct{ body, field string }{
		{`{}`, "phoneNumber"},
		{`{"phoneType":"mobile","verificationMethod":"sms"}`, "phoneNumber"},
		{`{"phoneNumber":"","phoneType":"mobile","verificationMethod":"sms"}`, "phoneNumber"},
		{`{"phoneNumber":4255550100,"phoneType":"mobile","verificationMethod":"sms"}`, "phoneNumber"},
		{`{"phoneNumber":"+14255550100","verificationMethod":"sms"}`, "phoneType"},
		{`{"phoneNumber":"+14255550100","phoneType":"pager","verificationMethod":"sms"}`, "phoneType"},
		{`{"phoneNumber":"+14255550100","phoneType":"Mobile","verificationMethod":"sms"}`, "phoneType"},
		{`{"phoneNumber":"+14255550100","phoneType":true,"verificationMethod":"sms"}`, "phoneType"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile"}`, "verificationMethod"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":"text"}`, "verificationMethod"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":"email"}`, "verificationMethod"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":["sms"]}`, "verificationMethod"},
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms","countryCode":"USA"}`, "countryCode"},
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms","countryCode":"1"}`, "countryCode"},
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms","countryCode":1}`, "countryCode"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":"sms","extension":"12"}`, "extension"},
		{`{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":"sms","id":"p1"}`, "id"},
	} {
		e := newEnv(t)
		msg, target := e.do("POST", phonesPath, tc.body, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field || !strings.Contains(msg, `"`+tc.field+`"`) {
			t.Errorf("%s: target %q, message %q; want them to name %q", tc.body, target, msg, tc.field)
		}
		if len(e.rec.calls) != 0 {
			t.Errorf("%s: use case called: %v", tc.body, e.rec.calls)
		}
	}
}

// The use case's field names are the page's; the API answers with its own.
func TestAddPhoneUseCaseErrors(t *testing.T) {
	e := newEnv(t)
	// The fake knows only +1, and region "US".
	for _, tc := range []struct{ body, field string }{
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms"}`, "phoneNumber"},
		{`{"phoneNumber":"4255550100","phoneType":"mobile","verificationMethod":"sms","countryCode":"ZZ"}`, "countryCode"},
	} {
		msg, target := e.do("POST", phonesPath, tc.body, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field {
			t.Errorf("%s: target = %q, want %q", tc.body, target, tc.field)
		}
		if tc.field == "countryCode" && !strings.Contains(msg, `"countryCode"`) {
			t.Errorf("%s: message %q doesn't name the field", tc.body, msg)
		}
	}
	const body = `{"phoneNumber":"+14255550100","phoneType":"office","verificationMethod":"sms"}`
	e.secinfo.errs["BeginPhone"] = twofold.FieldError("method", "Texts can't be sent to this phone. Choose Call me.")
	if _, target := e.do("POST", phonesPath, body, goodToken).apiError(t, http.StatusBadRequest, "invalid_request"); target != "verificationMethod" {
		t.Errorf("target = %q, want verificationMethod", target)
	}
	for err, want := range map[error]struct {
		status int
		code   string
	}{
		twofold.Errorf(twofold.ECONFLICT, "You already have every phone your organization allows."):        {http.StatusConflict, "conflict"},
		twofold.Errorf(twofold.EFORBIDDEN, "Your organization doesn't allow phones for sign-in."):          {http.StatusForbidden, "forbidden"},
		twofold.Errorf(twofold.ERATELIMIT, "You've hit our limit on verification texts, try again later."): {http.StatusTooManyRequests, "too_many_requests"},
		phone.ErrUnavailable: {http.StatusServiceUnavailable, "unavailable"},
	} {
		e.secinfo.errs["BeginPhone"] = err
		r := e.do("POST", phonesPath, body, goodToken)
		msg, _ := r.apiError(t, want.status, want.code)
		if msg != twofold.ErrorMessage(err) {
			t.Errorf("message = %q, want the use case's", msg)
		}
	}
}

func TestChangePhone(t *testing.T) {
	e := newEnv(t)
	r := e.do("PATCH", phonesPath+"/"+phoneID, `{"phoneNumber":"+1 425 555 0100","verificationMethod":"voice"}`, goodToken)
	r.want(t, http.StatusAccepted)
	v := r.object(t)["verification"].(map[string]any)
	if v["id"] != startedID || v["channel"] != "voice" || v["phoneNumber"] != newPhoneDisplay {
		t.Errorf("verification = %v", v)
	}
	if c := e.rec.last(); c.name != "BeginPhone" || strings.Join(c.args, "|") != "||+1 425 555 0100|voice|"+phoneID {
		t.Errorf("call = %v", c)
	}
	// The phone's own type may be sent, as Graph clients do.
	e.do("PATCH", phonesPath+"/"+phoneID, `{"phoneNumber":"+14255550100","phoneType":"mobile","verificationMethod":"sms"}`, goodToken).
		want(t, http.StatusAccepted)
	// Another type can't be had by changing the number.
	msg, target := e.do("PATCH", phonesPath+"/"+phoneID, `{"phoneNumber":"+14255550100","phoneType":"office","verificationMethod":"voice"}`, goodToken).
		apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "phoneType" || !strings.Contains(msg, "can't be changed") {
		t.Errorf("target %q, message %q", target, msg)
	}
	// An app, another member's phone: not found.
	for _, id := range []string{"m1", "p-of-bob"} {
		e.do("PATCH", phonesPath+"/"+id, `{"phoneNumber":"+14255550100","verificationMethod":"sms"}`, goodToken).
			apiError(t, http.StatusNotFound, "not_found")
	}
	for _, tc := range []struct{ body, field string }{
		{`{"verificationMethod":"sms"}`, "phoneNumber"},
		{`{"phoneNumber":"+14255550100"}`, "verificationMethod"},
		{`{"phoneNumber":"+14255550100","verificationMethod":"sms","phoneType":"pager"}`, "phoneType"},
		{`{"phoneNumber":"+14255550100","verificationMethod":"sms","displayName":"Work"}`, "displayName"},
	} {
		e.rec.calls = nil
		_, target := e.do("PATCH", phonesPath+"/"+phoneID, tc.body, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field {
			t.Errorf("%s: target = %q, want %q", tc.body, target, tc.field)
		}
		if len(e.rec.calls) != 0 {
			t.Errorf("%s: use case called: %v", tc.body, e.rec.calls)
		}
	}
}

func TestPhoneVerificationStatus(t *testing.T) {
	e := newEnv(t)
	path := phonesPath + "/verifications/" + verificationID
	r := e.do("GET", path, "", goodToken)
	r.want(t, http.StatusOK)
	body := r.object(t)
	wantKeys(t, "verification", body, "id", "channel", "state", "phoneNumber", "expiresDateTime")
	if body["id"] != verificationID || body["channel"] != "sms" || body["state"] != "sent" || body["phoneNumber"] != newPhoneDisplay {
		t.Errorf("body = %s", r.body)
	}
	if c := e.rec.last(); c.name != "PhoneStatus" || c.args[0] != verificationID {
		t.Errorf("call = %v", c)
	}

	// A failed call says why.
	e.secinfo.verification = challenge(verificationID, "", twofold.ChannelVoice, newPhoneE164)
	e.secinfo.verification.State, e.secinfo.verification.Reason = twofold.ChallengeFailed, "You pressed a different key."
	body = e.do("GET", path, "", goodToken).object(t)
	if body["state"] != "failed" || body["reason"] != "You pressed a different key." || body["channel"] != "voice" {
		t.Errorf("failed call = %v", body)
	}
	// A replaced or unknown verification: not found.
	e.do("GET", phonesPath+"/verifications/v-older", "", goodToken).apiError(t, http.StatusNotFound, "not_found")
}

func TestCompletePhoneText(t *testing.T) {
	e := newEnv(t)
	path := phonesPath + "/verifications/" + verificationID + "/complete"
	// No code, or a code with a typo: refused, the first before the use case.
	_, target := e.do("POST", path, `{}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "code" {
		t.Errorf("target = %q", target)
	}
	for _, c := range e.rec.calls {
		if c.name == "FinishPhone" {
			t.Errorf("FinishPhone called without a code")
		}
	}
	_, target = e.do("POST", path, `{"code":"654321"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "code" {
		t.Errorf("target = %q", target)
	}

	// An added phone: 201 with the phone and its address.
	r := e.do("POST", path, `{"code":"123456"}`, goodToken)
	r.want(t, http.StatusCreated)
	wantPhone(t, r.object(t), "p-new", newPhoneDisplay, "mobile")
	if loc := r.header.Get("Location"); loc != phonesPath+"/p-new" {
		t.Errorf("Location = %q", loc)
	}
	if c := e.rec.last(); c.name != "FinishPhone" || strings.Join(c.args, "|") != verificationID+"|123456" {
		t.Errorf("call = %v", c)
	}

	// A changed number: 200 with the same phone, new number.
	e.secinfo.verification = challenge(verificationID, phoneID, twofold.ChannelSMS, newPhoneE164)
	r = e.do("POST", path, `{"code":"123456"}`, goodToken)
	r.want(t, http.StatusOK)
	wantPhone(t, r.object(t), phoneID, newPhoneDisplay, "mobile")
	if r.header.Get("Location") != "" {
		t.Errorf("Location on a change: %q", r.header.Get("Location"))
	}

	// A verification that is not the newest: not found.
	e.do("POST", phonesPath+"/verifications/v-older/complete", `{"code":"123456"}`, goodToken).apiError(t, http.StatusNotFound, "not_found")
}

func TestCompletePhoneCall(t *testing.T) {
	e := newEnv(t)
	e.secinfo.verification = challenge(verificationID, "", twofold.ChannelVoice, newPhoneE164)
	path := phonesPath + "/verifications/" + verificationID + "/complete"
	// Still ringing, or answered without "#": 409 with the use case's words.
	for _, state := range []twofold.ChallengeState{twofold.ChallengeSent, twofold.ChallengeAnswered} {
		e.secinfo.verification.State = state
		for _, body := range []string{"", "{}"} {
			msg, _ := e.do("POST", path, body, goodToken).apiError(t, http.StatusConflict, "conflict")
			if !strings.HasPrefix(msg, "We're still waiting") {
				t.Errorf("%s: message = %q", state, msg)
			}
		}
	}
	// A code makes no sense for a call.
	_, target := e.do("POST", path, `{"code":"123456"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "code" {
		t.Errorf("target = %q", target)
	}
	// "#" pressed: the phone is added.
	e.secinfo.verification.State = twofold.ChallengeVerified
	r := e.do("POST", path, "", goodToken)
	r.want(t, http.StatusCreated)
	wantPhone(t, r.object(t), "p-new", newPhoneDisplay, "mobile")
	if c := e.rec.last(); c.name != "FinishPhone" || strings.Join(c.args, "|") != verificationID+"|" {
		t.Errorf("call = %v", c)
	}
}

func TestDeletePhone(t *testing.T) {
	e := newEnv(t)
	e.do("DELETE", phonesPath+"/"+phoneID, "", goodToken).want(t, http.StatusNoContent)
	if c := e.rec.last(); c.name != "Delete" || c.args[0] != phoneID {
		t.Errorf("call = %v", c)
	}
	// Not a phone, or not the member's: not found, and nothing deleted.
	for _, id := range []string{"m1", "p-of-bob"} {
		e.rec.calls = nil
		e.do("DELETE", phonesPath+"/"+id, "", goodToken).apiError(t, http.StatusNotFound, "not_found")
		for _, c := range e.rec.calls {
			if c.name == "Delete" {
				t.Errorf("%s: Delete called", id)
			}
		}
	}
	// The generic call still deletes a phone.
	e.do("DELETE", "/api/v1/me/authentication/methods/"+phoneID, "", goodToken).want(t, http.StatusNoContent)
}

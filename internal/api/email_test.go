package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

const emailsAPI = "/api/v1/me/authentication/emailMethods"

func TestListAndGetEmail(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", emailsAPI, "", goodToken)
	r.want(t, http.StatusOK)
	if strings.TrimSpace(string(r.body)) != `{"value":[]}` {
		t.Errorf("list without an email = %s", r.body)
	}
	e.secinfo.methods = append(e.secinfo.methods, emailMethod())
	r = e.do("GET", emailsAPI, "", goodToken)
	r.want(t, http.StatusOK)
	value, _ := r.object(t)["value"].([]any)
	if len(value) != 1 {
		t.Fatalf("list = %s, want the one email", r.body)
	}
	wantKeys(t, "email", value[0], "id", "emailAddress")
	if m := value[0].(map[string]any); m["id"] != emailID || m["emailAddress"] != emailAddress {
		t.Errorf("email = %v", m)
	}
	r = e.do("GET", emailsAPI+"/"+emailID, "", goodToken)
	r.want(t, http.StatusOK)
	if r.object(t)["emailAddress"] != emailAddress {
		t.Errorf("get = %s", r.body)
	}
	// A phone is not an email.
	e.do("GET", emailsAPI+"/"+phoneID, "", goodToken).apiError(t, http.StatusNotFound, "not_found")
	e.do("DELETE", emailsAPI+"/"+phoneID, "", goodToken).apiError(t, http.StatusNotFound, "not_found")
	e.do("DELETE", emailsAPI+"/"+emailID, "", goodToken).want(t, http.StatusNoContent)
	if c := e.rec.last(); c.name != "Delete" || c.args[0] != emailID {
		t.Errorf("call = %v", c)
	}
	e.secinfo.errs["Overview"] = securityinfo.ErrReauth
	e.do("GET", emailsAPI, "", goodToken).apiError(t, http.StatusForbidden, "reauthentication_required")
	e.do("GET", emailsAPI, "", "").apiError(t, http.StatusUnauthorized, "unauthorized")
}

func TestAddEmailThenVerify(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", emailsAPI, `{"emailAddress":"Ada@Fabrikam.COM"}`, goodToken)
	r.want(t, http.StatusAccepted)
	v, _ := r.object(t)["verification"].(map[string]any)
	wantKeys(t, "verification", v, "id", "state", "emailAddress", "expiresDateTime")
	if v["id"] != mailedID || v["state"] != "sent" || v["emailAddress"] != "Ada@fabrikam.com" || v["expiresDateTime"] != "2026-03-01T09:40:00Z" {
		t.Errorf("verification = %v", v)
	}
	if c := e.rec.last(); c.name != "BeginEmail" || strings.Join(c.args, "|") != "Ada@Fabrikam.COM|" {
		t.Errorf("call = %v", c)
	}

	msg, target := e.do("POST", emailsAPI+"/"+mailedID+"/verify", `{"code":"111111"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "code" || !strings.Contains(msg, "didn't work") {
		t.Errorf("wrong code: %q %q", target, msg)
	}
	e.do("POST", emailsAPI+"/other/verify", `{"code":"`+rightMailed+`"}`, goodToken).apiError(t, http.StatusNotFound, "not_found")
	r = e.do("POST", emailsAPI+"/"+mailedID+"/verify", `{"code":"`+rightMailed+`"}`, goodToken)
	r.want(t, http.StatusCreated)
	if r.header.Get("Location") != emailsAPI+"/e-new" || r.object(t)["emailAddress"] != "Ada@fabrikam.com" {
		t.Errorf("created %s at %q", r.body, r.header.Get("Location"))
	}
}

func TestChangeEmail(t *testing.T) {
	e := newEnv(t)
	e.secinfo.methods = append(e.secinfo.methods, emailMethod())
	e.do("PATCH", emailsAPI+"/m1", `{"emailAddress":"ada@tailspin.com"}`, goodToken).apiError(t, http.StatusNotFound, "not_found")
	e.do("PATCH", emailsAPI+"/"+emailID, `{"emailAddress":"ada@tailspin.com"}`, goodToken).want(t, http.StatusAccepted)
	if c := e.rec.last(); c.name != "BeginEmail" || strings.Join(c.args, "|") != "ada@tailspin.com|"+emailID {
		t.Errorf("call = %v", c)
	}
	r := e.do("POST", emailsAPI+"/"+mailedID+"/verify", `{"code":"`+rightMailed+`"}`, goodToken)
	r.want(t, http.StatusOK)
	if r.object(t)["emailAddress"] != "ada@tailspin.com" || r.header.Get("Location") != "" {
		t.Errorf("changed %s", r.body)
	}
}

func TestEmailBadBodiesAndRefusals(t *testing.T) {
	for _, tc := range []struct{ body, field string }{
		{`{}`, "emailAddress"},
		{`{"emailAddress":""}`, "emailAddress"},
		{`{"emailAddress":42}`, "emailAddress"},
		{`{"emailAddress":"a@b.com","name":"x"}`, "name"},
	} {
		e := newEnv(t)
		msg, target := e.do("POST", emailsAPI, tc.body, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
		if target != tc.field || msg == "" {
			t.Errorf("%s: target %q, message %q; want %q", tc.body, target, msg, tc.field)
		}
		if len(e.rec.calls) != 0 {
			t.Errorf("%s: use case called: %v", tc.body, e.rec.calls)
		}
	}
	e := newEnv(t)
	_, target := e.do("POST", emailsAPI, `{"emailAddress":"not an address"}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	if target != "emailAddress" {
		t.Errorf("target = %q", target)
	}
	e.do("POST", emailsAPI+"/"+mailedID+"/verify", `{}`, goodToken).apiError(t, http.StatusBadRequest, "invalid_request")
	e.secinfo.errs["BeginEmail"] = securityinfo.ErrEmailTaken
	e.do("POST", emailsAPI, `{"emailAddress":"a@b.com"}`, goodToken).apiError(t, http.StatusConflict, "conflict")
	e.secinfo.errs["BeginEmail"] = &twofold.Error{Code: twofold.ERATELIMIT, Message: "You've hit our limit on emails. Try again in a few minutes.", Err: wait(300 * time.Second)}
	r := e.do("POST", emailsAPI, `{"emailAddress":"a@b.com"}`, goodToken)
	r.apiError(t, http.StatusTooManyRequests, "too_many_requests")
	if r.header.Get("Retry-After") != "300" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
}

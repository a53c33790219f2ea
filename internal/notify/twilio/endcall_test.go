package twilio_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

const callSID = "CAabcdef0123456789abcdef0123456789"

// EndCall hangs up by updating the call with Status=completed; a call that
// already ended (Twilio's 21220) is not an error, another refusal is.
func TestEndCall(t *testing.T) {
	f := newFakeTwilio(t)
	c := newClient(t, f.srv.URL, nil)
	if err := c.EndCall(context.Background(), callSID); err != nil {
		t.Fatal(err)
	}
	req := f.only(t)
	if req.resource != "Calls/"+callSID+".json" || !equalForms(req.form, url.Values{"Status": {"completed"}}) {
		t.Errorf("request %s %v, want Calls/<sid>.json with Status=completed", req.resource, req.form)
	}

	f.status, f.answer = http.StatusBadRequest, `{"code":21220,"message":"Call is not in-progress. Cannot redirect.","status":400}`
	if err := c.EndCall(context.Background(), callSID); err != nil {
		t.Errorf("EndCall on an ended call: %v", err)
	}
	f.status, f.answer = http.StatusNotFound, `{"code":20404,"message":"The requested resource was not found","status":404}`
	if err := c.EndCall(context.Background(), callSID); err == nil {
		t.Error("EndCall of an unknown call: no error")
	}
	if err := c.EndCall(context.Background(), "../Messages"); err == nil {
		t.Error("EndCall with a ref that is not a call SID: no error")
	}
}

package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/httpx"
)

type fakeReporter struct{ tokens []string }

func (f *fakeReporter) Report(_ context.Context, token string, _ twofold.Client) (*fraud.Outcome, error) {
	switch token {
	case "good":
		f.tokens = append(f.tokens, token)
		return &fraud.Outcome{BlockedUntil: time.Date(2030, 4, 7, 9, 0, 0, 0, time.UTC), SignInsStopped: 1, SessionsEnded: 2, Helpdesk: "help@contoso.com"}, nil
	case "used":
		return nil, twofold.Errorf(twofold.ECONFLICT, "This link has already been used to report the change.")
	case "stale":
		return nil, twofold.Errorf(twofold.EEXPIRED, "This link has expired.")
	}
	return nil, twofold.Errorf(twofold.EINVALID, "This link doesn't work.")
}

// POST /report is the twin of the report page: the link's token, no session.
func TestReportAPI(t *testing.T) {
	f := &fakeReporter{}
	e := newEnv(t)
	e.h = httpx.RequestContext(nil, New(Deps{Signin: e.signin, Sessions: e.sess, SecurityInfo: e.secinfo, Report: f}))

	r := e.do("POST", "/api/v1/report", `{"token":"good"}`, "")
	r.want(t, http.StatusOK)
	o := r.object(t)
	if o["blockedUntilDateTime"] != "2030-04-07T09:00:00Z" || o["signInsStopped"] != float64(1) ||
		o["sessionsEnded"] != float64(2) || o["helpdeskContact"] != "help@contoso.com" {
		t.Errorf("report = %v", o)
	}
	for body, status := range map[string]int{
		`{"token":"used"}`:  http.StatusConflict,
		`{"token":"stale"}`: http.StatusGone,
		`{"token":"zz"}`:    http.StatusBadRequest,
		`{}`:                http.StatusBadRequest,
	} {
		e.do("POST", "/api/v1/report", body, "").want(t, status)
	}
	if len(f.tokens) != 1 {
		t.Errorf("reports %v, want the good one only", f.tokens)
	}
	// Without the use case the path answers 404 in JSON.
	newEnv(t).do("POST", "/api/v1/report", `{"token":"good"}`, "").want(t, http.StatusNotFound)
}

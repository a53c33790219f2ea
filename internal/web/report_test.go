package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/httpx"
)

// fakeReporter knows one good token; "stale", "used" and "broken" fail as
// their names say, anything else is not a link of ours.
type fakeReporter struct {
	reports []string
	out     *fraud.Outcome
}

const goodToken = "0123456789abcdef0123456789abcdef0123456789abcdef"

func (f *fakeReporter) check(token string) error {
	switch token {
	case goodToken:
		return nil
	case "stale":
		return twofold.Errorf(twofold.EEXPIRED, "This link has expired: the links in our notices work for 7 days.")
	case "used":
		return twofold.Errorf(twofold.ECONFLICT, "This link has already been used to report the change.")
	case "broken" + goodToken:
		return &twofold.Error{Code: twofold.EINTERNAL, Err: errors.New("database gone")}
	}
	return twofold.Errorf(twofold.EINVALID, "This link doesn't work.")
}

func (f *fakeReporter) Check(_ context.Context, token string) error { return f.check(token) }

func (f *fakeReporter) Report(_ context.Context, token string, _ twofold.Client) (*fraud.Outcome, error) {
	if err := f.check(token); err != nil {
		return nil, err
	}
	f.reports = append(f.reports, token)
	return f.out, nil
}

func reportEnv(t *testing.T, f *fakeReporter) *env {
	t.Helper()
	rec := &recorder{}
	logs := &bytes.Buffer{}
	e := &env{t: t, rec: rec, signin: newFakeSignin(rec), logs: logs}
	e.info = &fakeSecurityInfo{recorder: rec}
	h, err := New(Deps{
		Signin: e.signin, Sessions: fakeSessions{rec}, SecurityInfo: e.info, Report: f,
		Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	e.h = httpx.RequestContext(nil, h)
	return e
}

// Opening the link only asks: nothing is reported until the member confirms
// with a POST, so a mail scanner following links blocks no one.
func TestReportLinkAsksBeforeReporting(t *testing.T) {
	f := &fakeReporter{out: &fraud.Outcome{SignInsStopped: 1, SessionsEnded: 2, Helpdesk: "help@contoso.com"}}
	e := reportEnv(t, f)
	w := e.do("GET", "/report/"+goodToken, nil)
	wantBody(t, w, http.StatusOK, "Report a change you didn&#39;t make",
		`<form method="post" action="/report/`+goodToken+`"`, "Report this and block two-step verification")
	if len(f.reports) != 0 {
		t.Fatalf("GET reported %v", f.reports)
	}
	w = e.do("POST", "/report/"+goodToken, nil)
	wantBody(t, w, http.StatusOK, "We&#39;ve blocked two-step verification", "until your help desk lifts the block",
		"We stopped a sign-in", "We signed out 2 sessions", "help@contoso.com", "change your password")
	if len(f.reports) != 1 {
		t.Errorf("reports %v, want one", f.reports)
	}
}

func TestReportDoneSaysWhenTheBlockEnds(t *testing.T) {
	f := &fakeReporter{out: &fraud.Outcome{BlockedUntil: time.Date(2030, 4, 7, 9, 0, 0, 0, time.UTC)}}
	w := reportEnv(t, f).do("POST", "/report/"+goodToken, nil)
	wantBody(t, w, http.StatusOK, "until 7 April 2030 at 09:00 UTC")
	if strings.Contains(w.Body.String(), "We stopped") {
		t.Errorf("the page counts sign-ins that were not stopped:\n%s", w.Body)
	}
}

// Stale, tampered and used links get a page that says which, and nothing else.
func TestBadReportLinks(t *testing.T) {
	f := &fakeReporter{}
	e := reportEnv(t, f)
	for _, tc := range []struct {
		method, token string
		status        int
		title         string
	}{
		{"GET", "deadbeef", http.StatusBadRequest, "This link doesn&#39;t work"},
		{"POST", "deadbeef", http.StatusBadRequest, "This link doesn&#39;t work"},
		{"GET", "stale", httpx.Status(twofold.Errorf(twofold.EEXPIRED, "")), "This link has expired"},
		{"POST", "used", http.StatusConflict, "This link has already been used"},
	} {
		w := e.do(tc.method, "/report/"+tc.token, nil)
		wantBody(t, w, tc.status, tc.title, `href="/signin"`)
	}
	if len(f.reports) != 0 {
		t.Errorf("bad links reported %v", f.reports)
	}
}

// A failure of ours shows a reference, and the log line has no token.
func TestReportFailureLogsNoToken(t *testing.T) {
	e := reportEnv(t, &fakeReporter{})
	w := e.do("POST", "/report/broken"+goodToken, nil)
	wantBody(t, w, http.StatusInternalServerError, "Something went wrong")
	if strings.Contains(e.logs.String(), goodToken) || !strings.Contains(e.logs.String(), "database gone") {
		t.Errorf("log:\n%s\nwant the failure without the token", e.logs)
	}
}

// Without a Reporter the links are a plain 404.
func TestReportLinksOffWithoutReporter(t *testing.T) {
	w := newEnv(t, false).do("GET", "/report/"+goodToken, nil)
	wantBody(t, w, http.StatusNotFound, "Page not found")
}

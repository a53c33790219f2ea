package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// syncBuffer is a bytes.Buffer safe for the server's concurrent log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// No log line holds a password, an authenticator secret or code, a flow ID or a
// session token, even at debug level and through failures.
func TestLogsNeverHoldSecrets(t *testing.T) {
	var logs syncBuffer
	_, srv := testAppLogging(t, map[string]string{"TWOFOLD_LOG_LEVEL": "debug"}, &logs)
	const password = "correct horse battery staple"
	var flow struct{ FlowID string }
	apiCall(t, srv.URL, "POST", "/api/v1/signin", "", map[string]string{"username": "alex@contoso.test", "password": "wrong " + password}, nil)
	apiCall(t, srv.URL, "POST", "/api/v1/signin", "", map[string]string{"username": "alex@contoso.test", "password": password}, &flow)
	var app struct{ ID, SecretKey string }
	apiCall(t, srv.URL, "POST", "/api/v1/signin/"+flow.FlowID+"/softwareOathMethods", "", nil, &app)
	apiCall(t, srv.URL, "POST", "/api/v1/signin/"+flow.FlowID+"/softwareOathMethods/"+app.ID+"/activate", "", map[string]string{"verificationCode": "000000"}, nil)
	code, _ := totp.GenerateCode(app.SecretKey, time.Now())
	var done struct{ SessionToken string }
	apiCall(t, srv.URL, "POST", "/api/v1/signin/"+flow.FlowID+"/softwareOathMethods/"+app.ID+"/activate", "", map[string]string{"verificationCode": code}, &done)
	apiCall(t, srv.URL, "GET", "/api/v1/me/authentication/methods", done.SessionToken, nil, nil)
	apiCall(t, srv.URL, "GET", "/api/v1/me", "not-a-real-token", nil, nil)
	if done.SessionToken == "" || app.SecretKey == "" || flow.FlowID == "" {
		t.Fatal("the flow did not complete; the test would prove nothing")
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"http"`) {
		t.Fatal("no access log lines were captured")
	}
	for name, secret := range map[string]string{
		"password": password, "authenticator secret": app.SecretKey, "code": code,
		"flow ID": flow.FlowID, "session token": done.SessionToken,
	} {
		if strings.Contains(out, secret) {
			t.Errorf("a log line holds the %s", name)
		}
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// apiCall posts body (or GETs when body is nil) and decodes the JSON answer into out.
func apiCall(t testing.TB, srv string, method, path, token string, body, out any) int {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, srv+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// signInRegistering signs alex in through the API, registering an authenticator app
// at the interrupt with a code from pquerna/otp (not the project's TOTP code), and
// returns the session token.
func signInRegistering(t testing.TB, srv string) string {
	t.Helper()
	var flow struct{ FlowID, Status string }
	apiCall(t, srv, "POST", "/api/v1/signin", "", map[string]string{"username": "alex@contoso.test", "password": "correct horse battery staple"}, &flow)
	if flow.Status != "registration_required" {
		t.Fatalf("status %q", flow.Status)
	}
	var app struct{ ID, SecretKey string }
	apiCall(t, srv, "POST", "/api/v1/signin/"+flow.FlowID+"/softwareOathMethods", "", nil, &app)
	code, err := totp.GenerateCode(app.SecretKey, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var done struct{ Status, SessionToken string }
	apiCall(t, srv, "POST", "/api/v1/signin/"+flow.FlowID+"/softwareOathMethods/"+app.ID+"/activate", "", map[string]string{"verificationCode": code}, &done)
	if done.SessionToken == "" {
		t.Fatalf("not signed in: %+v", done)
	}
	return done.SessionToken
}

// BenchmarkSecurityInfoPage renders /my/security-info for a signed-in member with a
// fresh second factor: session lookup, methods, policy, template.
func BenchmarkSecurityInfoPage(b *testing.B) {
	_, srv := testApp(b, nil)
	token := signInRegistering(b, srv.URL)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for pb.Next() {
			req, _ := http.NewRequest("GET", srv.URL+"/my/security-info", nil)
			req.AddCookie(&http.Cookie{Name: "__Host-twofold_session", Value: token})
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

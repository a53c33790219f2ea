package main

import (
	"fmt"
	"net/http"
	"testing"
)

// The per-network limit of wrong passwords is the operator's setting.
func TestSignInIPLimitIsASetting(t *testing.T) {
	_, srv := testApp(t, map[string]string{"TWOFOLD_SIGNIN_IP_LIMIT": "3", "TWOFOLD_SIGNIN_IP_WINDOW": "1h"})
	for i := range 3 {
		body := map[string]string{"username": fmt.Sprintf("nobody%d@contoso.test", i), "password": "wrong password, long enough"}
		if code := apiCall(t, srv.URL, "POST", "/api/v1/signin", "", body, nil); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i+1, code)
		}
	}
	body := map[string]string{"username": "alex@contoso.test", "password": "correct horse battery staple"}
	if code := apiCall(t, srv.URL, "POST", "/api/v1/signin", "", body, nil); code != http.StatusTooManyRequests {
		t.Errorf("after 3 wrong passwords with TWOFOLD_SIGNIN_IP_LIMIT=3: %d, want 429", code)
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// testApp wires the whole service on a fresh data directory, as serve does.
func testApp(t testing.TB, settings map[string]string) (*app, *httptest.Server) {
	return testAppLogging(t, settings, io.Discard)
}

// testAppLogging is testApp with the service's log lines written to logs.
func testAppLogging(t testing.TB, settings map[string]string, logs io.Writer) (*app, *httptest.Server) {
	t.Helper()
	c := &command{ctx: context.Background(), global: &global{settings: map[string]string{"TWOFOLD_DATA_DIR": t.TempDir()}},
		stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs, getenv: func(string) string { return "" }, creates: true}
	cfg, err := c.load(settings)
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); a.close() })
	if _, err := a.admin.CreateOrg(c.ctx, cliActor, "Contoso", []string{"contoso.test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.admin.CreateUser(c.ctx, cliActor, adminNewUser("alex@contoso.test", "Alex Wilber", "correct horse battery staple")); err != nil {
		t.Fatal(err)
	}
	return a, srv
}

func postSignIn(client *http.Client, url, password string) (int, string, error) {
	return postSignInAs(client, url, "alex@contoso.test", password)
}

func postSignInAs(client *http.Client, url, username, password string) (int, string, error) {
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	resp, err := client.Post(url+"/api/v1/signin", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Retry-After"), nil
}

// An ordinary burst of 64 concurrent sign-ins waits for hash slots and succeeds.
// It is eight members signing in eight times each: a password check in flight
// holds one of its member's lockout places (10) until it is known right, so
// more than ten at once for one member are refused by design.
func TestSignInBurstQueuesAndSucceeds(t *testing.T) {
	// The wait is generous because the race detector makes each hash many times
	// slower; what is tested is that a burst queues rather than being refused.
	a, srv := testApp(t, map[string]string{"TWOFOLD_HASH_WAIT": "2m"})
	members := []string{"alex@contoso.test"}
	for i := range 7 {
		u := fmt.Sprintf("member%d@contoso.test", i)
		if _, err := a.admin.CreateUser(context.Background(), cliActor, adminNewUser(u, "Member", "correct horse battery staple")); err != nil {
			t.Fatal(err)
		}
		members = append(members, u)
	}
	var wg sync.WaitGroup
	statuses := make(chan int, 64)
	for i := range 64 {
		wg.Go(func() {
			code, _, err := postSignInAs(srv.Client(), srv.URL, members[i%len(members)], "correct horse battery staple")
			if err != nil {
				t.Error(err)
			}
			statuses <- code
		})
	}
	wg.Wait()
	close(statuses)
	for code := range statuses {
		if code != http.StatusOK {
			t.Errorf("a sign-in in the burst got %d, want 200", code)
		}
	}
}

// A flood past the queue gets 503 with Retry-After, never an error page or a crash,
// while the hashes that did run were bounded by the slots.
func TestSignInFloodGets503WithRetryAfter(t *testing.T) {
	_, srv := testApp(t, map[string]string{"TWOFOLD_HASH_SLOTS": "1", "TWOFOLD_HASH_QUEUE": "4", "TWOFOLD_HASH_WAIT": "50ms"})
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			code, retry, err := postSignIn(srv.Client(), srv.URL, "wrong password, and a long one")
			if err != nil {
				t.Error(err)
				return
			}
			if code == http.StatusServiceUnavailable && retry == "" {
				t.Error("503 without Retry-After")
			}
			mu.Lock()
			counts[code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no request was turned away: %v", counts)
	}
	for code, n := range counts {
		if code != http.StatusServiceUnavailable && code != http.StatusUnauthorized && code != http.StatusTooManyRequests {
			t.Errorf("%d requests got %d", n, code)
		}
	}
	t.Logf("flood of 200: %s", fmt.Sprint(counts))
}

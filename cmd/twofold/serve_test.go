package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// served is one `twofold serve` running in-process.
type served struct {
	stdout, stderr *syncBuffer
	stop           context.CancelFunc
	done           chan error
}

// startServe runs `twofold --data-dir dir serve args…` with env as its
// environment, and stops it when the test ends.
func startServe(t *testing.T, dir string, env map[string]string, args ...string) *served {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	s := &served{stdout: &syncBuffer{}, stderr: &syncBuffer{}, stop: stop, done: make(chan error, 1)}
	full := append([]string{"--data-dir", dir, "serve"}, args...)
	go func() {
		s.done <- run(ctx, full, strings.NewReader(""), s.stdout, s.stderr, func(k string) string { return env[k] })
	}()
	t.Cleanup(func() {
		stop()
		<-s.done
	})
	return s
}

// url waits for the line serve prints once it listens and returns its URL, or
// the error serve stopped with.
func (s *served) url(t *testing.T) (string, error) {
	t.Helper()
	re := regexp.MustCompile(`twofold is running at (\S+)`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s.stdout.String()); m != nil {
			return m[1], nil
		}
		select {
		case err := <-s.done:
			s.done <- err
			return "", err
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve printed no URL in 30s; stdout:\n%s\nstderr:\n%s", s.stdout, s.stderr)
	return "", nil
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The dev outbox shows codes and answers calls: serve offers it only on a
// loopback listener, refuses a wider one unless the operator says it is meant
// to be public, and then warns loudly.
func TestServeKeepsTheDevOutboxOffTheNetwork(t *testing.T) {
	t.Run("a wildcard address is refused", func(t *testing.T) {
		s := startServe(t, t.TempDir(), nil, "--addr", "0.0.0.0:0")
		_, err := s.url(t)
		if err == nil {
			t.Fatal("serve started with the dev outbox on 0.0.0.0")
		}
		for _, want := range []string{"0.0.0.0:0", "/dev/outbox", "--addr 127.0.0.1", "TWOFOLD_DEV_OUTBOX=false", "TWOFOLD_DEV_OUTBOX_PUBLIC=true"} {
			if msg := describe(err); !strings.Contains(msg, want) {
				t.Errorf("refusal %q does not mention %q", msg, want)
			}
		}
	})
	t.Run("loopback serves it, at the real port", func(t *testing.T) {
		s := startServe(t, t.TempDir(), nil, "--addr", "127.0.0.1:0")
		url, err := s.url(t)
		if err != nil {
			t.Fatal(describe(err))
		}
		if strings.HasSuffix(url, ":0") {
			t.Fatalf("serve printed %s, not the port it listens on", url)
		}
		if code := get(t, url+"/dev/outbox"); code != http.StatusOK {
			t.Errorf("/dev/outbox on loopback: %d", code)
		}
		if !strings.Contains(s.stderr.String(), `"url":"`+url+`"`) {
			t.Errorf("the start-up log does not name %s:\n%s", url, s.stderr)
		}
	})
	t.Run("public only when asked, with a warning", func(t *testing.T) {
		s := startServe(t, t.TempDir(), map[string]string{"TWOFOLD_DEV_OUTBOX_PUBLIC": "true"}, "--addr", "0.0.0.0:0")
		url, err := s.url(t)
		if err != nil {
			t.Fatal(describe(err))
		}
		if code := get(t, url+"/dev/outbox"); code != http.StatusOK {
			t.Errorf("/dev/outbox made public: %d", code)
		}
		if !strings.Contains(s.stderr.String(), "THE DEV OUTBOX IS PUBLIC") {
			t.Errorf("no warning in capitals:\n%s", s.stderr)
		}
	})
	t.Run("off when the page is off", func(t *testing.T) {
		s := startServe(t, t.TempDir(), map[string]string{"TWOFOLD_DEV_OUTBOX": "false"}, "--addr", "0.0.0.0:0")
		url, err := s.url(t)
		if err != nil {
			t.Fatal(describe(err))
		}
		if code := get(t, url+"/dev/outbox"); code != http.StatusNotFound {
			t.Errorf("/dev/outbox with TWOFOLD_DEV_OUTBOX=false: %d", code)
		}
	})
}

// Two services on one SQLite directory would each think they own it: the
// second is refused, naming the directory.
func TestSecondServeOnOneDataDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	first := startServe(t, dir, nil, "--addr", "127.0.0.1:0")
	if _, err := first.url(t); err != nil {
		t.Fatal(describe(err))
	}
	second := startServe(t, dir, nil, "--addr", "127.0.0.1:0")
	_, err := second.url(t)
	if err == nil {
		t.Fatal("a second serve started on the same data directory")
	}
	if msg := describe(err); !strings.Contains(msg, dir) || !strings.Contains(msg, "already") {
		t.Errorf("refusal %q should say the directory %s is already in use", msg, dir)
	}
}

// The handler mounts the page under the same rule, whoever builds it.
func TestHandlerMountsTheOutboxOnlyOnLoopback(t *testing.T) {
	for addr, want := range map[string]int{"127.0.0.1:8080": http.StatusOK, "0.0.0.0:8080": http.StatusNotFound} {
		_, srv := testApp(t, map[string]string{"TWOFOLD_ADDR": addr})
		if code := get(t, srv.URL+"/dev/outbox"); code != want {
			t.Errorf("TWOFOLD_ADDR %s: /dev/outbox %d, want %d", addr, code, want)
		}
	}
}

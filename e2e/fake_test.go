package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeServerEnv makes the test binary act as a stand-in for twofold, so
// that the harness's process handling is proven without the real binary.
const fakeServerEnv = "TWOFOLD_E2E_FAKE_TWOFOLD"

// fakeTwofold is the stand-in: `serve` answers /readyz after a short delay
// and shuts down on SIGTERM; any other command prints its arguments, its
// TWOFOLD_BASE_URL and what it read on stdin.
func fakeTwofold(args []string) int {
	if len(args) > 0 && args[0] == "serve" {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		addr := fs.String("addr", "", "")
		fs.String("data-dir", "", "")
		fs.String("database", "", "")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		ready := time.Now().Add(300 * time.Millisecond)
		mux := http.NewServeMux()
		mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
			if time.Now().Before(ready) {
				http.Error(w, "starting", http.StatusServiceUnavailable)
				return
			}
			fmt.Fprintln(w, "ok")
		})
		srv := &http.Server{Addr: *addr, Handler: mux}
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
		defer stop()
		go func() {
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = srv.Shutdown(sctx)
		}()
		fmt.Fprintln(os.Stderr, "fake twofold listening on", *addr)
		if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
	in, _ := io.ReadAll(os.Stdin)
	fmt.Printf("args=%s\nbase=%s\nstdin=%q\n", strings.Join(args, " "), os.Getenv("TWOFOLD_BASE_URL"), in)
	if len(args) > 0 && args[0] == "fail" {
		fmt.Fprintln(os.Stderr, "asked to fail")
		return 3
	}
	return 0
}

// TestServerHarness proves startServer and run against the stand-in: the
// readiness wait, the flags and environment given to commands, and the
// graceful-shutdown check at cleanup.
func TestServerHarness(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, serverOptions{binary: exe, Env: []string{fakeServerEnv + "=1"}})

	resp, err := http.Get(s.URL + "/readyz")
	if err != nil {
		t.Fatalf("GET %s/readyz: %v", s.URL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /readyz = %s after startServer returned", resp.Status)
	}

	out := s.runInput(t, "s3cret\n", "user", "create", "--username", "alex@contoso.test", "--password-stdin")
	for _, want := range []string{
		"args=user create --data-dir " + s.DataDir + " --username alex@contoso.test --password-stdin",
		"base=" + s.URL,
		`stdin="s3cret\n"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}
	if _, stderr, err := s.exec("", "fail"); err == nil || !strings.Contains(stderr, "asked to fail") {
		t.Errorf("exec(fail) = %v, stderr %q; want an error and the command's stderr", err, stderr)
	}
	if !strings.Contains(s.Logs(), "fake twofold listening on "+s.Addr) {
		t.Errorf("server logs lack the listening line:\n%s", s.Logs())
	}
}

package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make one database per test
)

// twofoldBin is where TestMain built cmd/twofold, or why it did not. It is set
// once, before any test runs, and only read afterwards.
var twofoldBin struct {
	path    string // the built binary
	missing string // why there is none: cmd/twofold does not exist yet
}

const (
	readyTimeout    = 30 * time.Second // from start to GET /readyz 200
	shutdownTimeout = 10 * time.Second // from SIGTERM to exit
	cliTimeout      = 60 * time.Second // one CLI command
)

// TestMain builds the real binary once for every test in the package. A
// build failure fails the whole package loudly: every test here is about
// that binary. While cmd/twofold does not exist at all, the tests that need
// it skip and say so, and the harness's own tests still run.
//
// TWOFOLD_E2E_BINARY=path tests a binary built elsewhere (a release build);
// TWOFOLD_E2E_BINARY=- builds nothing and skips the tests that need it, for
// work on the harness itself while cmd/twofold does not build.
func TestMain(m *testing.M) {
	if os.Getenv(fakeServerEnv) == "1" {
		os.Exit(fakeTwofold(os.Args[1:]))
	}
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "twofold-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	switch prebuilt := os.Getenv("TWOFOLD_E2E_BINARY"); prebuilt {
	case "":
	case "-":
		// For work on the harness while cmd/twofold does not build.
		twofoldBin.missing = "TWOFOLD_E2E_BINARY=- (no build asked for)"
		return m.Run()
	default:
		twofoldBin.path = prebuilt
		return m.Run()
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "twofold")); errors.Is(err, fs.ErrNotExist) {
		twofoldBin.missing = "cmd/twofold does not exist yet"
		return m.Run()
	}
	path := filepath.Join(dir, "twofold")
	args := []string{"build", "-o", path}
	if raceEnabled {
		// The tests run under -race, so the server does too: a data race in
		// the real server then fails the test that provoked it (exit 66).
		// Every package is instrumented but argon2, a pure function over
		// buffers it allocates itself: instrumented, one password hash took
		// 169 ms instead of 58, and the journeys hash hundreds of passwords.
		args = append(args, "-race", "-gcflags="+uninstrumentedArgon2)
	}
	args = append(args, "./cmd/twofold")
	start := time.Now()
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "\n=== e2e: FAILED to build the twofold binary: go %s (in %s): %v\n%s\n",
			strings.Join(args, " "), root, err, out)
		fmt.Fprintln(os.Stderr, "FAIL: every e2e test needs the real binary")
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: built %s in %s\n", path, time.Since(start).Round(time.Millisecond))
	twofoldBin.path = path
	return m.Run()
}

// uninstrumentedArgon2 is the -gcflags value that compiles argon2 without the
// race detector's instrumentation while every other package keeps it.
const uninstrumentedArgon2 = "golang.org/x/crypto/argon2=-race=false"

// moduleRoot returns the folder of the module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module (go env GOMOD is empty)")
	}
	return filepath.Dir(gomod), nil
}

// serverOptions chooses how startServer runs twofold.
type serverOptions struct {
	// Postgres runs the server on a fresh database in the PostgreSQL server
	// of TWOFOLD_TEST_POSTGRES (dropped at the end). The test skips when
	// the variable is unset.
	Postgres bool
	// Env adds variables to the server's and the CLI's environment.
	Env []string
	// ReplicaOf runs the server as another replica of that PostgreSQL server:
	// the same database and sealing key, its own process and port.
	ReplicaOf *server

	binary string // overrides the built binary; for the harness's own test
}

// server is a running twofold process, black-box.
type server struct {
	// URL is the base URL for browsers and HTTP clients, http://localhost:PORT:
	// localhost (not 127.0.0.1) because WebAuthn refuses IP addresses and
	// Chromium treats localhost as a secure context for __Host- cookies.
	URL      string
	Addr     string // 127.0.0.1:PORT, what the server listens on
	DataDir  string
	Database string // PostgreSQL URL, or "" for the embedded SQLite

	bin       string
	env       []string
	secretKey string // TWOFOLD_SECRET_KEY, shared by the replicas of a PostgreSQL server
	cmd       *exec.Cmd
	logs      *syncBuffer
	exited    chan struct{} // closed when the process has exited
	exitErr   error         // set before exited is closed
}

// startServer runs `twofold serve` on a free loopback port with a data
// directory of its own and waits until GET /readyz answers 200. At the end of
// the test it sends SIGTERM and fails the test unless the process exits
// cleanly within shutdownTimeout. The server's output is logged when the test
// fails.
func startServer(t *testing.T, opts serverOptions) *server {
	t.Helper()
	bin := opts.binary
	if bin == "" {
		if twofoldBin.path == "" {
			t.Skipf("no twofold binary: %s", twofoldBin.missing)
		}
		bin = twofoldBin.path
	}
	port := freePort(t)
	s := &server{
		URL:     fmt.Sprintf("http://localhost:%d", port),
		Addr:    fmt.Sprintf("127.0.0.1:%d", port),
		DataDir: t.TempDir(),
		bin:     bin,
		logs:    &syncBuffer{},
		exited:  make(chan struct{}),
	}
	s.env = append(childEnv(), "TWOFOLD_BASE_URL="+s.URL)
	switch {
	case opts.ReplicaOf != nil:
		s.Database, s.secretKey = opts.ReplicaOf.Database, opts.ReplicaOf.secretKey
	case opts.Postgres:
		s.Database = freshDatabase(t)
		// Replicas on PostgreSQL share their sealing key through config.
		key := make([]byte, 32)
		rand.Read(key)
		s.secretKey = base64.StdEncoding.EncodeToString(key)
	}
	if s.secretKey != "" {
		s.env = append(s.env, "TWOFOLD_SECRET_KEY="+s.secretKey)
	}
	s.env = append(s.env, opts.Env...)

	s.cmd = exec.Command(s.bin, s.withStore([]string{"serve", "--addr", s.Addr})...)
	s.cmd.Env = s.env
	s.cmd.Stdout = s.logs
	s.cmd.Stderr = s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", s.bin, err)
	}
	go func() {
		s.exitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() { s.stop(t) })

	if err := s.waitReady(readyTimeout); err != nil {
		t.Fatalf("twofold serve did not become ready: %v\n--- server output ---\n%s", err, s.logs)
	}
	return s
}

// waitReady polls GET /readyz until it answers 200, the process exits, or
// the timeout passes.
func (s *server) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	last := "no answer yet"
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("the process exited: %v", s.exitErr)
		default:
		}
		resp, err := client.Get("http://" + s.Addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = "GET /readyz: " + resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s (last: %s)", timeout, last)
}

// stop ends the server as an operator would and checks that the shutdown is
// graceful: the process exits by itself, with status 0, soon after SIGTERM.
func (s *server) stop(t *testing.T) {
	select {
	case <-s.exited:
		t.Errorf("twofold serve exited before the end of the test: %v", s.exitErr)
	default:
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Errorf("SIGTERM: %v", err)
		}
		select {
		case <-s.exited:
			if s.exitErr != nil {
				t.Errorf("twofold serve did not exit cleanly after SIGTERM: %v", s.exitErr)
			}
		case <-time.After(shutdownTimeout):
			t.Errorf("twofold serve did not exit within %s of SIGTERM (no graceful shutdown); killing it", shutdownTimeout)
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	}
	if t.Failed() {
		t.Logf("--- twofold serve output ---\n%s", s.logs)
	}
}

// Logs returns what the server has written to stdout and stderr so far.
func (s *server) Logs() string { return s.logs.String() }

// run runs a twofold CLI command against the server's data directory (and
// database) and returns its standard output. It fails the test if the
// command fails. Global flags go right after the command words, so
// `run(t, "org", "create", "--name", "Contoso")` runs
// `twofold org create --data-dir D --name Contoso`.
func (s *server) run(t *testing.T, args ...string) string {
	t.Helper()
	return s.runInput(t, "", args...)
}

// runInput is run with stdin, e.g. for --password-stdin.
func (s *server) runInput(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	stdout, stderr, err := s.exec(stdin, args...)
	if err != nil {
		t.Fatalf("twofold %s: %v\n--- stdout ---\n%s\n--- stderr ---\n%s",
			strings.Join(args, " "), err, stdout, stderr)
	}
	return stdout
}

// exec runs a CLI command and returns its outputs and error, for tests that
// expect a failure.
func (s *server) exec(stdin string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, s.withStore(args)...)
	cmd.Env = s.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// withStore puts --data-dir (and --database) after the leading command
// words of args.
func (s *server) withStore(args []string) []string {
	i := 0
	for i < len(args) && !strings.HasPrefix(args[i], "-") {
		i++
	}
	out := append([]string{}, args[:i]...)
	out = append(out, "--data-dir", s.DataDir)
	if s.Database != "" {
		out = append(out, "--database", s.Database)
	}
	return append(out, args[i:]...)
}

// childEnv is this process's environment without TWOFOLD_* variables: the
// test's own switches (TWOFOLD_TEST_POSTGRES, TWOFOLD_AXE, …) are not server
// configuration, and a strict config loader may rightly refuse unknown ones.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TWOFOLD_") {
			env = append(env, kv)
		}
	}
	return env
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// freshDatabase creates an empty database in the PostgreSQL server of
// TWOFOLD_TEST_POSTGRES, drops it at the end of the test, and returns its URL.
func freshDatabase(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("TWOFOLD_TEST_POSTGRES")
	if admin == "" {
		t.Skip("TWOFOLD_TEST_POSTGRES is not set: no PostgreSQL variant (.ci/run sets it)")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("TWOFOLD_TEST_POSTGRES: %v", err)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("open %s: %v", u.Redacted(), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	name := "twofold_e2e_" + strings.ToLower(rand.Text()[:12])
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		t.Fatalf("create database %s on %s: %v", name, u.Redacted(), err)
	}
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// syncBuffer is a bytes.Buffer safe for a process's writes and the test's reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// envOn reports whether the environment variable is set to 1 or true.
func envOn(name string) bool {
	v, _ := strconv.ParseBool(os.Getenv(name))
	return v
}

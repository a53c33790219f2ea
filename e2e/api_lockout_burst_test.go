package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/testkit"
)

// burstServers starts the servers a burst is spread over: one on SQLite, or two
// replicas of one PostgreSQL database, as production runs. Client addresses
// come from X-Forwarded-For, set per request, through the loopback proxy. The
// per-address limit is lowered to 30 so that the bursts stay a few times past
// every limit while costing few real argon2id hashes under the race detector;
// the full-size bursts (200 and 250 at once, on both databases and over two
// replicas' connection pools) run against the use cases in internal/signin.
func burstServers(t *testing.T, postgres bool) (first *server, clients []*apiClient) {
	t.Helper()
	// The hash queue holds a whole burst: these tests count checks, not
	// capacity, and every refused guess still costs a real argon2id hash
	// (several times slower under the race detector).
	env := []string{"TWOFOLD_TRUSTED_PROXIES=127.0.0.1/32", "TWOFOLD_HASH_WAIT=3m", "TWOFOLD_SIGNIN_IP_LIMIT=30"}
	servers := []*server{startServer(t, serverOptions{Postgres: postgres, Env: env})}
	if postgres {
		servers = append(servers, startServer(t, serverOptions{ReplicaOf: servers[0], Env: env}))
	}
	for _, s := range servers {
		c := newAPIClient(t, s)
		c.http.Timeout = 4 * time.Minute
		clients = append(clients, c)
	}
	seedOrg(t, servers[0])
	return servers[0], clients
}

// TestAPIPasswordBurst sends 60 wrong passwords for one account at once, from
// 60 addresses, to the real binary: one server on SQLite, two replicas on
// PostgreSQL. Every guess takes
// its place before the hash, so at most the lockout threshold (10) are checked,
// the account ends locked at the first level, and the right password sent just
// after is refused. It logs the lockout figures: concurrency, guesses checked
// and how long until the account locked and until every guess was answered.
func TestAPIPasswordBurst(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		a, clients := burstServers(t, postgres)
		m := seedMember(t, a, "target", "Burst Target")
		// A lock long enough to outlast the burst: on a loaded machine under
		// the race detector answering 60 guesses can take longer than the
		// default first lock, and the right password tried after them must
		// meet the lock the burst set, not one that has already run out.
		cli(t, a, "", "policy", "set", "--org", apiOrg.Domain, "--lockout-duration", "1h")
		const burst, threshold = 60, 10

		start := time.Now()
		statuses := make([]int, burst)
		testkit.Simultaneously(burst, func(i int) error {
			c := clients[i%len(clients)].withIP(fmt.Sprintf("10.20.0.%d", i+1))
			statuses[i] = c.do("POST", "/signin", map[string]string{
				"username": m.Username, "password": fmt.Sprintf("Guess-Number-%04d", i)}).Status
			return nil
		})
		took := time.Since(start)
		for i, st := range statuses {
			if st != http.StatusUnauthorized {
				t.Errorf("guess %d: status %d, want 401", i, st)
			}
		}
		for _, c := range clients {
			c.withIP("192.0.2.10").do("POST", "/signin", map[string]string{"username": m.Username, "password": m.Password}).
				apiErr(t, http.StatusUnauthorized, "unauthorized", "")
		}

		reasons, lockedAt := map[string]int{}, time.Time{}
		for _, e := range auditLog(t, a) {
			if e.Activity == "Sign-in" && e.TargetName == m.Username && e.Result == "failure" {
				reasons[e.Reason]++
				if e.Reason == "wrong password" && e.Time.After(lockedAt) {
					lockedAt = e.Time // the last checked guess is the one that locked
				}
			}
		}
		if reasons["wrong password"] != threshold {
			t.Errorf("%d passwords checked (audited as wrong), want exactly the threshold %d; reasons %v",
				reasons["wrong password"], threshold, reasons)
		}
		if got, want := reasons["account locked"], burst-threshold+len(clients); got != want {
			t.Errorf("%d refused unchecked as locked, want %d; reasons %v", got, want, reasons)
		}
		t.Logf("lockout burst over %d server(s) on %s: %d wrong passwords at once, %d checked, "+
			"locked after %v, all answered after %v; the right password after it refused",
			len(clients), map[bool]string{false: "SQLite", true: "PostgreSQL"}[postgres], burst,
			reasons["wrong password"], lockedAt.Sub(start).Round(time.Millisecond), took.Round(time.Millisecond))
	})
}

// TestAPINetworkBurst sends 80 failures at once from one address (unknown
// names, so no account lock is involved), spread over the servers: exactly the
// per-address limit (30 here) are answered as failures, the rest 429 with
// Retry-After.
func TestAPINetworkBurst(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		_, clients := burstServers(t, postgres)
		const burst, limit = 80, 30
		answers := make([]*apiResp, burst)
		testkit.Simultaneously(burst, func(i int) error {
			c := clients[i%len(clients)].withIP("198.51.100.250")
			answers[i] = c.do("POST", "/signin", map[string]string{
				"username": fmt.Sprintf("nobody%d@%s", i, apiOrg.Domain), "password": "Whatever-It-Is"})
			return nil
		})
		counts := map[int]int{}
		for _, r := range answers {
			counts[r.Status]++
			if r.Status == http.StatusTooManyRequests && r.Header.Get("Retry-After") == "" {
				t.Errorf("a 429 without Retry-After: %s", r)
			}
		}
		if counts[http.StatusUnauthorized] != limit || counts[http.StatusTooManyRequests] != burst-limit {
			t.Errorf("statuses of %d failures at once from one address: %v; want %d x 401 and %d x 429",
				burst, counts, limit, burst-limit)
		}
	})
}

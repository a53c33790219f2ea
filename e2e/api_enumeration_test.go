package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAPINoEnumeration(t *testing.T) {
	// Not parallel with the other API tests: it measures time.
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres, Env: []string{"TWOFOLD_TRUSTED_PROXIES=127.0.0.1,::1,10.0.0.0/8"}})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		lee := seedMember(t, s, "lee", "Lee Gu")
		// Members who take the timed wrong passwords: 10 each, so none is
		// locked before its last (lockout is at 10 in a row).
		var timed []*apiMember
		for i := range 10 {
			timed = append(timed, seedMember(t, s, fmt.Sprintf("timed%02d", i), fmt.Sprintf("Timed Member %d", i)))
		}
		base := newAPIClient(t, s)
		ipN := 0
		nextIP := func() *apiClient { // a new client address per request
			ipN++
			return base.withIP(fmt.Sprintf("10.%d.%d.%d", 20+ipN/65536, ipN/256%256, ipN%256))
		}
		body := func(u, p string) map[string]string { return map[string]string{"username": u, "password": p} }

		// 1. Lock Lee: 10 wrong passwords.
		for i := range 10 {
			nextIP().do("POST", "/signin", body(lee.Username, fmt.Sprintf("Wrong-Password-%d", i))).apiErr(t, 401, "unauthorized", "")
		}

		// 2. The same answer, whatever went wrong.
		type seen struct {
			status  int
			headers map[string]string
			body    string // re-encoded after parsing
		}
		look := func(r *apiResp) seen {
			var v any
			if err := json.Unmarshal(r.Body, &v); err != nil {
				t.Fatalf("%s: %v", r, err)
			}
			norm, _ := json.Marshal(v)
			h := map[string]string{}
			for _, name := range []string{"Content-Type", "Cache-Control", "WWW-Authenticate", "Retry-After", "Set-Cookie", "Location"} {
				h[name] = r.Header.Get(name)
			}
			return seen{r.Status, h, string(norm)}
		}
		answers := map[string]*apiResp{
			"unknown user":                      nextIP().do("POST", "/signin", body("nobody@contoso.test", alex.Password)),
			"unknown user in an unknown domain": nextIP().do("POST", "/signin", body("nobody@fabrikam.test", alex.Password)),
			"wrong password":                    nextIP().do("POST", "/signin", body(alex.Username, alex.Password+"x")),
			"wrong password, last letter":       nextIP().do("POST", "/signin", body(alex.Username, flipLast(alex.Password))),
			"locked account, right password":    nextIP().do("POST", "/signin", body(lee.Username, lee.Password)),
			"locked account, wrong password":    nextIP().do("POST", "/signin", body(lee.Username, "Wrong-Password-x")),
			"user name in capitals, wrong":      nextIP().do("POST", "/signin", body(strings.ToUpper(alex.Username), "Wrong-Password-x")),
		}
		ref := look(answers["unknown user"])
		answers["unknown user"].apiErr(t, http.StatusUnauthorized, "unauthorized", "")
		var e apiErrorBody
		json.Unmarshal(answers["unknown user"].Body, &e)
		if want := "Your user name or password is incorrect, or your account is locked for a few minutes after too many tries."; e.Error.Message != want {
			t.Errorf("the failure sentence is %q, want the documented %q", e.Error.Message, want)
		}
		for what, r := range answers {
			if got := look(r); !reflect.DeepEqual(got, ref) {
				t.Errorf("%s is told apart from an unknown user:\n  unknown user: %+v\n  %s: %+v", what, ref, what, got)
			}
		}

		// 3. Timing: interleaved unknown users and wrong passwords, each
		// from its own address so no limit interferes.
		const samples = 100
		warm := func() { // the first requests pay for connections and caches
			nextIP().do("POST", "/signin", body("warm-up@contoso.test", "Whatever-1"))
		}
		for range 5 {
			warm()
		}
		var unknown, wrong []time.Duration
		for i := range samples {
			u := func() {
				r := nextIP().do("POST", "/signin", body(fmt.Sprintf("nobody%03d@contoso.test", i), "Wrong-Password-x"))
				r.want(t, http.StatusUnauthorized)
				unknown = append(unknown, r.Took)
			}
			w := func() {
				m := timed[i%len(timed)]
				r := nextIP().do("POST", "/signin", body(m.Username, "Wrong-Password-x"))
				r.want(t, http.StatusUnauthorized)
				wrong = append(wrong, r.Took)
			}
			if i%2 == 0 { // alternate which goes first
				u()
				w()
			} else {
				w()
				u()
			}
		}
		mu, mw := median(unknown), median(wrong)
		ratio := float64(mw) / float64(mu)
		t.Logf("sign-in timing over %d each: median unknown user %s, median wrong password %s, ratio %.3f",
			samples, mu.Round(10*time.Microsecond), mw.Round(10*time.Microsecond), ratio)
		if ratio > 1.15 || ratio < 1/1.15 {
			t.Errorf("an unknown user and a wrong password differ in timing: medians %s and %s (ratio %.3f, more than 15%%)", mu, mw, ratio)
		}

		// 4. The per-IP limit: 100 failures from one address, then even the
		// right password from it is refused for now; another address is fine.
		// The limit's window is fixed (15 minutes); if the burst straddles a
		// window boundary, it is repeated once in the fresh window from a
		// fresh address, since the new window already holds the first
		// address's later failures.
		const limit = 100
		var attacker string
		var r429 *apiResp
		for attempt := 1; ; attempt++ {
			attacker = fmt.Sprintf("203.0.113.%d", 100+attempt)
			window := time.Now().Truncate(15 * time.Minute)
			burst(t, base.withIP(attacker), limit, 4, func(i int) any {
				return body(fmt.Sprintf("guess%03d-%d@contoso.test", i, attempt), "Wrong-Password-x")
			})
			r429 = base.withIP(attacker).do("POST", "/signin", body(alex.Username, alex.Password))
			if time.Now().Truncate(15*time.Minute).Equal(window) || attempt == 2 {
				break
			}
			t.Logf("the burst straddled a 15-minute window boundary; repeating it in the new window")
		}
		r429.apiErr(t, http.StatusTooManyRequests, "too_many_requests", "")
		if ra, err := strconv.Atoi(r429.Header.Get("Retry-After")); err != nil || ra <= 0 || ra > 15*60 {
			t.Errorf("429 has Retry-After %q, want seconds up to the window's 15 minutes", r429.Header.Get("Retry-After"))
		}
		// X-Forwarded-For's right-most untrusted entry is the client: the
		// same attacker behind another trusted proxy hop is the same client.
		base.withIP(attacker+", 10.0.0.1").do("POST", "/signin", body(alex.Username, alex.Password)).
			apiErr(t, http.StatusTooManyRequests, "too_many_requests", "")
		var ok signInAnswer
		base.withIP("203.0.113.67").do("POST", "/signin", body(alex.Username, alex.Password)).want(t, http.StatusOK).decode(t, &ok)
		if ok.Status != "registration_required" {
			t.Errorf("alex from another address: %+v, want registration_required", ok)
		}
	})
}

// burst sends n requests to POST /signin, workers at a time, and fails the
// test unless each is refused with 401 (a failure that counts).
func burst(t *testing.T, c *apiClient, n, workers int, body func(i int) any) {
	t.Helper()
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	for range workers {
		wg.Go(func() {
			for i := range next {
				r, err := c.try("POST", "/signin", body(i))
				mu.Lock()
				switch {
				case err != nil:
					problems = append(problems, err.Error())
				case r.Status != http.StatusUnauthorized:
					problems = append(problems, r.String())
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(problems) > 0 {
		t.Fatalf("%d of %d failures were not plain 401s: %v", len(problems), n, problems)
	}
}

// TestAPIParallelCodeSubmissions sends the same right code 50 times at once
// (last-byte synchronised, so the handlers really start together): exactly
// one signs in. Each loser is told the code was
// already used (400) or, when it loads the flow after the winner finished
// it, that the sign-in is gone (410, the contract's answer for a finished
// flow); nothing else.

// flipLast returns pw with its last character replaced by a different one, so the
// result is wrong by exactly one character whatever pw ends in.
func flipLast(pw string) string {
	last := pw[len(pw)-1]
	repl := byte('5')
	if last == repl {
		repl = '6'
	}
	return pw[:len(pw)-1] + string(repl)
}

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/testkit"
)

// textBenchMember is a member whose default sign-in method is a text to a phone of
// their own, so the back-off between texts to one number never slows the run.
type textBenchMember struct{ username, methodID, number string }

// BenchmarkTextCodeSignInAPI signs members in end to end through the JSON API with
// a texted code: POST /api/v1/signin (password; the text goes out at once), the
// code read from the dev outbox, POST /api/v1/signin/{flow}/verify. Just before
// and just after the timed part it measures raw argon2id hashes per second on all
// cores in the same process, and reports sign-ins per second as a ratio to their
// mean ("÷raw"), because this machine is shared and absolute figures drift from
// run to run; "raw-spread" says how far the two measurements differed. Run with a
// fixed count, e.g. -benchtime 600x, so setup is paid once per client count.
func BenchmarkTextCodeSignInAPI(b *testing.B) {
	backends := map[string]map[string]string{"sqlite": nil}
	for _, be := range testkit.Backends() {
		if be == testkit.Postgres {
			backends["postgres"] = map[string]string{}
		}
	}
	for _, name := range []string{"sqlite", "postgres"} {
		if _, ok := backends[name]; !ok {
			continue
		}
		for _, clients := range []int{1, 8, 64} {
			b.Run(fmt.Sprintf("%s/clients=%d", name, clients), func(b *testing.B) {
				settings := map[string]string{"TWOFOLD_HASH_WAIT": "1m"}
				if name == "postgres" {
					key := make([]byte, 32)
					_, _ = rand.Read(key)
					settings["TWOFOLD_DATABASE"] = testkit.PostgresURL(b)
					settings["TWOFOLD_SECRET_KEY"] = base64Key(key)
				}
				a, srv := testApp(b, settings)
				pool := textBenchSetup(b, a, max(b.N, clients))
				before := rawHashRate(time.Second)
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
				var next atomic.Int64
				b.ResetTimer()
				var wg sync.WaitGroup
				for range clients {
					wg.Go(func() {
						for {
							i := next.Add(1) - 1
							if i >= int64(b.N) {
								return
							}
							textSignIn(b, a, client, srv.URL, pool[i])
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				// Raw hashing is measured on both sides of the timed part, so a
				// neighbour taking the CPU shows as a spread instead of a skewed ratio.
				after := rawHashRate(time.Second)
				raw := (before + after) / 2
				rate := float64(b.N) / b.Elapsed().Seconds()
				b.ReportMetric(rate, "signins/s")
				b.ReportMetric(raw, "raw-hashes/s")
				b.ReportMetric(rate/raw, "÷raw")
				b.ReportMetric(math.Abs(before-after)/raw, "raw-spread")
			})
		}
	}
}

// textBenchSetup gives n members a mobile phone each (default: text) and raises
// the organization's daily limits so the benchmark measures work, not refusals.
func textBenchSetup(b *testing.B, a *app, n int) []textBenchMember {
	b.Helper()
	ctx := context.Background()
	org, err := a.admin.Org(ctx, "contoso.test")
	if err != nil {
		b.Fatal(err)
	}
	p := org.Policy
	p.Phone.SendsPerMemberPerDay, p.Phone.SendsPerNumberPerDay = 100, 100
	p.Phone.SendsPerCountryPerDay, p.Phone.SendsPerOrgPerDay = 1000000, 1000000
	if err := a.admin.UpdatePolicy(ctx, cliActor, org, p); err != nil {
		b.Fatal(err)
	}
	// One hash shared by every member: setup costs one hash, not n.
	hash, err := a.hasher.Hash(ctx, "correct horse battery staple")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	out := make([]textBenchMember, n)
	for i := range out {
		u := &twofold.User{ID: twofold.NewID(), OrgID: org.ID, Username: fmt.Sprintf("t%05d@contoso.test", i),
			DisplayName: "Bench", Role: twofold.RoleMember, PasswordHash: hash,
			PreferredMethod: twofold.PreferenceSMS, CreatedAt: now}
		if err := a.store.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
		m := &twofold.Method{ID: twofold.NewID(), UserID: u.ID, Kind: twofold.KindPhone, State: twofold.MethodActive,
			Name: "Phone", PhoneType: twofold.PhoneMobile, PhoneNumber: fmt.Sprintf("+1425%07d", 5550000+i%4000000),
			CreatedAt: now, ActivatedAt: now}
		if err := a.store.CreateMethod(ctx, m); err != nil {
			b.Fatal(err)
		}
		out[i] = textBenchMember{username: u.Username, methodID: m.ID, number: m.PhoneNumber}
	}
	return out
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// textSignIn runs one sign-in of m through the API and fails b unless it ends
// signed in.
func textSignIn(b *testing.B, a *app, client *http.Client, base string, m textBenchMember) {
	var flow struct {
		FlowID    string `json:"flowId"`
		Status    string `json:"status"`
		SendError any    `json:"sendError"`
	}
	if code := postJSON(client, base+"/api/v1/signin", map[string]string{"username": m.username, "password": "correct horse battery staple"}, &flow); code != http.StatusOK || flow.Status != "mfa_required" || flow.SendError != nil {
		b.Errorf("password step: %d %+v", code, flow)
		return
	}
	msgs, err := a.store.ListMessages(context.Background(), m.number, 1)
	if err != nil || len(msgs) == 0 {
		b.Errorf("no text to %s: %v", m.number, err)
		return
	}
	code := sixDigits.FindString(msgs[0].Body)
	var done struct {
		Status string `json:"status"`
		Token  string `json:"sessionToken"`
	}
	status := postJSON(client, base+"/api/v1/signin/"+flow.FlowID+"/verify", map[string]string{"methodId": m.methodID, "code": code}, &done)
	if status != http.StatusOK || done.Status != "signed_in" {
		b.Errorf("verify: %d %+v", status, done)
	}
}

func postJSON(client *http.Client, url string, body, out any) int {
	raw, _ := json.Marshal(body)
	resp, err := client.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if json.Unmarshal(data, out) != nil && !strings.Contains(string(data), "{") {
		return 0
	}
	return resp.StatusCode
}

// rawHashRate returns argon2id hashes per second with the default parameters on
// every core, measured for about d: the reference the sign-in rate is divided by.
func rawHashRate(d time.Duration) float64 {
	p := password.DefaultParams()
	salt := make([]byte, p.SaltLen)
	var n atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for time.Since(start) < d {
				argon2.IDKey([]byte("benchmark password"), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

func base64Key(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// passSentence is the one answer to every refused Temporary Access Pass.
const passSentence = "Your user name or Temporary Access Pass is incorrect, or the pass has expired or was already used. Ask your help desk for a new one."

// TestAPITemporaryAccessPass drives passes on the real binary, on SQLite and
// PostgreSQL: the operator enables passes and issues a one-time pass with the
// CLI (the pass alone on standard output); 50 simultaneous sign-ins with it
// get exactly one 200, into the registration interrupt, and 49 times the one
// 401 sentence; the winner finishes the interrupt with an authenticator app.
// A second, reusable pass then signs the member in at once, with a second
// factor fresh enough to add security info, while the password stays needed to
// change the password.
func TestAPITemporaryAccessPass(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, postgres bool) {
		s := startServer(t, serverOptions{Postgres: postgres})
		seedOrg(t, s)
		alex := seedMember(t, s, "alex", "Alex Wilber")
		cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--enable", "temporaryAccessPass")
		pass := strings.TrimSuffix(cli(t, s, "", "tap", "create", "--user", alex.Username, "--one-time"), "\n")
		if len(pass) != 19 || strings.Count(pass, "-") != 3 {
			t.Fatalf("tap create printed %q, want the pass alone", pass)
		}
		c := newAPIClient(t, s)
		auditBefore := len(auditLog(t, s))

		const n = 50
		body := map[string]string{"username": alex.Username, "temporaryAccessPass": pass}
		results := c.simultaneous(t, n, "POST", "/signin/temporaryAccessPass", body)
		var wins []signInAnswer
		refusals := map[string]int{}
		for _, r := range results {
			switch r.Status {
			case http.StatusOK:
				var a signInAnswer
				r.decode(t, &a)
				wins = append(wins, a)
			case http.StatusUnauthorized:
				e := r.apiErr(t, http.StatusUnauthorized, "unauthorized", "-")
				refusals[e.Error.Message]++
			default:
				t.Errorf("unexpected answer: %s", r)
			}
		}
		t.Logf("%d simultaneous sign-ins with one one-time pass: %d in, refusals %v", n, len(wins), refusals)
		if len(wins) != 1 {
			t.Fatalf("%d of %d sign-ins used the one-time pass, want exactly 1", len(wins), n)
		}
		if len(refusals) != 1 || refusals[passSentence] != n-1 {
			t.Errorf("refusals %v, want %d times the one sentence", refusals, n-1)
		}
		used := 0
		for _, e := range newerThan(auditLog(t, s), auditBefore) {
			if e.Activity == "Sign-in with Temporary Access Pass" {
				used++
			}
		}
		if used != 1 {
			t.Errorf("the audit log records %d uses of the pass, want 1", used)
		}

		// The winner is in the interrupt: it registers an authenticator app.
		w := wins[0]
		if w.Status != "registration_required" || w.FlowID == "" {
			t.Fatalf("the winner: %+v, want registration_required", w)
		}
		var setup oathSetup
		c.do("POST", "/signin/"+w.FlowID+"/softwareOathMethods", nil).want(t, http.StatusCreated).decode(t, &setup)
		alex.app = &authApp{secret: setup.SecretKey}
		var done signInAnswer
		c.do("POST", "/signin/"+w.FlowID+"/softwareOathMethods/"+setup.ID+"/activate",
			map[string]string{"verificationCode": alex.app.code(t)}).want(t, http.StatusOK).decode(t, &done)
		if done.Status != "signed_in" || done.SessionToken == "" {
			t.Fatalf("activation after the pass: %+v", done)
		}
		c.do("POST", "/signin/temporaryAccessPass", body).apiErr(t, http.StatusUnauthorized, "unauthorized", "-")

		// A reusable pass signs a member with methods in at once.
		again := strings.TrimSuffix(cli(t, s, "", "tap", "create", "--user", alex.Username, "--lifetime", "1h"), "\n")
		var in signInAnswer
		c.do("POST", "/signin/temporaryAccessPass", map[string]string{"username": alex.Username, "temporaryAccessPass": strings.ToLower(again)}).
			want(t, http.StatusOK).decode(t, &in)
		if in.Status != "signed_in" || in.SessionToken == "" {
			t.Fatalf("reusable pass with an app registered: %+v, want signed_in", in)
		}
		c.do("POST", "/me/authentication/softwareOathMethods", nil, bearerToken(in.SessionToken)).want(t, http.StatusCreated)
		if list := cli(t, s, "", "tap", "list", "--user", alex.Username); strings.Contains(list, again) {
			t.Errorf("tap list shows the pass:\n%s", list)
		}
	})
}

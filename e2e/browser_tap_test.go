package e2e

import (
	"strings"
	"testing"
)

// TestBrowserTemporaryAccessPass signs a member in with a Temporary Access Pass
// in real Chromium against the real binary, on both databases: the sign-in
// card links to the pass card; a wrong pass shows the one sentence in the
// error summary (focused, the user name kept, the pass not); the right pass,
// typed in lower case, lets a member who has an authenticator app straight
// into Security info without verifying again, where the pass is listed with
// its end and is not among the methods to add. Screenshots at desktop and
// phone widths, and axe, on each page.
func TestBrowserTemporaryAccessPass(t *testing.T) {
	for _, v := range []struct {
		name     string
		postgres bool
	}{
		{"sqlite", false},
		{"postgres", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, serverOptions{Postgres: v.postgres})
			seedOrg(t, s)
			cli(t, s, "", "policy", "set", "--org", apiOrg.Domain, "--enable", "temporaryAccessPass")
			robin := seedMember(t, s, "robin", "Robin Pass")
			newAPIClient(t, s).registerByInterrupt(t, robin, "")
			pass := strings.TrimSpace(cli(t, s, "", "tap", "create", "--user", robin.Username, "--lifetime", "8h"))
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres

			b.open("/signin")
			b.submit("#signin-tap")
			b.expectPath("/signin/tap")
			b.expectText("Sign in with a Temporary Access Pass")
			b.page("tap-signin")

			b.fill("#username", robin.Username)
			b.fill("#pass", "WXYZ-WXYZ-WXYZ-WXYZ")
			b.submitText("Sign in")
			b.expectPath("/signin/tap")
			b.expectText("There is a problem", passSentence)
			if got := b.focused(); got != "#error-summary" {
				t.Errorf("after a refused pass the focus is on %q, want the error summary", got)
			}
			if got := b.fieldValue("#username"); got != robin.Username {
				t.Errorf("the user name field holds %q after a refusal", got)
			}
			if got := b.fieldValue("#pass"); got != "" {
				t.Errorf("the pass field holds %q after a refusal, want it empty", got)
			}
			b.page("tap-signin-refused")

			b.fill("#pass", strings.ToLower(pass))
			b.submitText("Sign in")
			b.open("/my/security-info")
			b.expectPath("/my/security-info")
			b.expectText("Authenticator app", "Temporary Access Pass", "Ends ")
			b.page("tap-security-info")
			b.open("/my/security-info/add")
			if strings.Contains(b.bodyText(), "Temporary Access Pass") {
				t.Errorf("the Add page offers a Temporary Access Pass:\n%s", b.bodyText())
			}
			if strings.Contains(s.Logs(), pass) {
				t.Errorf("the server log carries the pass")
			}
		})
	}
}

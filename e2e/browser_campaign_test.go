package e2e

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to end a snooze in the server's file
)

// TestBrowserRegistrationCampaign is the registration campaign in Chromium on
// both databases: a member whose only method is an authenticator app, in an
// organization whose password reset needs two, is asked after sign-in to add a
// way to reset their password, puts it off three times ("Not now"), is then
// required to add one, adds a second app and is asked no more.
func TestBrowserRegistrationCampaign(t *testing.T) {
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
			seed(t, s)
			s.run(t, "policy", "set", "--org", "contoso.test", "--reset-methods-required", "2", "--snooze-days", "1")
			b := newBrowser(t, s.URL)
			b.Review = !v.postgres
			campaignJourney(t, s, b)
		})
	}
}

func campaignJourney(t *testing.T, s *server, b *browser) {
	// 1. The interrupt asks only for a second factor; once the app works,
	// Next goes on to the campaign.
	b.signInPassword(alex)
	b.expectPath("/signin/register…")
	b.submitText("Next")
	app := b.setUpApp("campaign-register-app", "")
	b.expectText("You're all set")
	b.submitText("Next")
	b.expectPath("/my/register")
	b.expectText("Help us protect your account", "Add a way to reset your password", "one more method",
		"Add Phone", "Add Security key", "You can put this off 3 more times", "a day from now")
	b.page("campaign")

	// 2. Not now: My Account; a sign-in during the snooze is not asked.
	b.submit("#not-now")
	b.expectPath("/my")
	b.submit("#signout")
	b.signInPassword(alex)
	b.expectPath("/signin/verify")
	b.fill(`input[name=code]`, aheadCode(t, app))
	b.submitText("Verify")
	b.expectPath("/my")

	// 3. Two more snoozes, each once the one before has ended.
	for _, left := range []string{"2 more times", "one more time"} {
		endSnooze(t, s, alex.Username)
		b.open("/my/register")
		b.expectPath("/my/register")
		b.expectText("You can put this off " + left)
		b.submit("#not-now")
		b.expectPath("/my")
		b.open("/my/register") // during the snooze the page is not shown
		b.expectPath("/my")
	}

	// 4. After the third snooze the next sign-in requires it: no Not now.
	endSnooze(t, s, alex.Username)
	b.submit("#signout")
	b.signInPassword(alex)
	b.fill(`input[name=code]`, aheadCode(t, app))
	b.submitText("Verify")
	b.expectPath("/my/register")
	b.expectText("You've put this off 3 times, so your organization asks you to add it now.")
	if b.has("#not-now") {
		t.Errorf("Not now is offered after three snoozes")
	}
	b.page("campaign-required")

	// 5. Add a second authenticator app from the campaign; then nothing is asked.
	b.submit("#add-softwareOath")
	b.expectPath("/my/security-info/app/…")
	b.setUpApp("campaign-add-app", "Backup")
	b.expectText("Authenticator app")
	b.open("/my/register")
	b.expectPath("/my")

	audit := s.run(t, "audit", "list", "--org", "contoso.test", "--limit", "100")
	for _, want := range []string{"User started security info registration", "User canceled security info registration",
		"User registered all required security info"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %q:\n%s", want, audit)
		}
	}
	if n := strings.Count(audit, "User canceled security info registration"); n != 3 {
		t.Errorf("%d snoozes in the audit log, want 3:\n%s", n, audit)
	}
}

// endSnooze ends the member's running snooze as if its days had passed, by
// moving its end into the past in the server's database: the server reads the
// clock of the machine, which a test can't move.
func endSnooze(t *testing.T, s *server, username string) {
	t.Helper()
	driver, dsn := "pgx", s.Database
	var past any = time.Now().Add(-time.Minute).UTC()
	if dsn == "" {
		driver = "sqlite"
		dsn = filepath.Join(s.DataDir, "twofold.db") + "?_pragma=busy_timeout(5000)"
		past = time.Now().Add(-time.Minute).UnixNano()
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open the server's database: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := db.ExecContext(ctx, `UPDATE users SET campaign_snoozed_until = $1 WHERE username = $2 AND campaign_snoozed_until IS NOT NULL`, past, username)
	if err != nil {
		t.Fatalf("end the snooze: %v", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("no running snooze of %s to end", username)
	}
}

package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// The operator issues a pass: the pass alone on standard output, the note on
// standard error; the pass signs the member in; list never shows it; delete
// ends it.
func TestTemporaryAccessPassFromTheCommandLine(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	c.must("correct horse battery staple\n", "user", "create", "--username", "alex@contoso.test", "--display-name", "Alex Wilber", "--password-stdin")
	if _, err := c.run("", "tap", "create", "--user", "alex@contoso.test"); twofold.ErrorCode(err) != twofold.EFORBIDDEN {
		t.Fatalf("tap create with passes off: %v, want refused", describe(err))
	}
	c.must("", "policy", "set", "--org", "contoso.test", "--enable", "temporaryAccessPass")

	out, notes, err := c.runBoth("", "tap", "create", "--user", "Alex@Contoso.test", "--lifetime", "2h", "--one-time")
	if err != nil {
		t.Fatalf("tap create: %v", describe(err))
	}
	pass := strings.TrimSuffix(out, "\n")
	if len(pass) != 19 || strings.ContainsAny(pass, " \n\t") {
		t.Fatalf("standard output %q: want the pass alone", out)
	}
	if strings.Contains(notes, pass) || !strings.Contains(notes, "shown once") || !strings.Contains(notes, "one-time use") {
		t.Errorf("standard error %q", notes)
	}
	if _, err := c.run("", "tap", "create", "--user", "alex@contoso.test", "--lifetime", "5m"); twofold.ErrorField(err) != "lifetime" {
		t.Errorf("a 5-minute pass: %v, want refused on lifetime", describe(err))
	}
	if _, err := c.run("", "tap", "create", "--user", "nobody@contoso.test"); twofold.ErrorField(err) != "user" {
		t.Errorf("unknown member: %v", describe(err))
	}

	list := c.must("", "tap", "list", "--user", "alex@contoso.test")
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "true") || strings.Contains(list, pass) {
		t.Fatalf("tap list:\n%s", list)
	}

	a := c.openDir()
	r, err := a.signin.TemporaryAccessPass(context.Background(), "alex@contoso.test", pass, twofold.Client{IP: "192.0.2.1"})
	if err != nil || r.State != twofold.FlowRegistrationRequired {
		t.Fatalf("sign-in with the printed pass: %+v, %v", r, err)
	}

	id := strings.Fields(lines[1])[0]
	if out := c.must("", "tap", "delete", "--user", "alex@contoso.test", "--id", id); !strings.Contains(out, "deleted") {
		t.Errorf("tap delete: %q", out)
	}
	if list := c.must("", "tap", "list", "--user", "alex@contoso.test"); strings.Count(strings.TrimSpace(list), "\n") != 0 {
		t.Errorf("tap list after delete:\n%s", list)
	}

	// The background sweep removes a pass once it has ended, and not before.
	c.must("", "tap", "create", "--user", "alex@contoso.test", "--lifetime", "1h")
	a.sweepOnce(context.Background(), time.Now().Add(30*time.Minute))
	if list := c.must("", "tap", "list", "--user", "alex@contoso.test"); strings.Count(strings.TrimSpace(list), "\n") != 1 {
		t.Errorf("tap list after a sweep within the pass's life:\n%s", list)
	}
	a.sweepOnce(context.Background(), time.Now().Add(2*time.Hour))
	if list := c.must("", "tap", "list", "--user", "alex@contoso.test"); strings.Count(strings.TrimSpace(list), "\n") != 0 {
		t.Errorf("tap list after the pass ended and the sweep ran:\n%s", list)
	}
}

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// The pass settings the console's form has are on the command line too, and
// their problems are named by flag, every one at once.
func TestPolicyTemporaryAccessPassFlags(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	c.must("", "policy", "set", "--org", "contoso.test", "--tap-max-lifetime", "72h", "--tap-default-lifetime", "2h", "--tap-one-time", "true")
	p := shownPolicy(t, c)
	if p.TemporaryAccessPass.MaxLifetime != twofold.Duration(72*time.Hour) || p.TemporaryAccessPass.DefaultLifetime != twofold.Duration(2*time.Hour) || !p.TemporaryAccessPass.OneTimeOnly {
		t.Errorf("pass settings: %+v", p.TemporaryAccessPass)
	}
	_, err := c.run("", "policy", "set", "--org", "contoso.test", "--tap-max-lifetime", "1000h", "--lockout-threshold", "1", "--tap-one-time", "maybe")
	msg := describe(err)
	for _, want := range []string{"--tap-max-lifetime: ", "--lockout-threshold: ", `--tap-one-time: "maybe" is not true or false`} {
		if err == nil || !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

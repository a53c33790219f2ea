package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

// Security questions are offered by this build: on by default, and an admin
// may turn them off and on again.
func TestPolicySecurityQuestionsCanBeEnabled(t *testing.T) {
	c := cli{t: t, dir: t.TempDir()}
	c.must("", "org", "create", "--name", "Contoso", "--domain", "contoso.test")
	enabled := func() bool {
		shown := c.must("", "policy", "show", "--org", "contoso.test")
		var p twofold.Policy
		if err := json.Unmarshal([]byte(shown[strings.Index(shown, "{"):]), &p); err != nil {
			t.Fatalf("policy show: %v\n%s", err, shown)
		}
		return p.MethodEnabled(twofold.KindSecurityQuestions)
	}
	if !enabled() {
		t.Fatal("security questions are off by default")
	}
	c.must("", "policy", "set", "--org", "contoso.test", "--disable", "securityQuestions")
	if enabled() {
		t.Fatal("--disable kept security questions")
	}
	c.must("", "policy", "set", "--org", "contoso.test", "--enable", "securityQuestions")
	if !enabled() {
		t.Fatal("--enable did not turn security questions on")
	}
	c.must("", "policy", "set", "--org", "contoso.test", "--methods", "softwareOath,securityQuestions")
	if !enabled() {
		t.Fatal("--methods did not keep security questions")
	}
}

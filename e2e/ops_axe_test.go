package e2e

import (
	"strings"
	"testing"
)

// Without axe-core the accessibility checks are skipped with the reason, and
// with TWOFOLD_REQUIRE_AXE=1 they fail: never a silent pass.
func TestAxeMissingIsASkipOrAFailure(t *testing.T) {
	for _, tc := range []struct {
		path       string
		require    bool
		wantReason bool
		wantFail   bool
	}{
		{"/opt/axe/axe.min.js", false, false, false},
		{"/opt/axe/axe.min.js", true, false, false},
		{"", false, true, false},
		{"", true, true, true},
	} {
		reason, fail := axeMissing(tc.path, tc.require)
		if (reason != "") != tc.wantReason || fail != tc.wantFail {
			t.Errorf("axeMissing(%q, %v) = %q, %v", tc.path, tc.require, reason, fail)
		}
		if reason != "" && (!strings.Contains(reason, "TWOFOLD_AXE") || !strings.Contains(reason, "TWOFOLD_REQUIRE_AXE")) {
			t.Errorf("reason %q does not say what to set", reason)
		}
	}
}

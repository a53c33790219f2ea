package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeMissing says why the accessibility checks can't run: "" when TWOFOLD_AXE
// is set. A missing axe-core fails the test when TWOFOLD_REQUIRE_AXE=1 (CI),
// and otherwise skips each check with this reason, so a run without it shows
// the checks as skipped instead of passed.
func axeMissing(axePath string, require bool) (reason string, fail bool) {
	if axePath != "" {
		return "", false
	}
	if require {
		return "TWOFOLD_AXE is not set and TWOFOLD_REQUIRE_AXE=1 makes this a failure: set it to axe.min.js from `npm install axe-core` (.ci/run does)", true
	}
	return "accessibility check skipped: TWOFOLD_AXE is not set (npm install axe-core and point it at axe.min.js, as .ci/run does; TWOFOLD_REQUIRE_AXE=1 makes this a failure)", false
}

// loadAxe reads axe-core's axe.min.js from TWOFOLD_AXE, or returns "" when it
// is not set (see axeMissing).
func loadAxe(t *testing.T) string {
	t.Helper()
	path := os.Getenv("TWOFOLD_AXE")
	if reason, fail := axeMissing(path, envOn("TWOFOLD_REQUIRE_AXE")); fail {
		t.Fatal(reason)
	} else if reason != "" {
		return ""
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("TWOFOLD_AXE: %v", err)
	}
	return string(src)
}

// axeViolation is one rule that failed, with the elements that failed it.
type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target         json.RawMessage `json:"target"` // CSS selectors; nested arrays for shadow DOM
	HTML           string          `json:"html"`
	FailureSummary string          `json:"failureSummary"`
}

// axeRun runs every axe rule (except experimental ones) on the document and
// returns only what is needed to report violations.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary})),
})))`

// axeViolations injects axe-core into the current page, if it is not there
// yet, and returns the violations. Runtime.evaluate from the DevTools
// protocol is not subject to the page's CSP, so no inline script is needed.
// It returns nil, false when axe-core is not configured; reportAxe then
// reports the check as skipped.
func (b *browser) axeViolations() ([]axeViolation, bool) {
	b.t.Helper()
	if b.shared.axe == "" {
		return nil, false
	}
	if !eval[bool](b, `typeof window.axe === 'object'`) {
		run(b, "inject axe-core", chromedp.Evaluate[chromedp.Void](b.shared.axe))
	}
	return eval[[]axeViolation](b, axeRun), true
}

// runAxe is axeViolations for page(), which reports them later.
func (b *browser) runAxe() []axeViolation {
	b.t.Helper()
	v, _ := b.axeViolations()
	return v
}

// axeCheck fails the test (without stopping it) when the current page has
// accessibility violations, at the current viewport.
func (b *browser) axeCheck(name string) {
	b.t.Helper()
	var found axeFindings
	found.add(b.runAxe(), "current viewport")
	b.reportAxe(name, found)
}

// axeFindings merges the violations of several runs of one page (desktop,
// phone, dark) so each failing element is reported once, with where it
// failed.
type axeFindings struct {
	list []*axeFinding
}

type axeFinding struct {
	v     axeViolation
	node  axeNode
	modes []string
}

func (f *axeFindings) add(vs []axeViolation, mode string) {
	for _, v := range vs {
		for _, n := range v.Nodes {
			i := slices.IndexFunc(f.list, func(x *axeFinding) bool {
				return x.v.ID == v.ID && string(x.node.Target) == string(n.Target)
			})
			if i < 0 {
				f.list = append(f.list, &axeFinding{v: v, node: n, modes: []string{mode}})
			} else if !slices.Contains(f.list[i].modes, mode) {
				f.list[i].modes = append(f.list[i].modes, mode)
			}
		}
	}
}

// reportAxe reports the accessibility check of one page as its own subtest,
// "axe <name>": failed with the violations found, or skipped with the reason
// when axe-core is missing, never passed without having run.
func (b *browser) reportAxe(name string, f axeFindings) {
	b.t.Helper()
	b.t.Run("axe "+name, func(t *testing.T) {
		if reason, _ := axeMissing(b.shared.axe, false); reason != "" {
			t.Skip(reason)
		}
		if msg := b.axeReport(name, f); msg != "" {
			t.Error(msg)
		}
	})
}

// axeReport describes the violations found on a page, or "" for none.
func (b *browser) axeReport(name string, f axeFindings) string {
	if len(f.list) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "page %q has %d accessibility violation(s) (axe-core) at %s:", name, len(f.list), b.path())
	for _, x := range f.list {
		fmt.Fprintf(&sb, "\n  [%s] %s: %s (%s)\n      at %s: %s\n      %s",
			x.v.Impact, x.v.ID, x.v.Help, strings.Join(x.modes, ", "),
			x.node.Target, truncate(x.node.HTML, 200),
			strings.ReplaceAll(x.node.FailureSummary, "\n", "\n      "))
		if x.v.HelpURL != "" {
			fmt.Fprintf(&sb, "\n      %s", x.v.HelpURL)
		}
	}
	return sb.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// qrText reads the QR code shown by the element sel with zbarimg (Debian's
// zbar-tools), from a picture of what the browser rendered. It returns ""
// with a note when zbarimg is missing, or fails when TWOFOLD_REQUIRE_ZBAR=1.
func (b *browser) qrText(sel string) string {
	b.t.Helper()
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		if envOn("TWOFOLD_REQUIRE_ZBAR") {
			b.t.Fatal("zbarimg not found and TWOFOLD_REQUIRE_ZBAR=1: apt-get install -y zbar-tools")
		}
		b.t.Log("QR check skipped: zbarimg not found (apt-get install -y zbar-tools)")
		return ""
	}
	png := run(b, "picture of "+sel, chromedp.ScreenshotScale(chromedp.CSS(sel), 2, chromedp.NodeVisible))
	file := filepath.Join(b.t.TempDir(), "qr.png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	out, err := exec.Command(zbar, "--quiet", "--raw", file).Output()
	if err != nil {
		b.fatalf("zbarimg could not read a QR code in %s: %v", sel, err)
	}
	text, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return text
}

package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

const (
	stepTimeout    = 20 * time.Second // one browser action, navigation included
	defaultChrome  = "/usr/bin/chromium"
	screenshotRoot = "screenshots" // relative to e2e/, git-ignored
)

// viewport is a width at which pages are looked at.
type viewport struct {
	name          string
	width, height int64
	mobile        bool // honour <meta name=viewport>, as a phone does
}

var (
	desktop = viewport{"desktop", 1280, 900, false}
	phone   = viewport{"phone", 390, 844, true}
)

// browser is one tab of headless Chromium, in its own browser context
// (cookies and storage), pointed at one server.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  *url.URL // http://localhost:PORT
	label string   // prefixes screenshot names of a second context

	// Review makes page() take screenshots and run axe. It is on by default;
	// a variant that repeats a flow already reviewed (e.g. on PostgreSQL)
	// turns it off.
	Review bool

	shared *browserShared
	cons   *consoleLog
}

// browserShared is what the tabs of one test share.
type browserShared struct {
	mu   sync.Mutex
	dir  string          // screenshots of this test
	n    int             // last screenshot number
	axe  string          // axe.min.js, or "" when not configured
	root context.Context // the first tab, which owns the browser
}

// newBrowser starts headless Chromium for the test and opens a tab on base
// (use the server's URL: http://localhost:PORT). The browser closes at the
// end of the test. Without Chromium the test skips, or fails when
// TWOFOLD_REQUIRE_CHROMIUM=1.
func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	execPath := os.Getenv("CHROMIUM")
	if execPath == "" {
		execPath = defaultChrome
	}
	if _, err := exec.LookPath(execPath); err != nil {
		msg := fmt.Sprintf("no Chromium at %s (%v)", execPath, err)
		if envOn("TWOFOLD_REQUIRE_CHROMIUM") {
			t.Fatal(msg + "; TWOFOLD_REQUIRE_CHROMIUM=1 makes this a failure: apt-get install -y chromium")
		}
		t.Skip("no Chromium: install with apt-get install -y chromium, or set TWOFOLD_REQUIRE_CHROMIUM=1 to make this a failure (" + msg + ")")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("browser base URL %q: %v", base, err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox, // headless as root needs it
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(desktop.width), int(desktop.height)),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first Do starts the browser and binds it to ctx, which has no
	// deadline; each later step gets its own timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium (%s): %v", execPath, err)
	}

	dir, err := filepath.Abs(filepath.Join(screenshotRoot, shotDirName(t.Name())))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil { // no stale pictures from an earlier run
		t.Fatal(err)
	}
	sh := &browserShared{dir: dir, root: ctx}
	sh.axe = loadAxe(t)
	return newTab(t, ctx, u, "", sh)
}

// newContext opens a tab in a new browser context of the same browser: a
// second person, or the same person on another device, with no cookies.
// Screenshot names get the label as a prefix.
func (b *browser) newContext(label string) *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.shared.root, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a new browser context: %v", err)
	}
	return newTab(b.t, ctx, b.base, label, b.shared)
}

func newTab(t *testing.T, ctx context.Context, base *url.URL, label string, sh *browserShared) *browser {
	b := &browser{t: t, ctx: ctx, base: base, label: label, Review: true, shared: sh, cons: watchConsole(ctx)}
	b.setViewport(desktop)
	return b
}

// act runs browser steps with the step timeout and fails the test, with a
// picture and the page's text, if they fail.
func (b *browser) act(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// run is act for one step with a value.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// fatalf ends the test with what a person would need to see: where the tab
// was, what it said, and a picture of it.
func (b *browser) fatalf(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 3000 {
		text = text[:3000] + "…"
	}
	if png, err := chromedp.Run(ctx, fullPage()); err == nil {
		name := b.shotPath(b.shared.next(), "FAILED", "desktop")
		if err := writeFile(name, png); err == nil {
			msg += "\nscreenshot: " + name
		}
	}
	b.t.Fatalf("%s\n--- tab %s at %s ---\n%s", msg, b.labelOr("main"), where, text)
}

func (b *browser) labelOr(def string) string {
	if b.label == "" {
		return def
	}
	return b.label
}

// open navigates to a path of the server and returns the HTTP status of the
// page that finally loaded.
func (b *browser) open(path string) int64 {
	b.t.Helper()
	resp := run(b, "open "+path, chromedp.NavigateResponse(b.base.ResolveReference(&url.URL{Path: path}).String()))
	return b.status("open "+path, resp)
}

// status returns the HTTP status of a page and fails the test on a server
// error: a member must never meet one in these flows.
func (b *browser) status(what string, resp *network.Response) int64 {
	b.t.Helper()
	if resp == nil {
		return 0
	}
	if resp.Status >= 500 {
		b.fatalf("%s: the server answered %d %s", what, resp.Status, resp.StatusText)
	}
	return resp.Status
}

// submit clicks a button or link that navigates, waits for the new page and
// returns its HTTP status.
func (b *browser) submit(sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.fatalf("click %s and wait for the next page: %v", sel, err)
	}
	return b.status("click "+sel, resp)
}

// submitText is submit for the first visible button or link whose text is
// exactly text (after trimming), e.g. "Yes", "Done", "Confirm".
func (b *browser) submitText(text string) int64 {
	b.t.Helper()
	return b.submit(b.markText(text))
}

// markText finds the first button, link or submit input whose visible text
// is text, marks it with a data attribute and returns a CSS selector for it.
func (b *browser) markText(text string) string {
	b.t.Helper()
	ok := eval[bool](b, fmt.Sprintf(`(() => {
		document.querySelectorAll('[data-e2e-mark]').forEach(e => e.removeAttribute('data-e2e-mark'));
		const want = %q;
		for (const e of document.querySelectorAll('button, a, input[type=submit], [role=button]')) {
			const t = (e.tagName === 'INPUT' ? e.value : e.innerText || '').trim().replace(/\s+/g, ' ');
			if (t === want && e.getClientRects().length > 0) { e.setAttribute('data-e2e-mark', ''); return true; }
		}
		return false;
	})()`, text))
	if !ok {
		b.fatalf("no visible button or link reads %q", text)
	}
	return "[data-e2e-mark]"
}

// click clicks an element that does not navigate.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.act("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// fill types text into an empty field, as a person does.
func (b *browser) fill(sel, text string) {
	b.t.Helper()
	b.act("fill "+sel,
		chromedp.Clear(chromedp.CSS(sel)),
		chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible),
	)
}

// text returns the visible text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

// bodyText returns the page's visible text.
func (b *browser) bodyText() string {
	b.t.Helper()
	return eval[string](b, `document.body ? document.body.innerText : ""`)
}

// has reports at once (no waiting) whether an element matches sel.
func (b *browser) has(sel string) bool {
	b.t.Helper()
	return eval[bool](b, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

// path returns the path of the tab's URL.
func (b *browser) path() string {
	b.t.Helper()
	loc := run(b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.fatalf("tab location %q: %v", loc, err)
	}
	return u.Path
}

// expectPath fails the test unless the tab's path is want, or starts with it
// when want ends in "…" (e.g. "/signin/register…").
func (b *browser) expectPath(want string) {
	b.t.Helper()
	got := b.path()
	if prefix, ok := strings.CutSuffix(want, "…"); ok {
		if !strings.HasPrefix(got, prefix) {
			b.fatalf("at %s, want a path starting with %s", got, prefix)
		}
		return
	}
	if got != want {
		b.fatalf("at %s, want %s", got, want)
	}
}

// expectText fails the test unless the page's visible text contains each
// of the strings.
func (b *browser) expectText(want ...string) {
	b.t.Helper()
	text := b.bodyText()
	for _, w := range want {
		if !strings.Contains(text, w) {
			b.fatalf("the page does not say %q", w)
		}
	}
}

// setViewport sets the layout width and height the page is shown at.
func (b *browser) setViewport(vp viewport) {
	b.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if vp.mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	b.act("viewport "+vp.name, chromedp.EmulateViewport(vp.width, vp.height, opts...))
	b.settle()
}

// settle waits until the page has laid out and painted (fonts loaded, two
// animation frames).
func (b *browser) settle() {
	b.t.Helper()
	eval[bool](b, `new Promise(r => (document.fonts ? document.fonts.ready : Promise.resolve())
		.then(() => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`)
}

func (s *browserShared) next() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return s.n
}

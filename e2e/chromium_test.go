package e2e

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
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
	mu       sync.Mutex
	dir      string // screenshots of this test
	n        int    // last screenshot number
	axe      string // axe.min.js, or "" when not configured
	axeNoted bool
	root     context.Context // the first tab, which owns the browser
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

// fullPage captures the whole page, beyond the viewport, as PNG.
func fullPage() chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		if m.CSSContentSize == nil {
			return nil, errors.New("no content size in the layout metrics")
		}
		r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatPng,
			Clip: &page.Viewport{
				Width:  math.Ceil(m.CSSContentSize.Width),
				Height: math.Ceil(m.CSSContentSize.Height),
				Scale:  1,
			},
			CaptureBeyondViewport: new(true),
			FromSurface:           new(true),
		})
		return r.Data, err
	}
}

// page is what a test calls on every page and state it reaches: a full-page
// screenshot at desktop and phone widths, the phone-layout check, the
// accessibility check (light and dark), and the console check.
func (b *browser) page(name string) {
	b.t.Helper()
	b.checkConsole(name)
	if !b.Review {
		return
	}
	n := b.shared.next()
	var found axeFindings
	for _, vp := range []viewport{desktop, phone} {
		b.setViewport(vp)
		b.saveShot(n, name, vp)
		if vp == phone {
			b.checkPhoneLayout(name)
		}
		found.add(b.runAxe(), vp.name)
	}
	b.setViewport(desktop)
	b.withDarkScheme(func() { found.add(b.runAxe(), "desktop-dark") })
	b.reportAxe(name, found)
}

// shot saves full-page screenshots of the current page at desktop and phone
// widths into e2e/screenshots/<Test>/<NN>-<name>-{desktop,phone}.png.
func (b *browser) shot(name string) {
	b.t.Helper()
	n := b.shared.next()
	for _, vp := range []viewport{desktop, phone} {
		b.setViewport(vp)
		b.saveShot(n, name, vp)
	}
	b.setViewport(desktop)
}

func (b *browser) saveShot(n int, name string, vp viewport) {
	b.t.Helper()
	png := run(b, "screenshot", fullPage())
	if err := writeFile(b.shotPath(n, name, vp.name), png); err != nil {
		b.t.Fatalf("save screenshot: %v", err)
	}
}

func (b *browser) shotPath(n int, name, variant string) string {
	if b.label != "" {
		name = b.label + "-" + name
	}
	return filepath.Join(b.shared.dir, fmt.Sprintf("%02d-%s-%s.png", n, slug(name), variant))
}

// checkPhoneLayout fails the test (without stopping it) when the page does
// not fit a phone. UI.md: "works at 320 px width".
func (b *browser) checkPhoneLayout(name string) {
	b.t.Helper()
	if problem := b.phoneLayoutProblem(); problem != "" {
		b.t.Errorf("page %q at phone width: %s", name, problem)
	}
}

// phoneLayoutProblem says what is wrong with the current page at phone
// width: no <meta name=viewport> (the layout stays 980 px wide) or content
// wider than the screen (sideways scrolling); "" when nothing is.
func (b *browser) phoneLayoutProblem() string {
	b.t.Helper()
	type dims struct{ Inner, Scroll int }
	d := eval[dims](b, `({Inner: window.innerWidth, Scroll: document.documentElement.scrollWidth})`)
	if d.Inner != int(phone.width) {
		return fmt.Sprintf("the layout is %d px wide, not %d (missing <meta name=viewport content=\"width=device-width\">?)", d.Inner, phone.width)
	}
	if d.Scroll > d.Inner {
		return fmt.Sprintf("content is %d px wide and scrolls sideways on a %d px screen", d.Scroll, d.Inner)
	}
	return ""
}

// withDarkScheme runs f with prefers-color-scheme: dark emulated.
func (b *browser) withDarkScheme(f func()) {
	b.t.Helper()
	set := func(features []*emulation.MediaFeature) {
		b.act("emulate colour scheme", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
			return err
		}))
		b.settle()
	}
	set([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}})
	defer set(nil)
	f()
}

func (s *browserShared) next() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return s.n
}

// shotDirName turns a test name (with subtests) into a relative folder.
func shotDirName(testName string) string {
	parts := strings.Split(testName, "/")
	for i, p := range parts {
		parts[i] = slug(p)
	}
	return filepath.Join(parts...)
}

// slug keeps letters, digits, '-' and '_', and turns anything else into '-'.
func slug(s string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, s)
	return strings.Trim(out, "-")
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// consoleLog collects what pages write to the console as errors (uncaught
// exceptions, CSP violations) and the sub-resources (styles, scripts,
// images) that failed to load. A page's own 4xx status is not an error:
// the server answers a failed sign-in with 401 on purpose.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleLog) add(msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.msgs = append(c.msgs, msg)
}

func watchConsole(ctx context.Context) *consoleLog {
	c := &consoleLog{}
	msgs := chromedp.Console(ctx)
	responses := chromedp.Events(ctx, network.ResponseReceived)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && !m.IsException() {
				continue
			}
			// Chrome logs every 4xx/5xx response this way, the document's
			// too; the response watcher below reports the ones that matter.
			if strings.HasPrefix(m.Text, "Failed to load resource") {
				continue
			}
			c.add(fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
		}
	}()
	go func() {
		for ev, err := range responses {
			if err != nil {
				return
			}
			if ev.Type == network.ResourceTypeDocument || ev.Response == nil || ev.Response.Status < 400 {
				continue
			}
			if strings.HasSuffix(ev.Response.URL, "/favicon.ico") {
				continue // Chrome asks for it on its own when a page names no icon
			}
			c.add(fmt.Sprintf("%s %s failed to load: %d %s", ev.Type, ev.Response.URL, ev.Response.Status, ev.Response.StatusText))
		}
	}()
	return c
}

func (c *consoleLog) drain() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.msgs
	c.msgs = nil
	return out
}

// checkConsole fails the test if the page wrote errors to the console since
// the last check.
func (b *browser) checkConsole(name string) {
	b.t.Helper()
	// The console events arrive on their own; give the last ones a moment.
	time.Sleep(50 * time.Millisecond)
	if msgs := b.cons.drain(); len(msgs) > 0 {
		b.t.Errorf("page %q wrote %d error(s) to the console:\n  %s", name, len(msgs), strings.Join(msgs, "\n  "))
	}
}

package e2e

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Looking at a page as a reviewer would: full-page screenshots at desktop
// and phone widths, the phone-layout check, the console check, and (in
// axe_test.go) the accessibility check.

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
// not fit a phone: pages must work at 320 px width.
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

package e2e

import (
	"context"
	"time"

	"github.com/chromedp/chromedp"
)

// pressEnter presses Enter on the element sel (focusing it first), as a
// keyboard user does, waits for the page it leads to and returns its status.
func (b *browser) pressEnter(sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS(sel), "\r", chromedp.NodeVisible))
	if err != nil {
		b.fatalf("press Enter on %s and wait for the next page: %v", sel, err)
	}
	return b.status("Enter on "+sel, resp)
}

// focused describes the element that has keyboard focus: its id, or its tag
// and text. Chromium moves focus to an autofocus element at its next
// rendering step, which on a loaded machine can come after the page has
// loaded, so an empty answer (the body) is asked again for up to 5 seconds.
func (b *browser) focused() string {
	b.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; {
		got := eval[string](b, `(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return "";
			return e.id ? "#" + e.id : e.tagName.toLowerCase() + " " + (e.innerText || "").trim();
		})()`)
		if got != "" || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// narrow is the narrowest phone the pages are made for.
var narrow = viewport{"narrow", 320, 700, true}

// expectRowsHoldAtPhoneWidth checks Security info at 320 and 390 px: every
// phone number sits on one line, and each row's Change and Delete stay beside
// the method instead of wrapping under it.
func (b *browser) expectRowsHoldAtPhoneWidth() {
	b.t.Helper()
	for _, vp := range []viewport{narrow, phone} {
		b.setViewport(vp)
		problem := eval[string](b, `(() => {
			for (const n of document.querySelectorAll('.number')) {
				if (n.getClientRects().length !== 1) return 'the number ' + n.innerText + ' breaks across lines';
			}
			for (const li of document.querySelectorAll('li.method')) {
				const text = li.querySelector('.method-text'), acts = li.querySelector('.method-actions');
				if (!acts) continue;
				const t = text.getBoundingClientRect(), a = acts.getBoundingClientRect();
				if (a.left < t.right || a.top >= t.bottom) return 'the actions of "' + text.innerText.replace(/\s+/g, ' ') + '" wrap under it';
			}
			return '';
		})()`)
		if problem != "" {
			b.t.Errorf("Security info at %d px: %s", vp.width, problem)
		}
	}
	b.setViewport(desktop)
}

package e2e

import (
	"context"

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
// and text.
func (b *browser) focused() string {
	b.t.Helper()
	return eval[string](b, `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return "";
		return e.id ? "#" + e.id : e.tagName.toLowerCase() + " " + (e.innerText || "").trim();
	})()`)
}

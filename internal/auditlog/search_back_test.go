package auditlog_test

import (
	"slices"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/auditlog"
)

// Paging back from the last page returns, page by page, exactly the pages
// paging forward returned, with and without a filter whose alternatives the
// store merges (an actor by ID or name); the first page has no Prev, and going
// back to it after new events arrived shows a full first page of the newest.
func TestSearchPagesBackAsItPagedForward(t *testing.T) {
	each(t, func(t *testing.T, backend string) {
		e := newLogEnv(t, backend, 250)
		for _, q := range []auditlog.Query{{Limit: 7}, {Limit: 5, Actor: "actor1@contoso.com"}} {
			var forward [][]int64
			var p *auditlog.Page
			for fq := q; ; {
				var err error
				if p, err = e.svc.Search(e.Ctx, e.admin(), fq); err != nil {
					t.Fatalf("search %+v: %v", fq, err)
				}
				if (fq.After == "") != (p.Prev == "") {
					t.Fatalf("page %d: Prev %q; want one on every page but the first", len(forward), p.Prev)
				}
				forward = append(forward, ids(p.Events))
				if p.Next == "" {
					break
				}
				fq.After = p.Next
			}
			if len(forward) < 3 {
				t.Fatalf("%+v: only %d pages; the test needs several", q, len(forward))
			}
			for i := len(forward) - 2; i >= 0; i-- {
				bq := q
				bq.Before = p.Prev
				var err error
				if p, err = e.svc.Search(e.Ctx, e.admin(), bq); err != nil {
					t.Fatalf("back to page %d: %v", i, err)
				}
				if got := ids(p.Events); !slices.Equal(got, forward[i]) {
					t.Fatalf("%+v: back to page %d got %v, forward it was %v", q, i, got, forward[i])
				}
				if (i == 0) != (p.Prev == "") || p.Next == "" {
					t.Fatalf("%+v: back at page %d: Prev %q, Next %q", q, i, p.Prev, p.Next)
				}
			}
		}

		// A new event after the first page was read: back from the second
		// page is still the first page as it was, now with a newer page above
		// it; back from that is the first page, full, beginning with the new
		// event, not the new event alone.
		first, _ := e.svc.Search(e.Ctx, e.admin(), auditlog.Query{Limit: 7})
		second, _ := e.svc.Search(e.Ctx, e.admin(), auditlog.Query{Limit: 7, After: first.Next})
		fresh := &twofold.AuditEvent{Time: e.Clock.Now(), OrgID: e.org, Activity: twofold.ActivitySignIn, Result: twofold.ResultSuccess}
		if err := e.Store.AppendAudit(e.Ctx, fresh); err != nil {
			t.Fatal(err)
		}
		back, err := e.svc.Search(e.Ctx, e.admin(), auditlog.Query{Limit: 7, Before: second.Prev})
		if err != nil || !slices.Equal(ids(back.Events), ids(first.Events)) || back.Prev == "" {
			t.Fatalf("back from the second page: %v (Prev %q), %v; want %v with a Prev", ids(back.Events), back.Prev, err, ids(first.Events))
		}
		top, err := e.svc.Search(e.Ctx, e.admin(), auditlog.Query{Limit: 7, Before: back.Prev})
		if want := append([]int64{fresh.ID}, ids(first.Events)[:6]...); err != nil || !slices.Equal(ids(top.Events), want) || top.Prev != "" {
			t.Errorf("back to the start: %v (Prev %q), %v; want %v and no Prev", ids(top.Events), top.Prev, err, want)
		}

		for _, bad := range []auditlog.Query{{Before: "a1.%%%"}, {Before: "x"}, {After: first.Next, Before: second.Prev}} {
			if _, err := e.svc.Search(e.Ctx, e.admin(), bad); twofold.ErrorCode(err) != twofold.EINVALID {
				t.Errorf("%+v: %v, want EINVALID", bad, err)
			}
		}
	})
}

func ids(events []*twofold.AuditEvent) []int64 {
	out := make([]int64, len(events))
	for i, ev := range events {
		out[i] = ev.ID
	}
	return out
}

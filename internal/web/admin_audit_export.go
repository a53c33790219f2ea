package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/auditlog"
)

// maxExportPages bounds one export (at auditlog.MaxLimit events a page), so
// a request can't hold a connection and the database for ever; a longer log
// is exported by narrowing the time range.
const maxExportPages = 200

// auditExport sends every event the filters match as a CSV or JSON
// download, reading the log a page at a time. The first page is read before
// anything is written, so a refusal still gets its proper page.
func (h *handler) auditExport(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor, q auditlog.Query, format string) {
	q.After, q.Before, q.Limit = "", "", auditlog.MaxLimit
	page, err := h.Console.AuditLog.Search(r.Context(), a, q)
	if err != nil {
		h.consoleFail(w, r, p, err, "/admin/audit")
		return
	}
	name := "audit-log-" + h.Now().UTC().Format("20060102-150405")
	var write func(*twofold.AuditEvent) error
	var finish func() error
	switch format {
	case "csv":
		download(w, "text/csv; charset=utf-8", name+".csv")
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"time", "activity", "result", "actor_id", "actor", "target_id", "target", "reason", "ip", "user_agent"})
		write = func(e *twofold.AuditEvent) error {
			return cw.Write(safeCells(e.Time.UTC().Format(time.RFC3339Nano), e.Activity, e.Result, e.ActorID, e.ActorName,
				e.TargetID, e.TargetName, e.Reason, e.IP, e.UserAgent))
		}
		finish = func() error { cw.Flush(); return cw.Error() }
	default:
		download(w, "application/json", name+".json")
		enc := json.NewEncoder(w)
		first := true
		_, _ = w.Write([]byte("[\n"))
		write = func(e *twofold.AuditEvent) error {
			if !first {
				if _, err := w.Write([]byte(",")); err != nil {
					return err
				}
			}
			first = false
			return enc.Encode(exportedEvent{ID: strconv.FormatInt(e.ID, 10), Time: e.Time.UTC(), Activity: e.Activity, Result: e.Result,
				ActorID: e.ActorID, Actor: e.ActorName, TargetID: e.TargetID, Target: e.TargetName,
				Reason: e.Reason, IP: e.IP, UserAgent: e.UserAgent})
		}
		finish = func() error { _, err := w.Write([]byte("]\n")); return err }
	}
	for n := 0; ; n++ {
		for _, e := range page.Events {
			if err := write(e); err != nil {
				return // the client went away
			}
		}
		if page.Next == "" || n+1 >= maxExportPages {
			break
		}
		q.After = page.Next
		if page, err = h.Console.AuditLog.Search(r.Context(), a, q); err != nil {
			// Headers are gone: the download ends short and the log says why.
			h.log.ErrorContext(r.Context(), "audit export cut short", "err", err)
			return
		}
	}
	_ = finish()
}

// exportedEvent is one event of the JSON export.
type exportedEvent struct {
	ID        string    `json:"id"`
	Time      time.Time `json:"time"`
	Activity  string    `json:"activity"`
	Result    string    `json:"result"`
	ActorID   string    `json:"actorId"`
	Actor     string    `json:"actor"`
	TargetID  string    `json:"targetId"`
	Target    string    `json:"target"`
	Reason    string    `json:"reason"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"userAgent"`
}

// download sets the headers of a file to save rather than show.
func download(w http.ResponseWriter, contentType, filename string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// safeCells protects spreadsheet users from formula injection: a cell that
// starts with = + - @ (or a tab or carriage return, which some programs
// skip first) is read as text once it starts with a quote. Member names,
// reasons and user agents are typed by people outside the organization.
func safeCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

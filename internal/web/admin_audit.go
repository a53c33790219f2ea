package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/useragent"
)

// auditView is the audit log: the filters, one page of events, newest first,
// and links to the next page and to export everything the filters match.
type auditView struct {
	Page
	Filter     auditFilter
	Activities []option
	Results    []option
	Rows       []auditRow
	Next       string
	Prev       string
	First      string
	ExportCSV  string
	ExportJSON string
}

func (auditView) template() string { return "admin-audit" }

// auditFilter is the filter form as typed; From and To are dates (UTC).
type auditFilter struct {
	Activity, Actor, Target, Result, From, To string
}

// auditRow is one event as the table shows it.
type auditRow struct {
	Time, TimeISO, Activity, Actor, Target, Result, Reason, IP, UserAgent string
}

// auditActivities are the activity names the filter offers, in the order an
// admin looks for them.
var auditActivities = []string{
	twofold.ActivityPolicyUpdate, twofold.ActivitySignIn, twofold.ActivitySignOut, twofold.ActivitySignOutEverywhere,
	twofold.ActivityRegistered, twofold.ActivityDeleted, twofold.ActivityChangedDefault, twofold.ActivityUpdated,
	twofold.ActivityRegisteredAll, twofold.ActivityStartedRegister, twofold.ActivityCanceledRegister,
	twofold.ActivityAdminRegistered, twofold.ActivityAdminDeleted, twofold.ActivityAdminUpdated,
	twofold.ActivityResetSelfService, twofold.ActivityResetByAdmin, twofold.ActivityResetBlocked, twofold.ActivityChangePassword,
	twofold.ActivityFraudReported, twofold.ActivityMFAUnblocked, twofold.ActivityResetUnblocked, twofold.ActivityPhoneVerification,
	twofold.ActivityUserCreated, twofold.ActivityUserDisabled, twofold.ActivityUserEnabled, twofold.ActivityRoleChanged,
	twofold.ActivitySessionsRevoked, twofold.ActivityRequireReregister, twofold.ActivityLockoutCleared,
	twofold.ActivityTokenCreated, twofold.ActivityTokenRevoked, twofold.ActivityTemporaryPassUsed, twofold.ActivityAuditRetentionSwept,
	"Admin created organization",
}

var auditResults = []option{{"", "Any result"}, {twofold.ResultSuccess, "Success"}, {twofold.ResultFailure, "Failure"}}

// dateLayout is how an <input type="date"> sends a day.
const dateLayout = "2006-01-02"

// auditQuery reads the filters of the page's URL; a date that doesn't parse
// is a field error.
func auditQuery(q url.Values) (auditFilter, auditlog.Query, formErrors) {
	f := auditFilter{Activity: q.Get("activity"), Actor: q.Get("actor"), Target: q.Get("target"),
		Result: q.Get("result"), From: q.Get("from"), To: q.Get("to")}
	query := auditlog.Query{Activity: f.Activity, Actor: f.Actor, Target: f.Target, Result: f.Result,
		After: q.Get("after"), Before: q.Get("before")}
	var errs formErrors
	if f.From != "" {
		t, err := time.Parse(dateLayout, f.From)
		if err != nil {
			errs = append(errs, fieldError{"from", "Enter the first day as a date, such as 2026-01-31."})
		}
		query.Since = t
	}
	if f.To != "" {
		t, err := time.Parse(dateLayout, f.To)
		if err != nil {
			errs = append(errs, fieldError{"to", "Enter the last day as a date, such as 2026-01-31."})
		}
		// The last day counts whole: until its last instant.
		query.Until = t.Add(24*time.Hour - time.Nanosecond)
	}
	return f, query, errs
}

// values are the filters as URL parameters, for paging and export links.
func (f auditFilter) values() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"activity": f.Activity, "actor": f.Actor, "target": f.Target,
		"result": f.Result, "from": f.From, "to": f.To} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

func (h *handler) auditPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	filter, query, errs := auditQuery(r.URL.Query())
	if format := r.URL.Query().Get("format"); (format == "csv" || format == "json") && errs == nil {
		h.auditExport(w, r, p, a, query, format)
		return
	}
	v := auditView{Page: staffPage(p, a, "Audit log", "audit"), Filter: filter, Results: auditResults}
	v.Activities = []option{{"", "Any activity"}}
	for _, name := range auditActivities {
		v.Activities = append(v.Activities, option{name, name})
	}
	// An activity asked for by a link (the API's names, a newer release's)
	// stays selected, so the next search keeps filtering by it.
	if filter.Activity != "" && !slices.Contains(auditActivities, filter.Activity) {
		v.Activities = append(v.Activities, option{filter.Activity, filter.Activity})
	}
	links := filter.values()
	links.Set("format", "csv")
	v.ExportCSV = "/admin/audit?" + links.Encode()
	links.Set("format", "json")
	v.ExportJSON = "/admin/audit?" + links.Encode()
	if errs != nil {
		v.Errors = errs
		h.render(w, r, http.StatusBadRequest, v)
		return
	}
	page, err := h.Console.AuditLog.Search(r.Context(), a, query)
	if err != nil {
		if hardFailure(err) || twofold.ErrorCode(err) == twofold.EFORBIDDEN {
			h.consoleFail(w, r, p, err, "/admin/audit")
			return
		}
		v.Errors = errorsFrom(err, "", "activity", "actor", "target", "result", "from", "to")
		h.render(w, r, formStatus(w, err), v)
		return
	}
	for _, e := range page.Events {
		v.Rows = append(v.Rows, auditRowOf(e))
	}
	v.First, v.Prev, v.Next = pageLinks("/admin/audit", filter.values(), query.After, page.Prev, page.Next)
	h.render(w, r, http.StatusOK, v)
}

func auditRowOf(e *twofold.AuditEvent) auditRow {
	result := "Success"
	if e.Result == twofold.ResultFailure {
		result = "Failure"
	} else if e.Result == "" {
		result = "—"
	}
	return auditRow{Time: e.Time.UTC().Format("2006-01-02 15:04:05"), TimeISO: e.Time.UTC().Format(time.RFC3339),
		Activity: e.Activity, Actor: orDash(e.ActorName), Target: orDash(e.TargetName), Result: result,
		Reason: e.Reason, IP: e.IP, UserAgent: browserOf(e.UserAgent)}
}

// browserOf names the browser of a user agent in a few words ("Chrome on
// Linux"); the exports keep the whole string.
func browserOf(ua string) string {
	if ua == "" {
		return ""
	}
	return useragent.Summary(ua)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

package web

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/registrations"
)

// registrationReportView is the registration report: who has a second factor
// and password reset, by method and over time, each chart with its table.
type registrationReportView struct {
	Page
	At           string
	Members      int
	ResetEnabled bool
	Coverage     template.HTML
	ByMethod     template.HTML
	History      template.HTML
	CoverageRows []reportRow
	MethodRows   []reportRow
	HistoryRows  []historyRow
}

func (registrationReportView) template() string { return "admin-report" }

// reportRow is one figure as the tables show it: members out of all members.
type reportRow struct {
	ID, Label      string
	Members, Total int
	Percent        string
}

// historyRow is one day of the figures.
type historyRow struct {
	Day                                                             string
	Members, MFARegistered, MFACapable, SSPRRegistered, SSPRCapable int
}

// coverage lists the four headline figures in the order charts and tables
// show them.
func coverage(f registrations.Figures) []reportRow {
	return []reportRow{
		{ID: "mfa-registered", Label: "Registered for two-step verification", Members: f.MFARegistered},
		{ID: "mfa-capable", Label: "Can use two-step verification now", Members: f.MFACapable},
		{ID: "sspr-registered", Label: "Registered for password reset", Members: f.SSPRRegistered},
		{ID: "sspr-capable", Label: "Can reset their password now", Members: f.SSPRCapable},
	}
}

func withShare(rows []reportRow, total int) []reportRow {
	for i := range rows {
		rows[i].Total = total
		rows[i].Percent = "0%"
		if total > 0 {
			rows[i].Percent = strconv.Itoa(rows[i].Members*100/total) + "%"
		}
	}
	return rows
}

func bars(rows []reportRow) []chartBar {
	out := make([]chartBar, len(rows))
	for i, r := range rows {
		out[i] = chartBar{Label: r.Label, Value: r.Members}
	}
	return out
}

func (h *handler) registrationReport(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	sum, err := h.Console.Registrations.Summary(r.Context(), a, "")
	if err != nil {
		h.consoleFail(w, r, p, err, "/admin/report")
		return
	}
	v := registrationReportView{Page: staffPage(p, a, "Registration report", "report"),
		At: sum.At.UTC().Format("2006-01-02 15:04 UTC"), Members: sum.Members, ResetEnabled: sum.ResetEnabled}
	v.CoverageRows = withShare(coverage(sum.Figures), sum.Members)
	for _, m := range sum.ByMethod {
		v.MethodRows = append(v.MethodRows, reportRow{ID: "method-" + string(m.Kind), Label: kindLabel(m.Kind), Members: m.Members})
	}
	v.MethodRows = withShare(v.MethodRows, sum.Members)
	v.Coverage = barChart("chart-coverage", "Two-step verification and password reset",
		fmt.Sprintf("Of %d members: %s.", sum.Members, describe(v.CoverageRows)), bars(v.CoverageRows), sum.Members)
	v.ByMethod = barChart("chart-methods", "Members by method",
		fmt.Sprintf("Of %d members: %s.", sum.Members, describe(v.MethodRows)), bars(v.MethodRows), sum.Members)
	var labels []string
	mfa := chartSeries{Name: "Two-step verification"}
	sspr := chartSeries{Name: "Password reset"}
	for _, pt := range sum.History {
		day := pt.Day.Format(dateLayout)
		if pt.Now {
			day += " (now)"
		}
		labels = append(labels, day)
		mfa.Values = append(mfa.Values, pt.MFARegistered)
		sspr.Values = append(sspr.Values, pt.SSPRRegistered)
		v.HistoryRows = append(v.HistoryRows, historyRow{Day: day, Members: pt.Members, MFARegistered: pt.MFARegistered,
			MFACapable: pt.MFACapable, SSPRRegistered: pt.SSPRRegistered, SSPRCapable: pt.SSPRCapable})
	}
	v.History = columnChart("chart-history", "Registered members over time",
		fmt.Sprintf("Members registered for two-step verification and for password reset each day of the last %d days; the table below lists every day.", len(labels)),
		labels, []chartSeries{mfa, sspr}, sum.Members)
	h.render(w, r, http.StatusOK, v)
}

// describe says the figures in words, for the chart's description.
func describe(rows []reportRow) string {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprintf("%s %d", strings.ToLower(r.Label[:1])+r.Label[1:], r.Members)
	}
	return strings.Join(parts, ", ")
}

// registrationReportCSV downloads the report's figures: now, by method, and
// each stored day, one figure a row so a spreadsheet can pivot them.
func (h *handler) registrationReportCSV(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	sum, err := h.Console.Registrations.Summary(r.Context(), a, "")
	if err != nil {
		h.consoleFail(w, r, p, err, "/admin/report")
		return
	}
	download(w, "text/csv; charset=utf-8", "registration-report-"+sum.At.UTC().Format("20060102")+".csv")
	cw := csv.NewWriter(w)
	today := sum.At.UTC().Format(dateLayout)
	n := strconv.Itoa
	_ = cw.Write([]string{"day", "figure", "members", "of_members"})
	_ = cw.Write(safeCells(today, "Members", n(sum.Members), n(sum.Members)))
	for _, row := range coverage(sum.Figures) {
		_ = cw.Write(safeCells(today, row.Label, n(row.Members), n(sum.Members)))
	}
	for _, m := range sum.ByMethod {
		_ = cw.Write(safeCells(today, "Method: "+kindLabel(m.Kind), n(m.Members), n(sum.Members)))
	}
	for _, pt := range sum.History {
		if pt.Now {
			continue
		}
		for _, row := range coverage(pt.Figures) {
			_ = cw.Write(safeCells(pt.Day.Format(dateLayout), row.Label, n(row.Members), n(pt.Members)))
		}
	}
	cw.Flush()
}

// maxDetailPages bounds the members download at a million members.
const maxDetailPages = 1000

// registrationMembersCSV downloads every member's registration, read a page
// at a time; the first page is read before anything is written, so a refusal
// still gets its page.
func (h *handler) registrationMembersCSV(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	q := registrations.DetailsQuery{Limit: 1000}
	page, err := h.Console.Registrations.Details(r.Context(), a, q)
	if err != nil {
		h.consoleFail(w, r, p, err, "/admin/report")
		return
	}
	download(w, "text/csv; charset=utf-8", "registration-members-"+h.Now().UTC().Format("20060102")+".csv")
	cw := csv.NewWriter(w)
	yes := strconv.FormatBool
	_ = cw.Write([]string{"user_name", "display_name", "is_admin", "mfa_registered", "mfa_capable", "sspr_enabled",
		"sspr_registered", "sspr_capable", "methods", "default_method"})
	for n := 0; ; n++ {
		for _, d := range page.Rows {
			_ = cw.Write(safeCells(d.Username, d.DisplayName, yes(d.IsAdmin), yes(d.MFARegistered), yes(d.MFACapable),
				yes(d.SSPREnabled), yes(d.SSPRRegistered), yes(d.SSPRCapable), strings.Join(d.Labels, "; "), d.DefaultLabel))
		}
		if page.Next == "" || n+1 >= maxDetailPages {
			break
		}
		q.After = page.Next
		if page, err = h.Console.Registrations.Details(r.Context(), a, q); err != nil {
			h.log.ErrorContext(r.Context(), "registration download cut short", "err", err)
			break
		}
	}
	cw.Flush()
}

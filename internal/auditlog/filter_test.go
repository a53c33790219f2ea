package auditlog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/auditlog"
)

func TestParseFilterReadsTheGraphSubset(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	for _, tc := range []struct {
		filter string
		want   auditlog.Query
	}{
		{"", auditlog.Query{}},
		{"   ", auditlog.Query{}},
		{"activityDisplayName eq 'Reset password (by admin)'", auditlog.Query{Activity: "Reset password (by admin)"}},
		{"result eq 'failure'", auditlog.Query{Result: twofold.ResultFailure}},
		{"initiatedBy/user/userPrincipalName eq 'boss@contoso.com'", auditlog.Query{Actor: "boss@contoso.com"}},
		{"initiatedBy/user/id eq 'u-1'", auditlog.Query{Actor: "u-1"}},
		{"targetResources/any(t:t/id eq 'u-2')", auditlog.Query{Target: "u-2"}},
		{"targetResources/any(x:x/userPrincipalName eq 'ada@contoso.com')", auditlog.Query{Target: "ada@contoso.com"}},
		{"activityDateTime ge 2030-01-01T00:00:00Z and activityDateTime le '2030-01-31T23:59:59+01:00'",
			auditlog.Query{Since: at("2030-01-01T00:00:00Z"), Until: at("2030-01-31T22:59:59Z")}},
		// A quote inside a value is written twice and stays a quote: text, never SQL.
		{"activityDisplayName eq 'x'' or ''1''=''1'", auditlog.Query{Activity: "x' or '1'='1"}},
		{"activityDisplayName eq 'O''Brien' AND result eq 'success'", auditlog.Query{Activity: "O'Brien", Result: twofold.ResultSuccess}},
	} {
		got, err := auditlog.ParseFilter(tc.filter)
		if err != nil {
			t.Errorf("%q: %v", tc.filter, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%q: got %+v, want %+v", tc.filter, got, tc.want)
		}
	}
}

// TestParseFilterRefusesWithAReason tries injection, the operators Graph has
// but this subset hasn't, malformed text and oversized input: each is refused
// EINVALID on $filter, with a message saying what is wrong.
func TestParseFilterRefusesWithAReason(t *testing.T) {
	for _, tc := range []struct{ name, filter, says string }{
		{"SQL comment injection", "' or 1=1 --", "isn't closed"},
		{"bare SQL", "1=1; DROP TABLE audit_events", "Filtering on"},
		{"statement after a value", "activityDisplayName eq 'x'; DROP TABLE audit_events", "Expected and between conditions"},
		{"or", "activityDisplayName eq 'x' or result eq 'y'", `"or" isn't supported`},
		{"not", "not result eq 'success'", `"not" isn't supported`},
		{"parentheses", "(result eq 'success')", "Parentheses aren't supported"},
		{"unclosed quote", "activityDisplayName eq 'x", "isn't closed"},
		{"quote left open after an escaped one", "activityDisplayName eq 'x''", "isn't closed"},
		{"unknown field", "ipAddress eq '10.0.0.1'", "Filtering on \"ipAddress\" isn't supported"},
		{"other operator", "activityDisplayName ne 'x'", "Only eq is supported"},
		{"function", "startswith(activityDisplayName,'Reset')", "isn't supported in $filter"},
		{"unquoted value", "result eq success", "a quoted value"},
		{"result outside the two", "result eq 'maybe'", "either 'success' or 'failure'"},
		{"date operator", "activityDateTime gt 2030-01-01T00:00:00Z", "Only ge and le"},
		{"not a date", "activityDateTime ge yesterday", "isn't a date and time"},
		{"field twice", "result eq 'success' and result eq 'failure'", "appears twice"},
		{"trailing and", "result eq 'success' and", "ends after \"and\""},
		{"missing value", "activityDisplayName eq", "ends where"},
		{"bad lambda", "targetResources/any(t:s/id eq 'x')", "Inside targetResources/any"},
		{"unclosed lambda", "targetResources/any(t:t/id eq 'x'", "ends where"},
		{"too long", "activityDisplayName eq '" + strings.Repeat("a", auditlog.MaxFilter) + "'", "too long"},
		{"long value", "activityDisplayName eq '" + strings.Repeat("a", 300) + "'", "too long"},
		{"invalid UTF-8", "activityDisplayName eq '\xff'", "UTF-8"},
	} {
		q, err := auditlog.ParseFilter(tc.filter)
		if twofold.ErrorCode(err) != twofold.EINVALID || twofold.ErrorField(err) != "$filter" {
			t.Errorf("%s: %q gave %+v, %v; want EINVALID on $filter", tc.name, tc.filter, q, err)
			continue
		}
		if q != (auditlog.Query{}) {
			t.Errorf("%s: a refused filter still returned %+v", tc.name, q)
		}
		msg := twofold.ErrorMessage(err)
		if !strings.Contains(msg, tc.says) {
			t.Errorf("%s: message %q, want it to say %q", tc.name, msg, tc.says)
		}
		if len(msg) > 1000 {
			t.Errorf("%s: message of %d bytes echoes too much", tc.name, len(msg))
		}
	}
}

// Package auditlog is reading the audit log as the admin console, the audit
// API and the command line do: searching it by organization, activity, actor,
// target, result and time, a page at a time by an opaque cursor; parsing the
// OData $filter subset the API accepts; and the retention sweep that deletes
// events older than the configured retention.
package auditlog

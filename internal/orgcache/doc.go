// Package orgcache keeps organizations that were read recently in memory for a few
// seconds. Every sign-in step and every page needs the member's organization (its
// policy); reading the same row again each time was a tenth of a sign-in's cost on
// PostgreSQL.
//
// A policy change made through this process is seen at once. One made by another
// replica or by the CLI is seen within the cache's lifetime (TTL).
package orgcache

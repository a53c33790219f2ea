// Package store keeps twofold's data in SQLite or PostgreSQL. It holds all of the
// project's SQL and none of its rules: every method is one hand-written statement
// (or one short transaction) with explicit columns, and single-use things are
// consumed with conditional updates whose affected-row count says who won.
//
// One SQL text serves both databases: both accept $1 placeholders, RETURNING and
// INSERT … ON CONFLICT. What differs — column types, how times are encoded, how
// errors are recognised, how migrators are serialised — lives in dialect.go.
//
// Times are stored in UTC: as INTEGER Unix nanoseconds on SQLite and as
// timestamptz on PostgreSQL, which keeps microseconds. A zero time.Time is stored
// as NULL and read back as the zero time.
package store

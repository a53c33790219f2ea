// Package storetest is the contract every twofold.Store must keep, as a test
// suite. A backend's test calls Run with a function that opens a fresh, migrated,
// empty store; the suite then checks each method's behaviour and error contract,
// scoping of per-user calls, time and JSON round-trips, and that single-use and
// counting operations stay exact when many goroutines race.
//
// Times in the suite are whole microseconds, the finest PostgreSQL keeps.
package storetest

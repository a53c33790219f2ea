//go:build !unix

package main

// lockDataDir does nothing where flock is missing: one serve per data
// directory is then the operator's to keep.
func lockDataDir(string) (func(), error) { return func() {}, nil }

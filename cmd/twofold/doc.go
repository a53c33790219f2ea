// Command twofold runs the twofold identity service and administers it.
//
// It is the only place that knows concrete types: it reads the configuration, opens
// the store, picks providers, builds the use cases and serves HTTP.
//
// Commands: serve, migrate, org, user, policy and audit; run "twofold help" for the
// list and "twofold COMMAND --help" for a command's flags.
package main

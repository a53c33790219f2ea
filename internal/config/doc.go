// Package config loads twofold's configuration from an optional file, TWOFOLD_*
// environment variables and command-line flags (in rising precedence), and
// validates it, listing every problem at once.
package config

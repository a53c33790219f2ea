// Package registrations is the registration report: how many of an
// organization's members have registered for multifactor sign-in and for
// self-service password reset, by method and over time, and the same per
// member. Every definition is the one sign-in and reset apply, asked of
// internal/methodkind; the store only counts the method classes this package
// hands it, so a hundred thousand members are counted in the database, never
// loaded one by one.
package registrations

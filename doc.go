// Package twofold is the domain of the twofold identity service: organizations,
// their members and policies, registered security-info methods, sign-in flows,
// sessions and audit events, plus the small store interfaces each aggregate needs
// and the one error type every layer speaks.
//
// This package imports nothing else of the project. Use-case packages under
// internal/ hold the rules; internal/store implements the interfaces declared here.
package twofold

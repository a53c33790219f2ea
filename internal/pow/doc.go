// Package pow asks a browser or API client for a small proof of work before
// an unauthenticated action that is cheap to request and costly to answer
// (starting a password reset). It follows ALTCHA's challenge format: the
// server signs a salted SHA-256 puzzle; the client finds the number that
// solves it and sends the solution back with the signature.
//
// The work alone only slows automation down; what makes it count is that
// each solved challenge is accepted once (the store's single-use keys), for
// one purpose, and for a few minutes, all read from signed parameters and the
// injected clock.
package pow

// Package admin holds the administrative use cases the CLI (and later the admin
// console) drive: create organizations and members, read and change an
// organization's policy, and read the audit log. Every change is audited.
package admin

// Package secondfactor checks a member's second-factor code against their usable
// methods with the failure counting two-step verification needs: counted per member across all
// sessions, incremented before the check so parallel guesses cannot slip past the
// limit, and never reset by asking for a new code.
package secondfactor

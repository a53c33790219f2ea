package questions

import (
	"strings"

	"github.com/twofold-id/twofold"
)

// Predefined returns the questions every organization offers, in the order
// they are listed. Each answer should be something the member remembers, that
// does not change, and that is not found on their profile. It returns a new
// slice each time, so no caller can change the list for others.
func Predefined() []string {
	return []string{
		"In what city did you meet your first spouse or partner?",
		"In what city did your parents meet?",
		"What was the name of your first pet?",
		"What is the first name of your oldest cousin?",
		"What was the first concert you went to?",
		"What was the make and model of your first car?",
		"What was the name of the street you grew up on?",
		"In what city or town was your first job?",
		"What was your childhood nickname?",
		"What is the middle name of your oldest sibling?",
		"What was the name of your favorite teacher?",
		"What was the name of your first school?",
		"What was your favorite food as a child?",
		"What is the first name of your best friend from childhood?",
		"In what city was your mother born?",
		"In what city was your father born?",
		"What was the first name of your first boss?",
		"What was the name of the hospital where you were born?",
		"What was the first book you loved reading?",
		"What was the name of your favorite stuffed animal or toy?",
		"Where did you go on your first trip abroad?",
		"What was the first film you saw at a cinema?",
		"What is your grandmother's first name on your mother's side?",
		"What is your grandfather's first name on your father's side?",
		"What was the name of your first sports team or club?",
	}
}

// Offered returns the questions a member of an organization with policy p
// may choose from: the predefined ones, then the organization's own. A
// question of its own that repeats a predefined one (ignoring case) is listed
// once. Questions are identified by their text.
func Offered(p twofold.Policy) []string {
	out := Predefined()
	seen := make(map[string]bool, len(out)+len(p.Questions.Custom))
	for _, q := range out {
		seen[strings.ToLower(q)] = true
	}
	for _, q := range p.Questions.Custom {
		if key := strings.ToLower(strings.TrimSpace(q)); key != "" && !seen[key] {
			seen[key] = true
			out = append(out, strings.TrimSpace(q))
		}
	}
	return out
}

// IsOffered reports whether question is one of the questions policy p offers.
func IsOffered(p twofold.Policy, question string) bool {
	for _, q := range Offered(p) {
		if q == question {
			return true
		}
	}
	return false
}

package questions

import (
	"fmt"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"trims", "  Paris ", "paris"},
		{"case", "PARIS", "paris"},
		{"inner spaces", "New   York\tCity", "new york city"},
		{"newlines and tabs", "\tNew\nYork\r\n", "new york"},
		{"no-break and ideographic spaces", "New\u00a0York\u3000City", "new york city"},
		{"ligature", "ﬁdo", "fido"},
		{"full-width digits", "１２３ Main", "123 main"},
		{"full-width letters", "ＰＡＲＩＳ", "paris"},
		{"sharp s folds", "Straße", "strasse"},
		{"composed and decomposed", "Cafe\u0301", "café"},
		{"greek final sigma", "ΟΔΟΣ", "οδοσ"},
		{"empty", "   ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Normalize(tc.in)
			if got != tc.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := Normalize(got); again != got {
				t.Fatalf("Normalize is not idempotent: %q then %q", got, again)
			}
		})
	}
}

// fiveAnswers is a valid set under the default policy.
func fiveAnswers() []Answer {
	qs := Predefined()
	return []Answer{
		{qs[0], "Lisbon"}, {qs[1], "Porto"}, {qs[2], "Rex the dog"}, {qs[3], "Maria"}, {qs[4], "The Cure"},
	}
}

func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		if e, ok := err.(*twofold.Error); ok {
			if e.Code != twofold.EINVALID {
				panic("not EINVALID: " + e.Code)
			}
			out[e.Field] = e.Message
		}
	}
	walk(err)
	return out
}

func TestValidate(t *testing.T) {
	p := twofold.DefaultPolicy()
	p.Questions.Custom = []string{"What was the name of our first office?"}
	if err := Validate(p, fiveAnswers()); err != nil {
		t.Fatalf("valid set: %v", err)
	}
	custom := fiveAnswers()
	custom[4].Question = "What was the name of our first office?"
	if err := Validate(p, custom); err != nil {
		t.Fatalf("custom question: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(a []Answer) []Answer
		want   map[string]string
	}{
		{"too few", func(a []Answer) []Answer { return a[:3] },
			map[string]string{"questions": "Choose 5 questions and answer each one."}},
		{"no question", func(a []Answer) []Answer { a[1].Question = ""; return a },
			map[string]string{"question-2": "Choose question 2."}},
		{"question not offered", func(a []Answer) []Answer { a[2].Question = "What is your password?"; return a },
			map[string]string{"question-3": "Choose question 3 from the list."}},
		{"question twice", func(a []Answer) []Answer { a[3].Question = a[0].Question; return a },
			map[string]string{"question-4": "You chose this question already. Choose a different one."}},
		{"answer short after trimming", func(a []Answer) []Answer { a[0].Answer = "  ab  "; return a },
			map[string]string{"answer-1": "Each answer needs at least 3 characters."}},
		{"answer empty", func(a []Answer) []Answer { a[1].Answer = " "; return a },
			map[string]string{"answer-2": "Answer question 2."}},
		{"answer long", func(a []Answer) []Answer { a[4].Answer = strings.Repeat("x", 41); return a },
			map[string]string{"answer-5": "Each answer can have at most 40 characters."}},
		{"answer huge", func(a []Answer) []Answer { a[4].Answer = strings.Repeat("x", 10000); return a },
			map[string]string{"answer-5": "Each answer can have at most 40 characters."}},
		{"answer twice after normalizing", func(a []Answer) []Answer { a[2].Answer = "  LISBON"; return a },
			map[string]string{"answer-3": "Give a different answer to each question."}},
		{"control character", func(a []Answer) []Answer { a[0].Answer = "Lis\x00bon"; return a },
			map[string]string{"answer-1": "Answers can have letters, numbers, spaces and punctuation, but no control characters."}},
		{"several at once", func(a []Answer) []Answer { a[0].Answer, a[1].Question = "x", ""; return a },
			map[string]string{"answer-1": "Each answer needs at least 3 characters.", "question-2": "Choose question 2."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(p, tc.change(fiveAnswers()))
			if twofold.ErrorCode(err) != twofold.EINVALID {
				t.Fatalf("Validate = %v, want EINVALID", err)
			}
			if got := fieldsOf(err); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("problems = %v, want %v", got, tc.want)
			}
		})
	}
	// Exactly 40 characters after normalizing is allowed; spaces around don't count.
	a := fiveAnswers()
	a[0].Answer = "  " + strings.Repeat("é", 40) + "  "
	if err := Validate(p, a); err != nil {
		t.Fatalf("40 characters: %v", err)
	}
}

func TestOffered(t *testing.T) {
	p := twofold.DefaultPolicy()
	n := len(Predefined())
	if n < 20 || n > 30 {
		t.Fatalf("%d predefined questions, want 20–30", n)
	}
	p.Questions.Custom = []string{"Where was our first office?", strings.ToUpper(Predefined()[0])}
	got := Offered(p)
	if len(got) != n+1 || got[n] != "Where was our first office?" {
		t.Fatalf("Offered = %d questions ending %q, want the custom one after the predefined, a repeat listed once", len(got), got[len(got)-1])
	}
	// The list is the caller's own copy.
	got[0] = "changed"
	if Predefined()[0] == "changed" {
		t.Fatal("Predefined shares its slice")
	}
}

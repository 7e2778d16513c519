// Command testsummary reads go test -json (test2json events) on standard
// input and prints what go test prints (ok and FAIL per package, with the
// output of what failed), then how many tests were skipped for lack of
// FER2013 and how to get it: make test uses it, since go test hides the
// output of passing packages. It is not a general test reporter.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one test2json event (go doc test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

// ferGuide says where FER2013 comes from and how the tests find it.
const ferGuide = `FER2013 is fer2013.csv from the Kaggle challenge "Challenges in Representation Learning: Facial Expression Recognition Challenge" (https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge/data); download it (the zip as it comes works too) and run: FER2013_CSV=/path/to/it make test`

func main() {
	failed, err := summarize(os.Stdin, os.Stdout, os.Getenv("FER2013_CSV"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

// summarize reads events from r and writes the summary to w; it reports
// whether anything failed. Lines that are not JSON (a build error printed
// before any event) are copied through.
func summarize(r io.Reader, w io.Writer, ferPath string) (failed bool, err error) {
	out := map[string]*strings.Builder{} // per package, then per package/test
	get := func(k string) *strings.Builder {
		if out[k] == nil {
			out[k] = &strings.Builder{}
		}
		return out[k]
	}
	skippedFER := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			fmt.Fprintln(w, sc.Text())
			continue
		}
		key := e.Package + "\x00" + e.Test
		switch e.Action {
		case "output", "build-output":
			get(e.Package).WriteString(e.Output)
			if e.Test != "" {
				get(key).WriteString(e.Output)
			}
		case "skip":
			if e.Test == "" {
				fmt.Fprintf(w, "?   \t%s\t[no test files]\n", e.Package)
			} else if strings.Contains(get(key).String(), "FER2013_CSV") {
				skippedFER++
			}
		case "pass":
			if e.Test == "" {
				fmt.Fprintf(w, "ok  \t%s\t%.3fs\n", e.Package, e.Elapsed)
			}
		case "fail", "build-fail":
			if e.Test == "" {
				failed = true
				fmt.Fprint(w, get(e.Package).String())
				fmt.Fprintf(w, "FAIL\t%s\n", e.Package)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return true, err
	}
	if skippedFER > 0 {
		tests := "tests"
		if skippedFER == 1 {
			tests = "test"
		}
		fmt.Fprintf(w, "\n%d %s skipped for lack of FER2013 (FER2013_CSV=%q is not a readable file). %s\n", skippedFER, tests, ferPath, ferGuide)
	}
	return failed, nil
}

package main

import (
	"strings"
	"testing"
)

// TestSummarize: packages as go test prints them, a failing package's
// output, and the count of tests skipped for lack of FER2013 with how to
// get it (issue 17 item 10).
func TestSummarize(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"start","Package":"sweep/a"}`,
		`{"Action":"run","Package":"sweep/a","Test":"TestFER"}`,
		`{"Action":"output","Package":"sweep/a","Test":"TestFER","Output":"    x_test.go:9: FER2013_CSV not set\n"}`,
		`{"Action":"skip","Package":"sweep/a","Test":"TestFER"}`,
		`{"Action":"run","Package":"sweep/a","Test":"TestOther"}`,
		`{"Action":"output","Package":"sweep/a","Test":"TestOther","Output":"    y_test.go:3: slow\n"}`,
		`{"Action":"skip","Package":"sweep/a","Test":"TestOther"}`,
		`{"Action":"pass","Package":"sweep/a","Elapsed":1.5}`,
		`{"Action":"run","Package":"sweep/b","Test":"TestFER"}`,
		`{"Action":"output","Package":"sweep/b","Test":"TestFER","Output":"--- SKIP: TestFER: FER2013_CSV not set\n"}`,
		`{"Action":"skip","Package":"sweep/b","Test":"TestFER"}`,
		`{"Action":"output","Package":"sweep/b","Test":"TestBad","Output":"    b_test.go:7: wrong\n"}`,
		`{"Action":"fail","Package":"sweep/b","Test":"TestBad"}`,
		`{"Action":"fail","Package":"sweep/b","Elapsed":0.25}`,
		`{"Action":"skip","Package":"sweep/c"}`,
	}, "\n") + "\n"
	var out strings.Builder
	failed, err := summarize(strings.NewReader(in), &out, "/x/fer2013.csv.gz")
	if err != nil || !failed {
		t.Fatalf("failed %v, err %v; want true, nil", failed, err)
	}
	want := "ok  \tsweep/a\t1.500s\n" +
		"--- SKIP: TestFER: FER2013_CSV not set\n    b_test.go:7: wrong\nFAIL\tsweep/b\n" +
		"?   \tsweep/c\t[no test files]\n" +
		"\n2 tests skipped for lack of FER2013 (FER2013_CSV=\"/x/fer2013.csv.gz\" is not a readable file). " + ferGuide + "\n"
	if out.String() != want {
		t.Errorf("summary\n%s\nwant\n%s", out.String(), want)
	}
}

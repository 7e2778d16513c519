package experiments

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readmeDefaults is the YAML block under "## Config reference" in the
// README, which lists the defaults.
func readmeDefaults(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, ref, ok := strings.Cut(string(b), "## Config reference")
	if !ok {
		t.Fatal("README: no Config reference section")
	}
	_, block, ok := strings.Cut(ref, "```yaml\n")
	if !ok {
		t.Fatal("README: no yaml block in the Config reference")
	}
	block, _, _ = strings.Cut(block, "```")
	// report.dir's default is written as the rule it follows.
	return []byte(strings.Replace(block, "dir: reports/<name>", `dir: ""`, 1))
}

// TestREADMEDefaults: the README's defaults block is the defaults (issue
// 17 item 1): read over a zero Config it gives Defaults(), and a config
// file with nothing in it is a valid one with those values.
func TestREADMEDefaults(t *testing.T) {
	block := readmeDefaults(t)
	got, err := ParseConfig(block, "README.md")
	if err != nil {
		t.Fatalf("the README's block does not parse: %v", err)
	}
	empty, err := ParseConfig(nil, "empty.yaml")
	if err != nil {
		t.Fatalf("an empty config: %v", err)
	}
	want := Defaults()
	if err := want.resolveAxes("defaults"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"the README's block", spelledZeros(got)}, {"an empty config", empty}} {
		a, _ := json.MarshalIndent(c.cfg, "", " ")
		b, _ := json.MarshalIndent(want, "", " ")
		if !reflect.DeepEqual(string(a), string(b)) {
			t.Errorf("%s differs from Defaults():\n%s\nwant\n%s", c.name, a, b)
		}
	}
}

// spelledZeros maps the values the README spells out back to the zero
// values that mean them in Defaults(): "" is on_bad_image fail,
// balance_take hash, kmeans.init k-means++, silhouette.rows test and
// gmm.covariance full (see Validate), and an empty list is no list.
func spelledZeros(c Config) Config {
	for _, f := range []struct {
		v     *string
		spelt string
	}{
		{&c.Data.OnBadImage, "fail"}, {&c.Data.BalanceTake, "hash"},
		{&c.KMeans.Init, "k-means++"}, {&c.Silhouette.Rows, "test"},
		{&c.GMM.Covariance, "full"},
	} {
		if *f.v == f.spelt {
			*f.v = ""
		}
	}
	if len(c.Data.Usage) == 0 {
		c.Data.Usage = nil
	}
	if len(c.Report.Inspect) == 0 {
		c.Report.Inspect = nil
	}
	if len(c.Mapping) == 0 {
		c.Mapping = nil
	}
	return c
}

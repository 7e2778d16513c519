# Targets: build, test (the CI gate), bench, fuzz, fixtures (regenerate
# scikit-learn reference values; needs Debian's python3-sklearn).
GO ?= go
FER2013_CSV ?= $(abspath ../shared/data/fer2013.csv.gz)
export FER2013_CSV
FUZZTIME ?= 10s

.PHONY: build test vet bench fuzz fixtures clean

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

fixtures:
	/usr/bin/python3 metrics/testdata/sklearn_ref.py
	/usr/bin/python3 experiments/kmeans/testdata/sklearn_ref.py

clean:
	rm -f sweep

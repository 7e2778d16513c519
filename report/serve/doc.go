// Package serve is the web server of `sweep serve`: it lists the report
// directories found under the directories it is given, serves each
// report's files, draws the pictures of any cell and fold on demand (from
// the run's store and data, through package report, cached in the
// report's views/ folder), and compares two runs (through report/compare).
// When given a predict handler, it mounts it at /predict/ and
// /api/predict.
//
// It is not a general file server: it serves only files inside the
// report directories (no "..", no encoded slashes, no symlinks that lead
// out, through os.Root), and writes only into their views/ folders. It is
// not the upload and predict page either (package report/serve/upload
// is), and it computes no scores: it reads the store and redraws cells
// through package experiments as the static report does.
package serve

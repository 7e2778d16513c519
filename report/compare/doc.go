// Package compare reads the tables of two report directories and compares
// them cell by cell: differences beyond a tolerance (the CI gate) and
// deltas measured against fold-to-fold noise. It is not a statistics
// package: the only test is |delta| > 2 SE.
package compare

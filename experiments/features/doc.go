// Package features computes image descriptors of one grey image at a time:
// histograms of oriented gradients (HOG) and local binary pattern (LBP)
// histograms, following scikit-image 0.19.3 (Debian's python3-skimage), and
// the raw pixels.
//
// An image is w*h grey levels (0..255 by convention, any finite values
// work) in row-major order: pixel (r, c) is at img[r*w+c]. Every function
// writes a fixed-length float32 feature vector into a slice the caller
// owns; Dim tells the length for an image size.
//
// HOG follows skimage.feature.hog(image, orientations, pixels_per_cell,
// cells_per_block, block_norm, transform_sqrt, feature_vector=True), see
// HOGParams. LBP follows skimage.feature.local_binary_pattern(image, P, R,
// method) and then counts the codes per cell of a grid, see LBPParams.
// Both reproduce scikit-image's arithmetic step by step (its float32 cell
// sums, its rounding of the LBP sampling circle, its bilinear weights), and
// match it to 1e-5 on the fixture testdata/skimage_ref.json, written by the
// committed script testdata/skimage_ref.py.
//
// What it is not: it does not read, select or scale data, and it starts no
// goroutines. An Extractor holds scratch buffers so that it allocates
// nothing per image; it is not safe for concurrent use. A caller that
// works on many images in parallel (the runner) makes one Extractor per
// goroutine with New and gives each its own rows; ExtractRows is the plain
// loop for one goroutine.
package features

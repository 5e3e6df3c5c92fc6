package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
)

// catalogJSON is the catalog file of this release.
//
//go:embed catalog.json
var catalogJSON []byte

// File is the catalog file: every matter and bundle, and its version.
// Bump Version in every release that changes the file, or the stored
// catalog keeps winning (see Open). Matter and bundle versions are not
// written in the file; the store assigns them.
type File struct {
	Version int64    `json:"version"`
	Matters []Matter `json:"matters"`
	Bundles []Bundle `json:"bundles"`
}

// EmbeddedFile returns the catalog file built into the binary.
func EmbeddedFile() (File, error) { return ParseFile(catalogJSON) }

// ParseFile reads a catalog file strictly: an unknown key is an error, so
// a misspelt "requried" cannot silently make a field optional. It checks
// only the syntax; Open checks the definitions.
func ParseFile(data []byte) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("parse catalog file: %w", err)
	}
	if f.Version < 1 {
		return File{}, fmt.Errorf("parse catalog file: version must be at least 1")
	}
	return f, nil
}

package catalog

import "context"

// Contents is the whole catalog as stored: every matter and bundle, the
// version of the catalog file last imported, and the revision, a counter
// the store bumps on every write so that each instance of the BFF can notice
// cheaply that another one changed the catalog.
type Contents struct {
	FileVersion int64
	Revision    int64
	Matters     []Matter
	Bundles     []Bundle
}

// Store keeps the catalog durable, so that administrators' changes survive
// restarts and reach every instance. integrations/store/catalogdb
// implements it over MySQL and SQLite; MemoryStore is the in-process one.
//
// Every write is compare-and-set on the revision: it happens only if the
// stored revision is still the one the writer's view was built from, and
// moves it on by one. So instances that start or edit together never
// overwrite each other, and a definition is always checked against the
// catalog it joins: the loser gets Conflict, reloads and tries again.
type Store interface {
	// Load returns everything stored; an empty store gives zero Contents.
	Load(ctx context.Context) (Contents, error)

	// Revision returns the current revision; it is read often, so it must
	// be cheap.
	Revision(ctx context.Context) (int64, error)

	// Replace makes c.Matters and c.Bundles the whole catalog (deleting
	// the others) and records c.FileVersion. Conflict when the revision is
	// no longer prevRevision.
	Replace(ctx context.Context, prevRevision int64, c Contents) error

	// SaveMatter inserts or replaces the matter m.Code. Conflict when the
	// revision is no longer prevRevision.
	SaveMatter(ctx context.Context, m Matter, prevRevision int64) error

	// SaveBundle inserts or replaces the bundle b.Code. Conflict when the
	// revision is no longer prevRevision.
	SaveBundle(ctx context.Context, b Bundle, prevRevision int64) error
}

// SchemaValidator compiles the JSON Schema of a form, which clients and the
// OpenAPI document also get, into a check the catalog runs after its own
// rules: a second opinion that catches any drift between the two.
// integrations/formschema implements it.
type SchemaValidator interface {
	// Compile prepares the check of a form made of fields; id names the
	// form ("pension.certification", "unit.info_change~name") for the
	// schema's identity and for errors. It is called when a catalog is
	// built, never per request. Invalid when the fields cannot be expressed
	// as a schema.
	Compile(id string, fields []Field) (FormCheck, error)
}

// FormCheck checks form data against a compiled schema. The data holds only
// filled values (see ValidateForm). A failure is an Invalid *domain.Error
// naming the fields at fault; its cause, for logs, never holds the values.
type FormCheck func(data map[string]any) error

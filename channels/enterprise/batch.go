package enterprise

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/sync/errgroup"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// A batch upload (批量导入) is all or nothing. Every row of the file is
// checked first — each cell, each row against the matter's form in the
// catalog, duplicates within the file, and the unit's roll at the core —
// and one fault anywhere files nothing: the answer lists every fault by row
// number and Chinese column name. A clean file is recorded as a batch and
// filed through declaration.Submit: for additions and removals one
// application per row (the catalog's forms are per person, and a form is
// at most 64 KB, so rows cannot travel in one form), each under a key
// derived from the request's Idempotency-Key and the row number; for a base
// declaration one application with the totals, the rows kept sealed on the
// batch. Should filing stop half-way (the database gone), repeating the
// upload with the same key files the rest and nothing twice.

// maxListedFaults bounds the faults one answer lists.
const maxListedFaults = 200

// checkedRow is a row that passed every check, as it will be filed.
type checkedRow struct {
	No   int            `json:"row"`
	Form map[string]any `json:"form"`
}

type entBatchIn struct {
	UnitPath
	KeyHeader
	Year    int `query:"year" minimum:"2020" maximum:"2100" doc:"基数申报年度，不填为本年；增员、减员不用"`
	RawBody huma.MultipartFormFiles[entFileForm]
}

type entBatchOut struct {
	ID             string    `json:"id" doc:"批次编号"`
	Kind           string    `json:"kind" enum:"staff_add,staff_remove,base_declaration"`
	KindLabel      string    `json:"kindLabel" doc:"批量增员、批量减员 或 缴费基数申报"`
	Rows           int       `json:"rows" doc:"文件中的数据行数"`
	Filed          bool      `json:"filed" doc:"全部申请已提交"`
	ApplicationIDs []string  `json:"applicationIds,omitempty" doc:"本批次提交的申请编号，按行序"`
	CreatedAt      time.Time `json:"createdAt"`
}

type entBatchResp struct {
	Body entBatchOut
}

func batchOf(b account.Batch) entBatchOut {
	return entBatchOut{ID: b.ID, Kind: string(b.Kind), KindLabel: b.Kind.Label(), Rows: b.Rows, Filed: b.Filed,
		ApplicationIDs: b.ApplicationIDs, CreatedAt: b.CreatedAt.In(domain.Beijing)}
}

// uploadBatch returns the handler of one batch kind.
func (ch *Channel) uploadBatch(kind account.BatchKind) func(context.Context, *entBatchIn) (*entBatchResp, error) {
	l := layouts[kind]
	return func(ctx context.Context, in *entBatchIn) (*entBatchResp, error) {
		s, err := ch.unitSession(ctx, in.UnitPath)
		if err != nil {
			return nil, err
		}
		data, err := readUpload(in.RawBody.Data().File, MaxBatchBytes, "文件超过2MB，请分成多个文件上传")
		if err != nil {
			return nil, err
		}
		if done, err := ch.replay(ctx, s, l, in.IdempotencyKey, data); done != nil || err != nil {
			return done, err
		}
		rows, err := ch.checkBatch(ctx, s, l, data)
		ch.record(ctx, s, "batch.check", s.UnitRef, err, map[string]string{"kind": string(kind)})
		if err != nil {
			return nil, err
		}
		b, err := ch.startBatch(ctx, s, l, in.IdempotencyKey, data, rows)
		if err != nil || b.Filed {
			return &entBatchResp{Body: batchOf(b)}, err
		}
		year := in.Year
		if year == 0 {
			year = ch.cfg.Now().In(domain.Beijing).Year()
		}
		ids, err := ch.fileBatch(ctx, s, l, in.IdempotencyKey, rows, year)
		if err != nil {
			return nil, err
		}
		now := ch.cfg.Now()
		if err := ch.cfg.Batches.FinishBatch(ctx, b.ID, ids, now); err != nil {
			return nil, err
		}
		b.ApplicationIDs, b.Filed = ids, true
		return &entBatchResp{Body: batchOf(b)}, nil
	}
}

// replay answers a repeated upload whose batch was filed with the first
// answer, without checking the rows again (the roll has moved on since).
// Errors: Conflict when the key came with another file.
func (ch *Channel) replay(ctx context.Context, s account.Session, l layout, key string, data []byte) (*entBatchResp, error) {
	b, err := ch.cfg.Batches.BatchByKey(ctx, s.UnitRef, key)
	if domain.IsCode(err, domain.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if b.FileDigest != digest(data) || b.Kind != l.Kind {
		return nil, domain.Errorf(domain.Conflict, "该请求编号已用于另一份文件，请刷新页面后重新上传")
	}
	if !b.Filed {
		return nil, nil // filing stopped half-way: check again and file the rest
	}
	return &entBatchResp{Body: batchOf(b)}, nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// checkBatch reads and checks every row of a file. Errors: Invalid listing
// every fault by row and column; TooLarge; Unavailable when the roll cannot
// be read.
func (ch *Channel) checkBatch(ctx context.Context, s account.Session, l layout, data []byte) ([]checkedRow, error) {
	sh, err := readSheet(data)
	if err != nil {
		return nil, err
	}
	idx, faults := l.mapHeader(sh.Header)
	if len(faults) > 0 {
		return nil, batchFaults(faults, 0)
	}
	rows := make([]checkedRow, 0, len(sh.Rows))
	bad := map[int]bool{}
	seen := map[string]int{}
	for _, r := range sh.Rows {
		form, errs := l.readRow(r, idx)
		if len(errs) == 0 {
			errs = ch.checkForm(l, r.No, form)
		}
		if id, ok := form["idNumber"].(string); ok {
			if first, dup := seen[id]; dup {
				errs = append(errs, cellError{Row: r.No, Column: idCol.Name, Message: fmt.Sprintf("与第%d行的身份证号码重复", first)})
			} else {
				seen[id] = r.No
			}
		}
		for _, e := range errs {
			bad[e.Row] = true
		}
		faults = append(faults, errs...)
		rows = append(rows, checkedRow{No: r.No, Form: form})
	}
	more, err := ch.checkRoll(ctx, s, l, rows)
	if err != nil {
		return nil, err
	}
	for _, e := range more {
		bad[e.Row] = true
	}
	if faults = append(faults, more...); len(faults) > 0 {
		return nil, batchFaults(faults, len(bad))
	}
	return rows, nil
}

// checkForm checks a row against the matter's form in the catalog, naming
// the column of each field at fault. A base declaration row, which files
// no matter of its own, is held to the bounds of a monthly wage.
func (ch *Channel) checkForm(l layout, row int, form map[string]any) []cellError {
	var errs []cellError
	if l.Matter == "" {
		if w, _ := form["wage"].(int64); w > maxWage {
			errs = append(errs, cellError{Row: row, Column: wageCol.Name, Message: "缴费基数不能超过100,000元"})
		}
		if n := len([]rune(form["name"].(string))); n < 2 || n > 30 {
			errs = append(errs, cellError{Row: row, Column: nameCol.Name, Message: "姓名应为2至30个字"})
		}
		return errs
	}
	err := ch.cfg.Catalog.ValidateForm(l.Matter, "", form)
	var de *domain.Error
	if err == nil || !errors.As(err, &de) {
		return nil
	}
	for _, f := range de.Fields {
		errs = append(errs, cellError{Row: row, Column: l.columnName(f.Field), Message: f.Message})
	}
	if len(de.Fields) == 0 {
		errs = append(errs, cellError{Row: row, Column: "", Message: de.Message})
	}
	return errs
}

// maxWage is the highest monthly base the catalog's forms take, in fen.
const maxWage = 10_000_000

// checkRoll holds the rows against the unit's roll: a person added must not
// be on it already; a person removed or declared must be, under the name
// the roll has.
func (ch *Channel) checkRoll(ctx context.Context, s account.Session, l layout, rows []checkedRow) ([]cellError, error) {
	roll, err := ch.roll(ctx, s.UnitCode)
	if err != nil {
		return nil, err
	}
	var errs []cellError
	for _, r := range rows {
		id, ok := r.Form["idNumber"].(string)
		if !ok {
			continue
		}
		m, on := roll[id]
		switch {
		case l.Kind == account.StaffAddBatch && on && m.Status != insured.Retired:
			errs = append(errs, cellError{Row: r.No, Column: idCol.Name, Message: "该职工已在本单位参保，无需增员"})
		case l.Kind != account.StaffAddBatch && !on:
			errs = append(errs, cellError{Row: r.No, Column: idCol.Name, Message: "该职工不在本单位参保名册中"})
		case l.Kind != account.StaffAddBatch && r.Form["name"] != m.Name:
			errs = append(errs, cellError{Row: r.No, Column: nameCol.Name, Message: "姓名与本单位参保名册中的不一致"})
		}
	}
	return errs, nil
}

// batchFaults is the answer to a file with faults: every fault (up to
// maxListedFaults), by row, and a message saying nothing was filed.
func batchFaults(faults []cellError, badRows int) error {
	slices.SortStableFunc(faults, func(a, b cellError) int { return a.Row - b.Row })
	fields := make([]domain.FieldError, 0, min(len(faults), maxListedFaults)+1)
	for i, f := range faults {
		if i == maxListedFaults {
			fields = append(fields, domain.FieldError{Field: "file", Message: fmt.Sprintf("另有%d处错误未列出", len(faults)-i)})
			break
		}
		fields = append(fields, f.field())
	}
	msg := "文件格式有误，本次未办理任何业务，请按提示修改后重新上传"
	if badRows > 0 {
		msg = fmt.Sprintf("文件中有%d行信息有误，本次未办理任何业务，请按提示修改后重新上传", badRows)
	}
	return &domain.Error{Code: domain.Invalid, Message: msg, Fields: fields}
}

// startBatch records the checked batch, or finds the one the key already
// started. Errors: Conflict when the key came with another file.
func (ch *Channel) startBatch(ctx context.Context, s account.Session, l layout, key string, data []byte, rows []checkedRow) (account.Batch, error) {
	sealed, err := ch.sealRows(rows)
	if err != nil {
		return account.Batch{}, err
	}
	now := ch.cfg.Now().UTC().Truncate(time.Millisecond)
	b := account.Batch{ID: declaration.NewID("BT", now), UnitRef: s.UnitRef, OperatorID: s.OperatorID, Kind: l.Kind,
		IdempotencyKey: key, FileDigest: digest(data), Rows: len(rows), SealedRows: sealed, CreatedAt: now}
	stored, existing, err := ch.cfg.Batches.StartBatch(ctx, b)
	if err != nil {
		return account.Batch{}, err
	}
	if existing && (stored.FileDigest != b.FileDigest || stored.Kind != b.Kind) {
		return account.Batch{}, domain.Errorf(domain.Conflict, "该请求编号已用于另一份文件，请刷新页面后重新上传")
	}
	return stored, nil
}

func (ch *Channel) sealRows(rows []checkedRow) (string, error) {
	b, err := json.Marshal(rows)
	if err != nil {
		return "", domain.Wrap(err, domain.Internal, "批次信息无法保存")
	}
	return ch.cfg.Sealer.Seal(string(b))
}

// fileWorkers bounds the submissions of one batch in flight. Each is its
// own short transaction, so the time goes in commits: on the test MariaDB
// 500 rows took 3.9 s with 4 in flight and 1.7 s with 16, which keeps a
// full file of MaxBatchRows inside the 10 s request deadline while taking
// a quarter of the default pool of 64 connections for those seconds.
const fileWorkers = 16

// fileBatch files a checked batch and returns its application ids in row
// order.
func (ch *Channel) fileBatch(ctx context.Context, s account.Session, l layout, key string, rows []checkedRow, year int) ([]string, error) {
	if l.Kind == account.BaseBatch {
		id, err := ch.fileBases(ctx, s, key, rows, year)
		return []string{id}, err
	}
	ids := make([]string, len(rows))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(fileWorkers)
	for i, r := range rows {
		g.Go(func() error {
			filed, err := ch.file(gctx, s, filing{matter: l.Matter, form: r.Form, key: subKey(key, "B", r.No)})
			if err != nil {
				return err
			}
			ids[i] = filed.Applications[0].ID
			return nil
		})
	}
	return ids, g.Wait()
}

// fileBases files the annual base declaration (年度缴费基数申报) of the
// rows: the number of staff and last year's total wage (twelve months of
// each declared base), with the operator as the contact.
func (ch *Channel) fileBases(ctx context.Context, s account.Session, key string, rows []checkedRow, year int) (string, error) {
	var total int64
	for _, r := range rows {
		total += r.Form["wage"].(int64) * 12
	}
	name, phone, err := ch.cfg.Accounts.Contact(ctx, s)
	if err != nil {
		return "", err
	}
	form := map[string]any{"year": year, "totalWage": total, "staffCount": len(rows), "contactName": name, "contactPhone": phone.Raw()}
	filed, err := ch.file(ctx, s, filing{matter: "unit.base_declaration", form: form, key: subKey(key, "B", 0)})
	if err != nil {
		return "", err
	}
	return filed.Applications[0].ID, nil
}

// subKey derives the idempotency key of one part of a request from the
// request's key: the same request gives the same parts, whatever its key's
// length.
func subKey(key, tag string, n int) string {
	sum := sha256.Sum256([]byte(key))
	return tag + hex.EncodeToString(sum[:10]) + "-" + strconv.Itoa(n)
}

type entBatchListOut struct {
	Body struct {
		Batches []entBatchOut `json:"batches"`
	}
}

// batches lists the unit's latest 50 batches.
func (ch *Channel) batches(ctx context.Context, in *UnitPath) (*entBatchListOut, error) {
	s, err := ch.unitSession(ctx, *in)
	if err != nil {
		return nil, err
	}
	bs, err := ch.cfg.Batches.Batches(ctx, s.UnitRef, 50)
	if err != nil {
		return nil, err
	}
	out := &entBatchListOut{}
	out.Body.Batches = make([]entBatchOut, 0, len(bs))
	for _, b := range bs {
		o := batchOf(b)
		o.ApplicationIDs = nil
		out.Body.Batches = append(out.Body.Batches, o)
	}
	return out, nil
}

type entBatchGetIn struct {
	UnitPath
	ID string `path:"id" maxLength:"32" doc:"批次编号"`
}

// batch answers one batch with its applications' ids.
func (ch *Channel) batch(ctx context.Context, in *entBatchGetIn) (*entBatchResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	b, err := ch.cfg.Batches.Batch(ctx, s.UnitRef, in.ID)
	if err != nil {
		return nil, err
	}
	return &entBatchResp{Body: batchOf(b)}, nil
}

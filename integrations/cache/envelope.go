package cache

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// An entry in Redis is an envelope: a fixed header, then the answer.
//
//	byte  0      kind: kindValue or kindRefusal
//	bytes 1–4    schema: a fingerprint of the Go type cached, so that an
//	             instance of an older or newer release reads a changed type
//	             as a miss instead of as wrong fields
//	bytes 5–12   fetched: when the system of record was asked, unix ns
//	bytes 13–20  fresh until: when the answer stops being fresh, unix ns
//	bytes 21–    the value in MessagePack with structs as arrays (no field
//	             names: a person's overview is about a third of its JSON),
//	             or for a refusal its code, a NUL and its message
const headerLen = 21

// The kinds of envelope.
const (
	kindValue   byte = 'v'
	kindRefusal byte = 'r' // the system answered NotFound or Rejected
)

var errEnvelope = errors.New("cache: malformed entry")

// entry is one answer as the layers hold it.
type entry[V any] struct {
	val        V
	refusal    *domain.Error // NotFound or Rejected: the system answered no
	fetched    int64         // unix ns
	freshUntil int64         // unix ns
	stale      bool          // served after the system failed; set only in L1
	l1For      time.Duration
}

// answer records the entry's freshness in ctx and returns what the system
// of record answered.
func (e *entry[V]) answer(ctx context.Context) (V, error) {
	recordFreshness(ctx, e.fetched, e.stale)
	if e.refusal != nil {
		var zero V
		return zero, &domain.Error{Code: e.refusal.Code, Message: e.refusal.Message}
	}
	return e.val, nil
}

// codec encodes the values of one Go type.
type codec[V any] struct {
	schema uint32
}

func newCodec[V any]() codec[V] {
	return codec[V]{schema: fingerprint(reflect.TypeFor[V]())}
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encode writes e as an envelope.
func (c codec[V]) encode(e *entry[V]) ([]byte, error) {
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	var h [headerLen]byte
	h[0] = kindValue
	if e.refusal != nil {
		h[0] = kindRefusal
	}
	binary.BigEndian.PutUint32(h[1:], c.schema)
	binary.BigEndian.PutUint64(h[5:], uint64(e.fetched))
	binary.BigEndian.PutUint64(h[13:], uint64(e.freshUntil))
	buf.Write(h[:])
	if e.refusal != nil {
		buf.WriteString(string(e.refusal.Code))
		buf.WriteByte(0)
		buf.WriteString(e.refusal.Message)
	} else {
		enc := msgpack.GetEncoder()
		enc.Reset(buf)
		enc.UseArrayEncodedStructs(true)
		enc.UseCompactInts(true)
		err := enc.Encode(e.val)
		msgpack.PutEncoder(enc)
		if err != nil {
			return nil, fmt.Errorf("cache: encode %T: %w", e.val, err)
		}
	}
	return bytes.Clone(buf.Bytes()), nil
}

// decode reads an envelope written by encode for the same type.
func (c codec[V]) decode(b []byte) (*entry[V], error) {
	if len(b) < headerLen || (b[0] != kindValue && b[0] != kindRefusal) {
		return nil, errEnvelope
	}
	if binary.BigEndian.Uint32(b[1:]) != c.schema {
		return nil, fmt.Errorf("cache: entry of another schema: %w", errEnvelope)
	}
	e := &entry[V]{
		fetched:    int64(binary.BigEndian.Uint64(b[5:])),
		freshUntil: int64(binary.BigEndian.Uint64(b[13:])),
	}
	if b[0] == kindRefusal {
		code, msg, _ := strings.Cut(string(b[headerLen:]), "\x00")
		e.refusal = &domain.Error{Code: domain.Code(code), Message: msg}
		return e, nil
	}
	if err := msgpack.Unmarshal(b[headerLen:], &e.val); err != nil {
		return nil, fmt.Errorf("cache: decode %T: %w", e.val, err)
	}
	return e, nil
}

// fingerprint hashes the shape of t: field names, kinds and element types,
// recursively. Any change a decoder would misread changes it.
func fingerprint(t reflect.Type) uint32 {
	h := fnv.New32a()
	writeShape(h, t, map[reflect.Type]bool{})
	return h.Sum32()
}

func writeShape(h interface{ Write([]byte) (int, error) }, t reflect.Type, seen map[reflect.Type]bool) {
	fmt.Fprintf(h, "%s:%s(", t.String(), t.Kind())
	if seen[t] {
		h.Write([]byte(")"))
		return
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			break // encoded as a timestamp, not by its fields
		}
		for i := range t.NumField() {
			f := t.Field(i)
			fmt.Fprintf(h, "%s ", f.Name)
			writeShape(h, f.Type, seen)
		}
	case reflect.Slice, reflect.Array, reflect.Pointer:
		writeShape(h, t.Elem(), seen)
	case reflect.Map:
		writeShape(h, t.Key(), seen)
		writeShape(h, t.Elem(), seen)
	}
	h.Write([]byte(")"))
}

// init makes MessagePack write a time as its unix nanoseconds (nil for the
// zero time) and read it back in Beijing. Its own time extension reads
// instants back in time.Local, while the domain's dates are midnights in
// domain.Beijing and are printed as such. The registration is process-wide;
// this package is the only user of MessagePack.
func init() {
	msgpack.Register(time.Time{}, encodeTime, decodeTime)
}

func encodeTime(e *msgpack.Encoder, v reflect.Value) error {
	t := v.Interface().(time.Time)
	if t.IsZero() {
		return e.EncodeNil()
	}
	return e.EncodeInt(t.UnixNano())
}

func decodeTime(d *msgpack.Decoder, v reflect.Value) error {
	code, err := d.PeekCode()
	if err != nil {
		return err
	}
	if code == msgpcode.Nil {
		v.Set(reflect.ValueOf(time.Time{}))
		return d.DecodeNil()
	}
	n, err := d.DecodeInt64()
	if err != nil {
		return err
	}
	v.Set(reflect.ValueOf(time.Unix(0, n).In(domain.Beijing)))
	return nil
}
